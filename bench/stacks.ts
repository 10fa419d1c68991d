/**
 * `npm run bench`: what Pulumi operations on this program cost, for stacks of 1, 10 and 100
 * syncs against the emulator: wall time, API requests and writes (POST/PUT/PATCH/DELETE) of
 * `up` from empty, a no-op `preview`, `up` after editing one sync, `refresh` and `destroy`.
 *
 * Targets: a no-op preview makes 0 requests; editing one sync makes exactly 1 write; time grows
 * no worse than linearly (the engine runs independent creates in parallel).
 * Results: printed as a table and written to bench/results/stacks.json.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generateServiceAccountKey, startEmulator } from "../emulator";
import { makeProgramFolder, openStack } from "../scripts/lib/stack";
import { providePulumiCli, repoRoot } from "../scripts/lib/pulumiEnv";

const SIZES = (process.env.BENCH_SIZES ?? "1,10,100").split(",").map(Number);
const API_KEY = "bench-api-key-0123456789";

interface Row {
  syncs: number;
  operation: string;
  seconds: number;
  requests: number;
  writes: number;
}

function writes(routes: Record<string, number>): number {
  return Object.entries(routes)
    .filter(([route]) => /^(POST|PUT|PATCH|DELETE) /.test(route))
    .reduce((sum, [, n]) => sum + n, 0);
}

/** `count` syncs with the pipeline's settings, keyed sync, sync-1, ...; `edits` replace some syncs' settings. */
function benchSyncs(count: number, edits: Record<string, object> = {}): Record<string, object> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => (i === 0 ? "sync" : `sync-${i}`)).map((key) => [key, edits[key] ?? {}]));
}

async function benchSize(syncCount: number, binDir: string, dir: string): Promise<Row[]> {
  const emulator = await startEmulator({ port: 0, apiKey: API_KEY, schemaReadyDelayMs: 200, log: () => undefined });
  try {
    const programDir = makeProgramFolder(path.join(dir, `program-${syncCount}`));
    const { stack } = await openStack({
      stackName: `bench-${syncCount}`,
      workDir: programDir,
      binDir,
      backendDir: path.join(dir, "backend"),
      pulumiHome: path.join(dir, "home"),
      passphrase: "bench",
    });
    await stack.setAllConfig({
      "polytomic:url": { value: emulator.url },
      "polytomic:apiKey": { value: API_KEY, secret: true },
      gcpMode: { value: "existing" },
      bucketName: { value: "polytomic-demo" },
      serviceAccountKey: { value: generateServiceAccountKey({ projectId: "bench-project" }), secret: true },
      receiverUrl: { value: "http://127.0.0.1:9/records" },
      namePrefix: { value: "bench" },
      syncs: { value: JSON.stringify(benchSyncs(syncCount)) },
    });

    const rows: Row[] = [];
    const measure = async (operation: string, run: () => Promise<unknown>) => {
      emulator.resetStats();
      const started = process.hrtime.bigint();
      await run();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const stats = emulator.stats();
      rows.push({ syncs: syncCount, operation, seconds, requests: stats.total, writes: writes(stats.routes) });
      console.error(`  ${syncCount} syncs: ${operation} ${seconds.toFixed(1)} s, ${stats.total} requests`);
    };

    await measure("up (from empty)", () => stack.up());
    await measure("preview (no-op)", () => stack.preview());
    await stack.setConfig("syncs", { value: JSON.stringify(benchSyncs(syncCount, { sync: { batchSize: 50 } })) });
    await measure("up (edit one sync)", () => stack.up());
    await measure("refresh", () => stack.refresh());
    await measure("destroy", () => stack.destroy());
    return rows;
  } finally {
    await emulator.stop();
  }
}

async function main(): Promise<void> {
  const binDir = providePulumiCli();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "polytomic-bench-"));
  const rows: Row[] = [];
  try {
    for (const size of SIZES) rows.push(...(await benchSize(size, binDir, dir)));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const header = ["syncs", "operation", "seconds", "API requests", "writes"];
  const lines = rows.map((r) => [String(r.syncs), r.operation, r.seconds.toFixed(1), String(r.requests), String(r.writes)]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  console.log(format(header));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const line of lines) console.log(format(line));

  const outDir = path.join(repoRoot, "bench", "results");
  fs.mkdirSync(outDir, { recursive: true });
  const machine = { cpus: os.cpus().length, node: process.version, date: new Date().toISOString() };
  fs.writeFileSync(path.join(outDir, "stacks.json"), JSON.stringify({ machine, rows }, null, 2) + "\n");

  const failures = rows.flatMap((r) => [
    ...(r.operation === "preview (no-op)" && r.requests !== 0 ? [`no-op preview of ${r.syncs} made ${r.requests} requests`] : []),
    ...(r.operation === "up (edit one sync)" && r.writes !== 1 ? [`editing one sync of ${r.syncs} made ${r.writes} writes`] : []),
  ]);
  if (failures.length > 0) {
    console.error(`targets missed:\n  ${failures.join("\n  ")}`);
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : String(err));
  process.exit(1);
});
