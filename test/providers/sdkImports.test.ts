/**
 * The package reaches @pulumi/pulumi through providers/sdk.ts (the SDK's own modules), never
 * through its root at run time: the root also loads the closure serializer with TypeScript and
 * npm's tooling, which under Pulumi's own language host costs every program run 0.6-1.3 s
 * (bench/PROFILE.md). Type-only imports of the root are erased and allowed.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../scripts/lib/pulumiEnv";

/** Folders and files whose compiled code ships in the package or runs as the project's program. */
const SHIPPED = ["providers", "components", "program", "contract", "client", "receiver", "emulator", "cli", "bin", "index.ts", "lib.ts"];

function sources(entry: string): string[] {
  const full = path.join(repoRoot, entry);
  if (fs.statSync(full).isFile()) return [full];
  return fs.readdirSync(full, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")).map((f) => path.join(full, f));
}

describe("how the package loads @pulumi/pulumi", () => {
  it("no shipped source imports the SDK's root as a value", () => {
    const offenders = SHIPPED.flatMap(sources).flatMap((file) =>
      fs
        .readFileSync(file, "utf8")
        .split("\n")
        .map((line, i) => ({ line, at: `${path.relative(repoRoot, file)}:${i + 1}` }))
        .filter(({ line }) => !/^\s*(\*|\/\/)/.test(line))
        .filter(({ line }) => /^\s*import\s+(?!type\b)[^;]*from\s+"@pulumi\/pulumi"|require\("@pulumi\/pulumi"\)/.test(line))
        .map(({ at }) => at),
    );
    expect(offenders).toEqual([]);
  });

  it("require(\"polytomic-pulumi\") loads neither the SDK's root nor its closure serializer nor TypeScript", () => {
    const script = `require(${JSON.stringify(path.join(repoRoot, "dist", "lib.js"))});
const loaded = Object.keys(require.cache);
console.log(JSON.stringify({
  root: loaded.some((f) => f.endsWith("/@pulumi/pulumi/index.js")),
  closure: loaded.some((f) => f.includes("/@pulumi/pulumi/runtime/closure/")),
  typescript: loaded.some((f) => f.includes("/node_modules/typescript/")),
  resource: loaded.some((f) => f.endsWith("/@pulumi/pulumi/resource.js")),
}));`;
    const run = spawnSync(process.execPath, ["-e", script], { cwd: repoRoot, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual({ root: false, closure: false, typescript: false, resource: true });
  });

  it("the classes and functions it uses are the very ones the SDK's root exports", async () => {
    const sdk = await import("../../providers/sdk");
    const root = await import("@pulumi/pulumi");
    expect(sdk.CustomResource).toBe(root.CustomResource);
    expect(sdk.ComponentResource).toBe(root.ComponentResource);
    expect(sdk.Output).toBe(root.Output);
    expect(sdk.secret).toBe(root.secret);
    expect(sdk.Config).toBe(root.Config);
    expect(sdk.RunError).toBe(root.RunError);
    expect(sdk.log.warn).toBe(root.log.warn);
    expect(sdk.runtime.getStackResource).toBe(root.runtime.getStackResource);
    expect(sdk.runtime.allConfig).toBe(root.runtime.allConfig);
    expect(sdk.runtime.getRootDirectory).toBe(root.runtime.getRootDirectory);
  });
});
