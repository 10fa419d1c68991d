/**
 * `npm run bench:require`: how long `require("polytomic-pulumi")` takes in a fresh Node.js process
 * (what a program pays to import the package; under Pulumi's own language host nothing else has
 * loaded the SDK's root by then), as the median of BENCH_RUNS runs (default 9), with the modules
 * it loads and whether the SDK's root, its closure serializer or TypeScript came with it.
 * Measure before and after a change to the package's exports (e.g. generated classes) on the same
 * machine, one after the other. Results: stdout and bench/results/require.json.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { repoRoot, writeResult } from "./lib";

const RUNS = Number(process.env.BENCH_RUNS ?? "9");

interface Sample {
  ms: number;
  modules: number;
  sdkRoot: boolean;
  typescript: boolean;
}

function sample(): Sample {
  const script = `const started = performance.now();
require(${JSON.stringify(path.join(repoRoot, "dist", "lib.js"))});
const ms = performance.now() - started;
const loaded = Object.keys(require.cache);
console.log(JSON.stringify({ ms, modules: loaded.length, sdkRoot: loaded.some((f) => f.endsWith("/@pulumi/pulumi/index.js")), typescript: loaded.some((f) => f.includes("/node_modules/typescript/")) }));`;
  return JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: repoRoot, encoding: "utf8" })) as Sample;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const samples = Array.from({ length: RUNS }, sample);
const result = {
  runs: RUNS,
  medianMs: Math.round(median(samples.map((s) => s.ms))),
  minMs: Math.round(Math.min(...samples.map((s) => s.ms))),
  maxMs: Math.round(Math.max(...samples.map((s) => s.ms))),
  modules: samples[0].modules,
  sdkRoot: samples[0].sdkRoot,
  typescript: samples[0].typescript,
};
console.log(`require("polytomic-pulumi"): median ${result.medianMs} ms (${result.minMs}-${result.maxMs}) over ${RUNS} fresh processes; ${result.modules} modules; SDK root ${result.sdkRoot ? "loaded" : "not loaded"}, TypeScript ${result.typescript ? "loaded" : "not loaded"}`);
writeResult("require", result);
