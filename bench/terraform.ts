/**
 * `npm run bench:terraform`: the same pipeline through Polytomic's own Terraform provider (v2.0.0,
 * run from ../shared/tools/terraform-peer/bin, never copied), against the same emulator settings
 * as `npm run bench` (schema-ready delay 200 ms), for the figures to set ours against: `apply`
 * from empty, a no-op `plan`, `apply` after editing one sync, a refresh (`apply -refresh-only`)
 * and `destroy`, with their API requests and the bytes the state backend wrote.
 *
 * `BENCH_BACKEND=postgres` keeps the state in Terraform's `pg` backend on a PostgreSQL of the
 * bench's own (default: the local file). Terraform installs the provider from a temporary folder
 * that links to the binary (`terraform init -plugin-dir`), so no registry is reached.
 * Sizes: BENCH_SIZES=100,1000 (the default).
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generateServiceAccountKey, startEmulator } from "../emulator";
import { repoRoot } from "./lib";
import { backendKind, type BenchBackend, openBenchBackend } from "./stateBackend";

const SIZES = (process.env.BENCH_SIZES ?? "100,1000").split(",").map(Number);
const API_KEY = "bench-terraform-key-0123456789";
const PROVIDER = path.resolve(repoRoot, "..", "shared", "tools", "terraform-peer", "bin", "terraform-provider-polytomic");

interface Row {
  syncs: number;
  operation: string;
  seconds: number;
  requests: number;
  writtenKb: number;
}

function configuration(url: string, syncs: number, editedBatch: number, backend: BenchBackend): string {
  return `
terraform {
  required_providers { polytomic = { source = "polytomic/polytomic", version = "2.0.0" } }
  ${backend.kind === "postgres" ? 'backend "pg" {}' : ""}
}
provider "polytomic" {
  deployment_url = "${url}"
  api_key        = "${API_KEY}"
}
resource "polytomic_gcs_connection" "gcs" {
  name          = "bench-contacts-bucket"
  configuration = { bucket = "polytomic-demo", service_account = file("\${path.module}/service-account.json") }
}
resource "polytomic_webhook_connection" "hook" {
  name          = "bench-receiver"
  configuration = { url = "http://127.0.0.1:9/records", auth_method = "polytomic_secret" }
}
resource "polytomic_model" "users" {
  name          = "bench-high-paying-users"
  connection_id = polytomic_gcs_connection.gcs.id
  configuration = jsonencode({ model_from = "single_file", key = "high_paying_users.csv" })
}
resource "polytomic_sync" "sync" {
  count    = ${syncs}
  name     = "bench-sync-\${count.index}"
  active   = true
  mode     = "updateOrCreate"
  schedule = { frequency = "manual" }
  target = {
    connection_id = polytomic_webhook_connection.hook.id
    object        = "http"
    configuration = jsonencode({ batch_size = count.index == 0 ? ${editedBatch} : 100 })
  }
  fields = [
    for column in ["email_address", "first_name", "last_name"] :
    { source = { model_id = polytomic_model.users.id, field = column }, target = "record" }
  ]
}
`;
}

function terraform(dir: string, env: NodeJS.ProcessEnv, args: string[]): Promise<{ status: number; output: string }> {
  return new Promise((resolve) => {
    execFile("terraform", [...args, "-no-color", "-input=false"], { cwd: dir, env, maxBuffer: 256 << 20 }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === "number" ? error.code : 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

async function benchSize(syncs: number, dir: string, backend: BenchBackend): Promise<Row[]> {
  // In this process: Terraform runs as a child, asynchronously, while the emulator answers.
  const emulator = await startEmulator({ port: 0, apiKey: API_KEY, schemaReadyDelayMs: 200, log: () => undefined });
  const work = path.join(dir, `terraform-${syncs}`);
  fs.mkdirSync(work, { recursive: true });
  try {
    fs.writeFileSync(path.join(work, "service-account.json"), generateServiceAccountKey({ projectId: "bench-project" }));
    const mirror = path.join(dir, "providers", "registry.terraform.io", "polytomic", "polytomic", "2.0.0", "linux_amd64");
    fs.mkdirSync(mirror, { recursive: true });
    if (!fs.existsSync(path.join(mirror, "terraform-provider-polytomic_v2.0.0"))) fs.symlinkSync(PROVIDER, path.join(mirror, "terraform-provider-polytomic_v2.0.0"));
    const rc = path.join(dir, "terraform.rc");
    fs.writeFileSync(rc, "disable_checkpoint = true\n");
    const env = { ...process.env, TF_CLI_CONFIG_FILE: rc, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_PLUGIN_CACHE_DIR: "" };
    const write = (editedBatch: number) => fs.writeFileSync(path.join(work, "main.tf"), configuration(emulator.url, syncs, editedBatch, backend));
    write(100);
    const backendArgs = backend.connectionString ? [`-backend-config=conn_str=${backend.connectionString}`, `-backend-config=schema_name=terraform_${syncs}`] : [];
    const init = await terraform(work, env, ["init", `-plugin-dir=${path.join(dir, "providers")}`, ...backendArgs]);
    if (init.status !== 0) throw new Error(`terraform init failed:\n${init.output}`);

    const rows: Row[] = [];
    const measure = async (operation: string, args: string[], okStatuses = [0]) => {
      emulator.resetStats();
      const written = await backend.measureWrites();
      const started = process.hrtime.bigint();
      const run = await terraform(work, env, args);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (!okStatuses.includes(run.status)) throw new Error(`terraform ${args.join(" ")} failed (${run.status}):\n${run.output.slice(-4000)}`);
      const row = { syncs, operation, seconds, requests: emulator.stats().total, writtenKb: (await written()) / 1024 };
      rows.push(row);
      console.error(`  ${syncs} syncs: ${operation} ${seconds.toFixed(1)} s, ${row.requests} requests, backend wrote ${row.writtenKb.toFixed(0)} KB`);
    };
    await measure("apply (from empty)", ["apply", "-auto-approve"]);
    await measure("plan (no-op)", ["plan", "-detailed-exitcode"]);
    write(50);
    await measure("apply (edit one sync)", ["apply", "-auto-approve"]);
    await measure("refresh", ["apply", "-refresh-only", "-auto-approve"]);
    await measure("destroy", ["destroy", "-auto-approve"]);
    return rows;
  } finally {
    await emulator.stop();
  }
}

async function main(): Promise<void> {
  if (!fs.existsSync(PROVIDER)) throw new Error(`Polytomic's Terraform provider is not at ${PROVIDER}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "polytomic-bench-terraform-"));
  const kind = backendKind();
  const backend = await openBenchBackend(kind, dir);
  console.error(`Terraform state backend: ${kind === "postgres" ? "pg" : "local"}`);
  const rows: Row[] = [];
  try {
    for (const size of SIZES) rows.push(...(await benchSize(size, dir, backend)));
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

main().catch((err) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
