/** This package's name, version and pins, for the generated program's package.json. */
import * as fs from "node:fs";
import * as path from "node:path";
import type { PackageInfo } from "./command";

/**
 * `root` is the folder of this package's package.json. Run from a source checkout (a folder not
 * inside any node_modules: `npm run export`, or `node dist/bin/polytomic-export.js` there), the
 * exported program depends on that checkout (`checkout`), since this version is not necessarily on
 * the registry; run from an installed package, on the version installed.
 */
export function readPackageInfo(root: string): PackageInfo {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  const pinned = (name: string): string => {
    const version = pkg.dependencies?.[name] ?? pkg.devDependencies?.[name];
    if (typeof version !== "string") throw new Error(`package.json of ${root} does not pin ${name}`);
    return version;
  };
  return {
    name: pkg.name,
    version: pkg.version,
    versions: { pulumi: pinned("@pulumi/pulumi"), typescript: pinned("typescript"), nodeTypes: pinned("@types/node") },
    checkout: path.resolve(root).split(path.sep).includes("node_modules") ? undefined : path.resolve(root),
  };
}
