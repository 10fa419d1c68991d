/**
 * A Pulumi program of someone else's, for the package test: `npm pack` of this project, then a
 * fresh TypeScript program folder that depends only on the tarball (plus `@pulumi/pulumi`, and
 * TypeScript to compile it), installed with `npm ci --offline`.
 *
 * Why a generated lockfile: `npm install --offline` needs the registry's package documents, which
 * `npm ci` never caches, and tests send nothing beyond loopback. A lockfile holding the tarball and
 * the exact versions of this project's own lockfile installs from the npm cache by integrity.
 */
import { execFile, execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  dev?: boolean;
  devOptional?: boolean;
  [key: string]: unknown;
}

interface PackageJson {
  name: string;
  version: string;
  license: string;
  engines?: Record<string, string>;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  devDependencies: Record<string, string>;
  bin: Record<string, string>;
}

export interface PackedProject {
  tarball: string;
  /** Paths inside the tarball, relative to the package root. */
  files: string[];
  manifest: PackageJson;
}

/** `npm pack` of the project as it is built now (no build script: `npm test` has just built). */
export function packProject(root: string, destination: string): PackedProject {
  const out = execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", destination], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  const [packed] = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
  return {
    tarball: path.join(destination, packed.filename),
    files: packed.files.map((f) => f.path),
    manifest: JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as PackageJson,
  };
}

/**
 * Where the registry serves a package's tarball. This project's lockfile leaves `resolved` out
 * (`omit-lockfile-registry-resolved`); without it `npm ci --offline` asks for the package's
 * registry document, which the cache may not hold in the form npm wants, while with it npm takes
 * the tarball from the cache by its integrity.
 */
function registryTarball(key: string, version: string | undefined): string | undefined {
  if (!version) return undefined;
  const name = key.slice(key.lastIndexOf("node_modules/") + "node_modules/".length);
  return `https://registry.npmjs.org/${name}/-/${name.split("/").pop()}-${version}.tgz`;
}

/**
 * Lockfile entries needed by `names`, found the way Node resolves packages (nested folder first,
 * then each parent's node_modules), with their transitive dependencies.
 */
function closure(packages: Record<string, LockEntry>, names: string[]): Map<string, LockEntry> {
  const keep = new Map<string, LockEntry>();
  const visit = (from: string, name: string): void => {
    for (let base = from; ; ) {
      const key = `${base ? `${base}/` : ""}node_modules/${name}`;
      const entry = packages[key];
      if (entry) {
        if (keep.has(key)) return;
        const { dev: _dev, devOptional: _devOptional, ...rest } = entry;
        keep.set(key, { ...rest, resolved: rest.resolved ?? registryTarball(key, entry.version) });
        const deps = { ...entry.dependencies, ...entry.optionalDependencies, ...entry.peerDependencies };
        for (const dep of Object.keys(deps)) visit(key, dep);
        return;
      }
      if (!base) return; // an optional dependency this platform does not install
      const cut = base.lastIndexOf("/node_modules/");
      base = cut < 0 ? "" : base.slice(0, cut);
    }
  };
  for (const name of names) visit("", name);
  return keep;
}

/** The consumer's program: the component with its defaults, plus one ModelSync declared directly. */
export const CONSUMER_PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { GcsToWebhook, GcsToWebhookArgs, ModelSync } from "polytomic-pulumi";

const config = new pulumi.Config();
const args: GcsToWebhookArgs = {
  existing: { bucketName: config.require("bucketName"), serviceAccountKey: config.requireSecret("serviceAccountKey") },
  receiverUrl: config.require("receiverUrl"),
};
const pipeline = new GcsToWebhook("contacts", args);

const emailsOnly = new ModelSync("emails-only", {
  name: "contacts-emails-only",
  mode: "updateOrCreate",
  target: { connectionId: pipeline.webhookConnectionId, object: "http", configuration: { batch_size: 50 } },
  fields: [{ source: { modelId: pipeline.modelId, field: "email_address" }, target: "record" }],
});

export const syncs = pulumi
  .all([pipeline.syncs, emailsOnly.name, emailsOnly.id])
  .apply(([componentSyncs, name, id]) => ({ ...componentSyncs, [name]: id }));
export const webhookUrl = args.receiverUrl;
export const webhookSecret = pipeline.webhookSecret;
`;

/**
 * A consumer's own tooling on the other entry points (type-checked only). Their types use zod,
 * which needs \`esModuleInterop\` (or \`skipLibCheck\`); the subpaths resolve through
 * \`typesVersions\` under the classic \`moduleResolution: node\`.
 */
export const TOOLS_SOURCE = `import { createClient } from "polytomic-pulumi/client";
import { startReceiver } from "polytomic-pulumi/receiver";
import { DEFAULT_API_KEY, startEmulator } from "polytomic-pulumi/emulator";

export async function whoAmI(): Promise<string> {
  const emulator = await startEmulator({ port: 0 });
  const receiver = await startReceiver({ port: 0, recordsSecret: "tools-secret" });
  try {
    const me = await createClient({ baseUrl: emulator.url, apiKey: DEFAULT_API_KEY }).me();
    return \`\${me.email} -> \${receiver.recordsUrl}\`;
  } finally {
    await receiver.stop();
    await emulator.stop();
  }
}
`;

/** As \`pulumi new typescript\` writes it, compiled to bin/ (our language host runs JavaScript). */
const TSCONFIG = {
  compilerOptions: {
    strict: true,
    outDir: "bin",
    target: "es2020",
    module: "commonjs",
    moduleResolution: "node",
    sourceMap: true,
    experimentalDecorators: true,
    pretty: false,
    noFallthroughCasesInSwitch: true,
    noImplicitReturns: true,
    forceConsistentCasingInFileNames: true,
  },
  files: ["index.ts"],
};

const PULUMI_YAML = `name: consumer
description: A program of its own that uses the polytomic-pulumi package.
runtime:
  name: nodejs
  options:
    typescript: false
main: bin/index.js
`;

/**
 * Writes the program folder, installs it from the npm cache and compiles it. `lockfile` is this
 * project's package-lock.json: the versions the tarball's dependencies resolve to.
 */
export async function createConsumer(dir: string, packed: PackedProject, lockfile: { packages: Record<string, LockEntry> }): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  const { manifest } = packed;
  // The SDK is a peer dependency: the program brings its own, here the version this project tests with.
  const dependencies = { [manifest.name]: `file:${path.relative(dir, packed.tarball)}`, "@pulumi/pulumi": manifest.devDependencies["@pulumi/pulumi"] };
  const devDependencies = { typescript: manifest.devDependencies.typescript, "@types/node": manifest.devDependencies["@types/node"] };
  const write = (file: string, text: string) => fs.writeFileSync(path.join(dir, file), text);
  write("package.json", JSON.stringify({ name: "consumer", private: true, dependencies, devDependencies }, null, 2));
  write("tsconfig.json", JSON.stringify(TSCONFIG, null, 2));
  write("Pulumi.yaml", PULUMI_YAML);
  write("index.ts", CONSUMER_PROGRAM);
  write("tools.ts", TOOLS_SOURCE);
  await installFromCache(dir, packed, lockfile);
  await run(dir, process.execPath, [path.join(dir, "node_modules", "typescript", "bin", "tsc"), "-p", "."]);
}

/**
 * Runs a command to its end without blocking this process: the test worker must keep answering
 * vitest while `npm ci` or `tsc` take minutes on a busy machine (a blocked worker fails the run
 * with "Timeout calling onTaskUpdate").
 */
async function run(dir: string, command: string, args: string[]): Promise<void> {
  try {
    await promisify(execFile)(command, args, { cwd: dir, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(" ")} failed in ${dir}:\n${e.stdout ?? ""}${e.stderr ?? ""}`);
  }
}

/**
 * `npm install` of the program in `dir` (its package.json names the package as `file:`, the
 * tarball or a checkout's folder, and versions this project's lockfile holds) from the npm cache:
 * writes a lockfile, then `npm ci --offline`. A folder is packed by npm itself, as `npm install`
 * does with the program's `install-links=true`; a tarball is taken by its integrity.
 */
export async function installFromCache(dir: string, packed: Pick<PackedProject, "manifest">, lockfile: { packages: Record<string, LockEntry> }): Promise<void> {
  const { manifest } = packed;
  const program = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as {
    name: string;
    dependencies: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const dependencies = program.dependencies;
  const devDependencies = program.devDependencies ?? {};
  const spec = dependencies[manifest.name];
  if (!spec?.startsWith("file:")) throw new Error(`${dir}/package.json: ${manifest.name} is not a file: dependency (${spec})`);
  const source = path.resolve(dir, spec.slice("file:".length));
  const integrity = fs.statSync(source).isDirectory() ? undefined : `sha512-${crypto.createHash("sha512").update(fs.readFileSync(source)).digest("base64")}`;
  const packages: Record<string, unknown> = {
    "": { name: program.name, dependencies, devDependencies },
    [`node_modules/${manifest.name}`]: {
      version: manifest.version,
      resolved: spec,
      integrity,
      license: manifest.license,
      dependencies: manifest.dependencies,
      peerDependencies: manifest.peerDependencies,
      peerDependenciesMeta: manifest.peerDependenciesMeta,
      bin: manifest.bin,
      engines: manifest.engines,
    },
  };
  const others = [...Object.keys(dependencies), ...Object.keys(devDependencies)].filter((name) => name !== manifest.name);
  const needed = closure(lockfile.packages, [...Object.keys(manifest.dependencies), ...others]);
  for (const [key, entry] of [...needed].sort(([a], [b]) => a.localeCompare(b))) packages[key] = entry;
  fs.writeFileSync(path.join(dir, "package-lock.json"), JSON.stringify({ name: program.name, lockfileVersion: 3, requires: true, packages }, null, 2));
  await run(dir, "npm", ["ci", "--offline", "--ignore-scripts", "--no-audit", "--no-fund"]);
}
