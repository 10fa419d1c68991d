/** This package's name, version and pins, for the generated program's package.json. */
import * as fs from "node:fs";
import * as path from "node:path";
import type { PackageInfo } from "./command";

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
  };
}
