/**
 * `npm run bench:terraform`: the same pipeline through Polytomic's own Terraform provider (v2.0.0,
 * run from ../shared/tools/terraform-peer/bin, never copied), against the same emulator settings
 * as `npm run bench` (schema-ready delay 200 ms), for the figures to set ours against: `apply`
 * from empty, a no-op `plan`, `apply` after editing one sync, a refresh (`apply -refresh-only`)
 * and `destroy`, with their API requests and the bytes the state backend wrote.
 *
 * `BENCH_BACKEND=postgres` keeps the state in Terraform's `pg` backend on a PostgreSQL of the
 * bench's own (default: the local file); scripts/lib/terraform.ts says how Terraform is run.
 * Sizes: BENCH_SIZES=1,10,100 (the default, as `npm run bench`, which also runs this beside its own
 * figures when Terraform is here).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../emulator";
import { missingTerraform, pipelineConfiguration, terraformWorkspace } from "../scripts/lib/terraform";
import { repoRoot } from "./lib";
import { backendKind, type BenchBackend, openBenchBackend } from "./stateBackend";

const SIZES = (process.env.BENCH_SIZES ?? "1,10,100").split(",").map(Number);
const API_KEY = "bench-terraform-key-0123456789";

export interface TerraformRow {
  syncs: number;
  operation: string;
  seconds: number;
  requests: number;
  writtenKb: number;
}

/** Terraform's five operations on `syncCount` syncs, each against a fresh emulator with `npm run bench`'s settings. */
export async function benchTerraformSize(syncCount: number, dir: string, backend: BenchBackend, log = true): Promise<TerraformRow[]> {
  // In this process: Terraform runs as a child, asynchronously, while the emulator answers.
  const emulator = await startEmulator({ port: 0, apiKey: API_KEY, schemaReadyDelayMs: 200, log: () => undefined });
  try {
    const pg = backend.connectionString ? { connectionString: backend.connectionString, schema: `terraform_${syncCount}` } : undefined;
    const terraform = await terraformWorkspace(path.join(dir, `terraform-${syncCount}`), pg);
    const configure = (firstBatch: number) => {
      const syncs = Array.from({ length: syncCount }, (_, i) => ({ resource: `sync_${i}`, name: `bench-sync-${i}`, batchSize: i === 0 ? firstBatch : 100 }));
      terraform.configure(pipelineConfiguration({ url: emulator.url, apiKey: API_KEY, syncs, pgBackend: pg !== undefined }));
    };
    configure(100);

    const rows: TerraformRow[] = [];
    const measure = async (operation: string, args: string[]) => {
      emulator.resetStats();
      const written = await backend.measureWrites();
      const started = process.hrtime.bigint();
      const run = await terraform.run(...args);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (run.status !== 0) throw new Error(`terraform ${args.join(" ")} failed (${run.status}):\n${run.output.slice(-4000)}`);
      const row = { syncs: syncCount, operation, seconds, requests: emulator.stats().total, writtenKb: (await written()) / 1024 };
      rows.push(row);
      if (log) console.error(`  ${syncCount} syncs: ${operation} ${seconds.toFixed(1)} s, ${row.requests} requests, backend wrote ${row.writtenKb.toFixed(0)} KB`);
    };
    await measure("apply (from empty)", ["apply", "-auto-approve"]);
    await measure("plan (no-op)", ["plan", "-detailed-exitcode"]);
    configure(50);
    await measure("apply (edit one sync)", ["apply", "-auto-approve"]);
    await measure("refresh", ["apply", "-refresh-only", "-auto-approve"]);
    await measure("destroy", ["destroy", "-auto-approve"]);
    return rows;
  } finally {
    await emulator.stop();
  }
}

async function main(): Promise<void> {
  const missing = missingTerraform();
  if (missing) throw new Error(missing);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "polytomic-bench-terraform-"));
  const kind = backendKind();
  const backend = await openBenchBackend(kind, dir);
  console.error(`Terraform state backend: ${kind === "postgres" ? "pg" : "local"}`);
  const rows: TerraformRow[] = [];
  try {
    for (const size of SIZES) rows.push(...(await benchTerraformSize(size, dir, backend)));
  } finally {
    await backend.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log("| syncs | operation | seconds | API requests | backend wrote KB |");
  console.log("|---|---|---|---|---|");
  for (const r of rows) console.log(`| ${r.syncs} | ${r.operation} | ${r.seconds.toFixed(1)} | ${r.requests} | ${r.writtenKb.toFixed(0)} |`);
  const outDir = path.join(repoRoot, "bench", "results");
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, `terraform-${kind}.json`), JSON.stringify({ date: new Date().toISOString(), backend: kind, loadavg: os.loadavg(), rows }, null, 2) + "\n");
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
}
