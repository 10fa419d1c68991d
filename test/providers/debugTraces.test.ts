/**
 * providers/debugTraces.ts: with source-map-support installed (as @pulumi/pulumi/cmd/run and the
 * dynamic-provider host install it), the SDK's per-promise debug traces skip it once the package
 * is loaded, while the resource positions the SDK records in the state and every error with a
 * message still go through it. Runs in a fresh Node.js process on the compiled package.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../scripts/lib/pulumiEnv";

function run(entry: string): Record<string, unknown> {
  const script = `require("source-map-support/register");
const mapped = Error.prepareStackTrace;
let calls = 0;
Error.prepareStackTrace = (error, frames) => { calls++; return mapped(error, frames); };
require(${JSON.stringify(path.join(repoRoot, "dist", entry))});
const { debuggablePromise } = require("@pulumi/pulumi/runtime/debuggable");
const { Resource } = require("@pulumi/pulumi/resource");
const counts = {};
let before = calls;
const promise = Promise.resolve(1);
debuggablePromise(promise, "test"); // the trace is stored on the promise it is given
counts.debuggablePromise = calls - before;
before = calls;
const positions = Resource.callsites();
counts.resourceCallsites = calls - before;
before = calls;
void new Error("a message").stack;
counts.errorWithMessage = calls - before;
console.log(JSON.stringify({ counts, trace: promise._debugStackTrace.split("\\n").slice(0, 2), positions: positions.length > 0 }));`;
  const ran = spawnSync(process.execPath, ["-e", script], { cwd: repoRoot, encoding: "utf8" });
  expect(ran.stderr).toBe("");
  return JSON.parse(ran.stdout.trim().split("\n").pop()!) as Record<string, unknown>;
}

describe("the SDK's per-promise debug traces", () => {
  for (const entry of ["lib.js", "providers/runtime/index.js"]) {
    it(`skip source-map work once dist/${entry} is loaded; resource positions and errors with a message are still mapped`, () => {
      const result = run(entry);
      expect(result.counts).toEqual({ debuggablePromise: 0, resourceCallsites: 1, errorWithMessage: 1 });
      const [header, top] = result.trace as string[];
      expect(header).toBe("Error");
      expect(top).toMatch(/^ {4}at debuggablePromise \(.*[\\/]@pulumi[\\/]pulumi[\\/]runtime[\\/]debuggable\.js:\d+:\d+\)$/);
      expect(result.positions).toBe(true);
    });
  }
});
