/**
 * The files around `index.ts` that make the export a standalone Pulumi project: Pulumi.yaml,
 * the stack's config file with the API URL, package.json, tsconfig.json and .gitignore.
 */

export interface ProjectOptions {
  /** Pulumi project name. */
  project: string;
  /** Stack whose config file is written (`Pulumi.<stack>.yaml`). */
  stack: string;
  url: string;
  organizationName?: string;
  /** Where the resources come from: this package's name and version, and its @pulumi/pulumi. */
  packageName: string;
  /** A version, or `file:<path>` to a checkout of this package. */
  packageVersion: string;
  /** Versions of the program's own dependencies, as this package pins them. */
  versions: { pulumi: string; typescript: string; nodeTypes: string };
}

/** Where `npm run build` puts the compiled program (Pulumi.yaml's `main`). */
export const COMPILED_DIR = "bin";

/** YAML double-quoted scalars accept JSON strings. */
const yamlString = (text: string) => JSON.stringify(text);

export function stackConfigFileName(stack: string): string {
  return `Pulumi.${stack}.yaml`;
}

export function projectFiles(opts: ProjectOptions): Record<string, string> {
  const about = opts.organizationName ? `Polytomic organization ${JSON.stringify(opts.organizationName)}` : "A Polytomic organization";
  const pulumiYaml = [
    `name: ${opts.project}`,
    `description: ${yamlString(`${about}, exported by ${opts.packageName}.`)}`,
    "runtime:",
    "  name: nodejs",
    "  options:",
    "    # index.ts is compiled by `npm run build` (tsc) before each pulumi command: the program",
    "    # Pulumi runs is plain JavaScript, with no TypeScript loader at run time.",
    "    typescript: false",
    `main: ${COMPILED_DIR}/index.js`,
    "",
  ].join("\n");
  const stackYaml = ["config:", `  polytomic:url: ${yamlString(opts.url)}`, ""].join("\n");
  const packageJson = {
    name: opts.project,
    private: true,
    description: `${about}, as a Pulumi program`,
    main: `${COMPILED_DIR}/index.js`,
    scripts: { build: "tsc -p tsconfig.json" },
    dependencies: { "@pulumi/pulumi": opts.versions.pulumi, [opts.packageName]: opts.packageVersion },
    devDependencies: { "@types/node": opts.versions.nodeTypes, typescript: opts.versions.typescript },
  };
  const tsconfig = {
    compilerOptions: {
      target: "ES2022",
      module: "commonjs",
      moduleResolution: "node",
      outDir: COMPILED_DIR,
      rootDir: ".",
      strict: true,
      esModuleInterop: true,
      skipLibCheck: true,
    },
    files: ["index.ts"],
  };
  return {
    "Pulumi.yaml": pulumiYaml,
    [stackConfigFileName(opts.stack)]: stackYaml,
    "package.json": `${JSON.stringify(packageJson, null, 2)}\n`,
    "tsconfig.json": `${JSON.stringify(tsconfig, null, 2)}\n`,
    ".gitignore": `node_modules/\n${COMPILED_DIR}/\n`,
    // A checkout is installed as a copy of the package (npm packs the folder), not as a link:
    // through a link it would bring its own node_modules, a second @pulumi/pulumi among them.
    ...(opts.packageVersion.startsWith("file:") ? { ".npmrc": "install-links=true\n" } : {}),
  };
}
