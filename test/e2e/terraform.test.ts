/**
 * Polytomic's own Terraform provider (v2.0.0, written by Polytomic against its real API) as a
 * second client of the emulator: the same pipeline (gcs and webhook connections, a model over the
 * CSV, several syncs to the webhook) through apply, a no-op plan, an in-place edit, a rename and
 * destroy. Terraform checks every answer against its plan ("Provider produced inconsistent result
 * after apply"), so a clean run means the emulator answers field by field as Polytomic does.
 *
 * Needs `terraform` on PATH and the provider binary in ../shared/tools/terraform-peer/bin (run from
 * there, never copied); without either the suite is skipped and says which is missing.
 */
import { execFile, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AnswerForm, generateServiceAccountKey, startEmulator } from "../../emulator";
import { count, inventory } from "./api";

const repoRoot = path.resolve(__dirname, "..", "..");
const providerDir = path.resolve(repoRoot, "..", "shared", "tools", "terraform-peer", "bin");
const providerBinary = path.join(providerDir, "terraform-provider-polytomic");
const API_KEY = "terraform-e2e-key-0123456789";

function missingTools(): string | undefined {
  if (spawnSync("terraform", ["version"], { encoding: "utf8" }).status !== 0) return "terraform is not on PATH";
  if (!fs.existsSync(providerBinary)) return `Polytomic's Terraform provider is not at ${providerBinary}`;
  return undefined;
}
const missing = missingTools();
if (missing) console.warn(`test/e2e/terraform.test.ts skipped: ${missing}`);

/** The pipeline as Terraform declares it; `syncs` maps each sync's name to its batch size. */
function configuration(url: string, syncs: Record<string, { name: string; batchSize: number }>): string {
  const syncBlocks = Object.entries(syncs).map(
    ([key, sync]) => `
resource "polytomic_sync" "${key}" {
  name     = "${sync.name}"
  active   = true
  mode     = "updateOrCreate"
  schedule = { frequency = "manual" }
  target = {
    connection_id = polytomic_webhook_connection.hook.id
    object        = "http"
    configuration = jsonencode({ batch_size = ${sync.batchSize} })
  }
  fields = [
    for column in ["email_address", "first_name", "plan"] :
    { source = { model_id = polytomic_model.users.id, field = column }, target = "record" }
  ]
}`,
  );
  return `
terraform {
  required_providers { polytomic = { source = "polytomic/polytomic" } }
}
provider "polytomic" {
  deployment_url = "${url}"
  api_key        = "${API_KEY}"
}
resource "polytomic_gcs_connection" "gcs" {
  name = "tf-contacts-bucket"
  configuration = {
    bucket          = "polytomic-demo"
    service_account = file("\${path.module}/service-account.json")
  }
}
resource "polytomic_webhook_connection" "hook" {
  name = "tf-receiver"
  configuration = {
    url         = "http://127.0.0.1:9/records"
    auth_method = "polytomic_secret"
  }
}
resource "polytomic_model" "users" {
  name          = "tf-high-paying-users"
  connection_id = polytomic_gcs_connection.gcs.id
  configuration = jsonencode({ model_from = "single_file", key = "high_paying_users.csv" })
}
${syncBlocks.join("\n")}
`;
}

describe.skipIf(missing !== undefined).each(["docs", "sdk"] as const)("Polytomic's Terraform provider against the emulator answering as the %s do", (answerForm: AnswerForm) => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const syncs = { a: { name: "tf-sync-a", batchSize: 100 }, b: { name: "tf-sync-b", batchSize: 50 }, c: { name: "tf-sync-c", batchSize: 500 } };

  // Asynchronous: the emulator answers from this same process while Terraform runs.
  const terraform = (...args: string[]) =>
    new Promise<{ status: number; stdout: string; output: string }>((resolve) => {
      execFile("terraform", args, { cwd: dir, env, encoding: "utf8", timeout: 180_000, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
        const status = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ status, stdout, output: `${stdout}\n${stderr}` });
      });
    });
  const write = () => fs.writeFileSync(path.join(dir, "main.tf"), configuration(emulator.url, syncs));
  /** The planned actions by resource address, from a saved plan. */
  const plannedActions = async (): Promise<Record<string, string[]>> => {
    const plan = await terraform("plan", "-no-color", "-input=false", "-out=edit.tfplan");
    expect(plan.status, plan.output).toBe(0);
    const shown = await terraform("show", "-json", "edit.tfplan");
    const changes = (JSON.parse(shown.stdout).resource_changes ?? []) as { address: string; change: { actions: string[] } }[];
    return Object.fromEntries(changes.filter((c) => c.change.actions.join() !== "no-op").map((c) => [c.address, c.change.actions]));
  };
  const expectNoChanges = async () => {
    const plan = await terraform("plan", "-no-color", "-input=false", "-detailed-exitcode");
    expect(plan.status, plan.output).toBe(0);
  };

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, apiKey: API_KEY, answerForm, log: () => undefined });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "polytomic-terraform-"));
    fs.writeFileSync(path.join(dir, "service-account.json"), generateServiceAccountKey({ projectId: "tf-project" }));
    // No registry: dev_overrides point Terraform at the provider's own folder (no `terraform init`).
    const rc = path.join(dir, "terraform.rc");
    fs.writeFileSync(rc, `disable_checkpoint = true\nprovider_installation {\n  dev_overrides { "polytomic/polytomic" = ${JSON.stringify(providerDir)} }\n}\n`);
    env = { ...process.env, TF_CLI_CONFIG_FILE: rc, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0", TF_DATA_DIR: path.join(dir, ".terraform") };
    write();
  }, 60_000);

  afterAll(async () => {
    if (dir) await terraform("destroy", "-no-color", "-input=false", "-auto-approve");
    await emulator?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("apply creates the pipeline, with no inconsistent result", async () => {
    const apply = await terraform("apply", "-no-color", "-input=false", "-auto-approve");
    expect(apply.status, apply.output).toBe(0);
    expect(count(await inventory(emulator.url, API_KEY))).toEqual({ connections: 2, models: 1, syncs: 3, webhooks: 0 });
  });

  it("a plan right after changes nothing", async () => {
    await expectNoChanges();
  });

  it("an edited batch size is an in-place update of that sync, and the next plan is clean", async () => {
    syncs.b.batchSize = 25;
    write();
    expect(await plannedActions()).toEqual({ "polytomic_sync.b": ["update"] });
    const apply = await terraform("apply", "-no-color", "-input=false", "-auto-approve");
    expect(apply.status, apply.output).toBe(0);
    const stored = emulator.state.syncs().find((s) => s.name === "tf-sync-b");
    expect(stored?.target.configuration).toEqual({ batch_size: 25 });
    await expectNoChanges();
  });

  it("a rename is an in-place update too, and the next plan is clean", async () => {
    const before = emulator.state.syncs().find((s) => s.name === "tf-sync-a")?.id;
    syncs.a.name = "tf-sync-a-renamed";
    write();
    expect(await plannedActions()).toEqual({ "polytomic_sync.a": ["update"] });
    const apply = await terraform("apply", "-no-color", "-input=false", "-auto-approve");
    expect(apply.status, apply.output).toBe(0);
    expect(emulator.state.syncs().find((s) => s.name === "tf-sync-a-renamed")?.id).toBe(before);
    await expectNoChanges();
  });

  it("destroy leaves the organization empty", async () => {
    const destroy = await terraform("destroy", "-no-color", "-input=false", "-auto-approve");
    expect(destroy.status, destroy.output).toBe(0);
    expect(count(await inventory(emulator.url, API_KEY))).toEqual({ connections: 0, models: 0, syncs: 0, webhooks: 0 });
  });
});
