/**
 * `npm run bench`: what Pulumi operations on this program cost, for stacks of 1, 10, 100 and
 * 1,000 syncs against the emulator (schema-ready delay 200 ms): wall time, API requests and
 * writes (POST/PUT/PATCH/DELETE) of `up` from empty, a no-op `preview`, `up` after editing one
 * sync, `refresh` and `destroy`; the bytes the state backend wrote; the peak memory of the engine
 * (the `pulumi` process) and of the provider host.
 *
 * `BENCH_BACKEND=postgres` keeps the state in a PostgreSQL of the bench's own, as a team does
 * (default: a file backend); bench/stateBackend.ts says how the bytes are counted.
 *
 * It drives the same program, providers, engine settings and commands a user gets: the stack is
 * set up through the Automation API (scripts/lib/stack.ts), and each measured operation is the
 * CLI command `npm run pulumi -- <command>` and the shipped workflows run, with the same engine
 * settings (scripts/lib/pulumiEnv.ts, scripts/speedSettings.ts).
 * Targets checked (exit code 1 when missed): a no-op preview makes at most one request (the
 * credential check), editing one sync exactly 1 write, up from empty at most N + 10 requests,
 * refresh one read per object (plus the credential check).
 * Sizes: BENCH_SIZES=1,10,100 (the default; 1000 as well when asked). Results: a table, and
 * bench/results/stacks-<backend>-<host>.json.
 *
 * The language host: Pulumi's own (with its dynamic-provider shim), as every user runs it, when
 * this machine has it (scripts/lib/languageHost.ts), else this project's langhost/;
 * POLYTOMIC_LANGUAGE_HOST=project|pulumi chooses. The table says which one made it.
 *
 * Terraform beside it: for each size, Polytomic's Terraform provider runs the same five operations
 * right after ours, against an emulator with the same settings (bench/terraform.ts, what
 * `npm run bench:terraform` runs alone), and the table sets both side by side.
 * BENCH_TERRAFORM=0 leaves it out; without `terraform` on PATH or the provider it is left out
 * with a note.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generateServiceAccountKey, startEmulator } from "../emulator";
import { makeProgramFolder, openStack } from "../scripts/lib/stack";
import { providePulumiCli, repoRoot } from "../scripts/lib/pulumiEnv";
import { chosenLanguageHost, describeHost, type LanguageHost } from "../scripts/lib/languageHost";
import { missingTerraform } from "../scripts/lib/terraform";
import { benchTerraformSize, type TerraformRow } from "./terraform";
import { peakRssMb, processTree } from "../scripts/lib/processes";
import { runPulumi } from "../scripts/lib/runPulumi";
import { type BenchBackend, backendKind, openBenchBackend } from "./stateBackend";

const SIZES = (process.env.BENCH_SIZES ?? "1,10,100").split(",").map(Number);
const API_KEY = "bench-api-key-0123456789";
/** Polytomic objects besides the syncs: the gcs and webhook connections and the model. */
const OTHER_OBJECTS = 3;

interface Row {
  syncs: number;
  operation: string;
  seconds: number;
  requests: number;
  writes: number;
  /** Peak resident memory of the `pulumi` process (the engine), MB. */
  engineMb: number;
  /** Peak resident memory of the dynamic-provider host, MB (0: none started). */
  providerMb: number;
  /** What the state backend wrote during the operation, KB. */
  writtenKb: number;
}

function writes(routes: Record<string, number>): number {
  return Object.entries(routes)
    .filter(([route]) => /^(POST|PUT|PATCH|DELETE) /.test(route))
    .reduce((sum, [, n]) => sum + n, 0);
}

/** `count` syncs with the pipeline's settings, keyed sync, sync-1, ...; `edits` replace some syncs' settings. */
export function benchSyncs(count: number, edits: Record<string, object> = {}): Record<string, object> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => (i === 0 ? "sync" : `sync-${i}`)).map((key) => [key, edits[key] ?? {}]));
}

/** Samples the peak memory of the engine and the provider host below this process until stopped. */
function watchMemory(): { stop(): { engineMb: number; providerMb: number } } {
  const peaks = { engineMb: 0, providerMb: 0 };
  const sample = () => {
    for (const p of processTree(process.pid)) {
      if (/(^|\/)pulumi /.test(p.command)) peaks.engineMb = Math.max(peaks.engineMb, peakRssMb(p.pid));
      if (p.command.includes("dynamic-provider")) peaks.providerMb = Math.max(peaks.providerMb, peakRssMb(p.pid));
    }
  };
  const timer = setInterval(sample, 200);
  return {
    stop() {
      clearInterval(timer);
      return peaks;
    },
  };
}

export interface BenchStack {
  stack: Awaited<ReturnType<typeof openStack>>["stack"];
  env: Record<string, string>;
  programDir: string;
  stackName: string;
}

/** A stack of `syncCount` syncs of the bench's program against `emulatorUrl`, in a program folder of its own under `dir`. */
export async function openBenchStack(syncCount: number, binDir: string, dir: string, backend: BenchBackend, emulatorUrl: string): Promise<BenchStack> {
  const programDir = makeProgramFolder(path.join(dir, `program-${syncCount}`));
  const stackName = `bench-${syncCount}`;
  const { stack, env } = await openStack({
    stackName,
    workDir: programDir,
    binDir,
    ...backend.pulumi(stackName),
    pulumiHome: path.join(dir, "home"),
    passphrase: "bench",
  });
  await stack.setAllConfig({
    "polytomic:url": { value: emulatorUrl },
    "polytomic:apiKey": { value: API_KEY, secret: true },
    gcpMode: { value: "existing" },
    bucketName: { value: "polytomic-demo" },
    serviceAccountKey: { value: generateServiceAccountKey({ projectId: "bench-project" }), secret: true },
    receiverUrl: { value: "http://127.0.0.1:9/records" },
    namePrefix: { value: "bench" },
    syncs: { value: JSON.stringify(benchSyncs(syncCount)) },
  });
  return { stack, env, programDir, stackName };
}

/** The emulator as the bench runs it: schema-ready delay 200 ms, quiet. */
export function startBenchEmulator(): ReturnType<typeof startEmulator> {
  return startEmulator({ port: 0, apiKey: API_KEY, schemaReadyDelayMs: 200, log: () => undefined });
}

async function benchSize(syncCount: number, binDir: string, dir: string, backend: BenchBackend): Promise<Row[]> {
  const emulator = await startBenchEmulator();
  try {
    const { stack, env, programDir, stackName } = await openBenchStack(syncCount, binDir, dir, backend, emulator.url);

    const rows: Row[] = [];
    const measure = async (operation: string, run: () => Promise<unknown>) => {
      emulator.resetStats();
      const written = await backend.measureWrites();
      const memory = watchMemory();
      const started = process.hrtime.bigint();
      await run();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const stats = emulator.stats();
      const row = { syncs: syncCount, operation, seconds, requests: stats.total, writes: writes(stats.routes), ...memory.stop(), writtenKb: (await written()) / 1024 };
      rows.push(row);
      console.error(`  ${syncCount} syncs: ${operation} ${seconds.toFixed(1)} s, ${stats.total} requests, engine ${row.engineMb.toFixed(0)} MB, backend wrote ${row.writtenKb.toFixed(0)} KB`);
    };

    // Each operation is the command a user types (`npm run pulumi -- up --yes`, ...), run as that
    // script runs it: the CLI alone, without the Automation API's extra commands after each one.
    const pulumi = (...args: string[]) => async () => {
      const run = await runPulumi([...args, "--stack", stackName], { cwd: programDir, env, echo: false });
      if (run.status !== 0) throw new Error(`pulumi ${args.join(" ")} failed:\n${run.output}`);
    };
    await measure("up (from empty)", pulumi("up", "--yes"));
    await measure("preview (no-op)", pulumi("preview"));
    await stack.setConfig("syncs", { value: JSON.stringify(benchSyncs(syncCount, { sync: { batchSize: 50 } })) });
    await measure("up (edit one sync)", pulumi("up", "--yes"));
    await measure("refresh", pulumi("refresh", "--yes"));
    await measure("destroy", pulumi("destroy", "--yes"));
    return rows;
  } finally {
    await emulator.stop();
  }
}

/** What the issue asks of every size; each miss is one line. */
function missedTargets(rows: Row[]): string[] {
  return rows.flatMap((r) => {
    const objects = r.syncs + OTHER_OBJECTS;
    const missed: string[] = [];
    if (r.operation === "preview (no-op)" && r.requests > 1) missed.push(`no-op preview of ${r.syncs} made ${r.requests} requests (at most 1)`);
    if (r.operation === "up (edit one sync)" && r.writes !== 1) missed.push(`editing one sync of ${r.syncs} made ${r.writes} writes (exactly 1)`);
    if (r.operation === "up (from empty)" && r.requests > r.syncs + 10) missed.push(`up of ${r.syncs} from empty made ${r.requests} requests (at most ${r.syncs + 10})`);
    if (r.operation === "refresh" && r.requests > objects + 1) missed.push(`refresh of ${objects} objects made ${r.requests} requests (one read each)`);
    return missed;
  });
}

/** Terraform's name for each of our operations (bench/terraform.ts). */
const TERRAFORM_OPERATION: Record<string, string> = {
  "up (from empty)": "apply (from empty)",
  "preview (no-op)": "plan (no-op)",
  "up (edit one sync)": "apply (edit one sync)",
  refresh: "refresh",
  destroy: "destroy",
};

/** Why Terraform's figures are left out of this run, or undefined when they are in. */
function terraformLeftOut(): string | undefined {
  if (process.env.BENCH_TERRAFORM === "0") return "BENCH_TERRAFORM=0";
  return missingTerraform();
}

/** The table: ours, and Terraform's figures for the same size and operation beside them. */
function table(rows: Row[], terraform: TerraformRow[]): string[] {
  const tf = (r: Row) => terraform.find((t) => t.syncs === r.syncs && t.operation === TERRAFORM_OPERATION[r.operation]);
  const withTerraform = terraform.length > 0;
  const header = ["syncs", "operation", "seconds", ...(withTerraform ? ["Terraform s", "ours / Terraform"] : []), "API requests", ...(withTerraform ? ["Terraform requests"] : []), "writes", "backend wrote KB", "engine MB", "provider MB"];
  const lines = rows.map((r) => {
    const t = tf(r);
    return [
      String(r.syncs), r.operation, r.seconds.toFixed(2),
      ...(withTerraform ? [t ? t.seconds.toFixed(2) : "-", t ? `${(r.seconds / t.seconds).toFixed(2)}x` : "-"] : []),
      String(r.requests),
      ...(withTerraform ? [t ? String(t.requests) : "-"] : []),
      String(r.writes), r.writtenKb.toFixed(0), r.engineMb.toFixed(0), r.providerMb.toFixed(0),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [format(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...lines.map(format)];
}

async function main(): Promise<void> {
  const host: LanguageHost = chosenLanguageHost(repoRoot, "pulumi-if-present");
  const binDir = providePulumiCli(repoRoot, host);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "polytomic-bench-"));
  const loadBefore = os.loadavg();
  const rows: Row[] = [];
  const terraform: TerraformRow[] = [];
  const kind = backendKind();
  const backend = await openBenchBackend(kind, dir);
  const leftOut = terraformLeftOut();
  console.error(`state backend: ${kind}; language host: ${describeHost(host, repoRoot)}; Terraform: ${leftOut ? `left out (${leftOut})` : "beside each size"}`);
  try {
    for (const size of SIZES) {
      rows.push(...(await benchSize(size, binDir, dir, backend)));
      if (!leftOut) terraform.push(...(await benchTerraformSize(size, dir, backend)));
    }
  } finally {
    await backend.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const date = new Date().toISOString();
  console.log(`Pulumi under ${describeHost(host, repoRoot)}; state backend ${kind}${terraform.length ? ", Terraform (Polytomic's provider v2.0.0) on the same emulator settings" : ""}; ${date}, ${os.cpus().length} cores`);
  for (const line of table(rows, terraform)) console.log(line);

  const outDir = path.join(repoRoot, "bench", "results");
  fs.mkdirSync(outDir, { recursive: true });
  // The load average says how busy the (shared) machine was: quote times with it.
  const machine = { cpus: os.cpus().length, node: process.version, date, loadavgBefore: loadBefore, loadavgAfter: os.loadavg() };
  fs.writeFileSync(path.join(outDir, `stacks-${kind}-${host}.json`), JSON.stringify({ machine, backend: kind, host, rows, terraform }, null, 2) + "\n");
  console.log(`load average (1, 5, 15 min): before ${loadBefore.map((l) => l.toFixed(1)).join(", ")}; after ${os.loadavg().map((l) => l.toFixed(1)).join(", ")}`);
  const slower = rows.filter((r) => {
    const t = terraform.find((x) => x.syncs === r.syncs && x.operation === TERRAFORM_OPERATION[r.operation]);
    return t !== undefined && r.seconds > t.seconds;
  });
  if (terraform.length) console.log(`${rows.length - slower.length} of ${rows.length} operations at or under Terraform's time`);

  const failures = missedTargets(rows);
  if (failures.length > 0) {
    console.error(`targets missed:\n  ${failures.join("\n  ")}`);
    process.exitCode = 1;
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.stack : String(err));
    process.exit(1);
  });
}
