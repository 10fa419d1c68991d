/**
 * Polytomic's own Terraform provider (v2.0.0, written by Polytomic against its real API) as a
 * second client of the emulator: the same pipeline (gcs and webhook connections, a model over the
 * CSV, several syncs to the webhook) through apply, a no-op plan, an in-place edit, a rename and
 * destroy. Terraform checks every answer against its plan ("Provider produced inconsistent result
 * after apply"), so a clean run means the emulator answers field by field as Polytomic does.
 *
 * Needs `terraform` on PATH and the provider binary in ../shared/tools/terraform-peer/bin (run from
 * there, never copied: scripts/lib/terraform.ts); without either the suite is skipped and says which.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AnswerForm, startEmulator } from "../../emulator";
import { missingTerraform, pipelineConfiguration, type TerraformWorkspace, terraformWorkspace } from "../../scripts/lib/terraform";
import { count, inventory } from "./api";

const API_KEY = "terraform-e2e-key-0123456789";
const missing = missingTerraform();
if (missing) console.warn(`test/e2e/terraform.test.ts skipped: ${missing}`);

describe.skipIf(missing !== undefined).each(["docs", "sdk"] as const)("Polytomic's Terraform provider against the emulator answering as the %s do", (answerForm: AnswerForm) => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let dir: string;
  let terraform: TerraformWorkspace;
  const syncs = [
    { resource: "a", name: "tf-sync-a", batchSize: 100 },
    { resource: "b", name: "tf-sync-b", batchSize: 50 },
    { resource: "c", name: "tf-sync-c", batchSize: 500 },
  ];
  const write = () => terraform.configure(pipelineConfiguration({ url: emulator.url, apiKey: API_KEY, syncs }));
  /** The planned actions by resource address, from a saved plan. */
  const plannedActions = async (): Promise<Record<string, string[]>> => {
    const plan = await terraform.run("plan", "-out=edit.tfplan");
    expect(plan.status, plan.output).toBe(0);
    const shown = await terraform.run("show", "-json", "edit.tfplan");
    const changes = (JSON.parse(shown.stdout).resource_changes ?? []) as { address: string; change: { actions: string[] } }[];
    return Object.fromEntries(changes.filter((c) => c.change.actions.join() !== "no-op").map((c) => [c.address, c.change.actions]));
  };
  const expectNoChanges = async () => {
    const plan = await terraform.run("plan", "-detailed-exitcode");
    expect(plan.status, plan.output).toBe(0);
  };
  const apply = async () => {
    const run = await terraform.run("apply", "-auto-approve");
    expect(run.status, run.output).toBe(0);
  };

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, apiKey: API_KEY, answerForm, log: () => undefined });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "polytomic-terraform-"));
    terraform = await terraformWorkspace(dir);
    write();
  }, 120_000);

  afterAll(async () => {
    if (terraform) await terraform.run("destroy", "-auto-approve");
    await emulator?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("apply creates the pipeline, with no inconsistent result", async () => {
    await apply();
    expect(count(await inventory(emulator.url, API_KEY))).toEqual({ connections: 2, models: 1, syncs: 3, webhooks: 0 });
  });

  it("a plan right after changes nothing", async () => {
    await expectNoChanges();
  });

  it("an edited batch size is an in-place update of that sync, and the next plan is clean", async () => {
    syncs[1].batchSize = 25;
    write();
    expect(await plannedActions()).toEqual({ "polytomic_sync.b": ["update"] });
    await apply();
    const stored = emulator.state.syncs().find((s) => s.name === "tf-sync-b");
    expect(stored?.target.configuration).toEqual({ batch_size: 25 });
    await expectNoChanges();
  });

  it("a rename is an in-place update too, and the next plan is clean", async () => {
    const before = emulator.state.syncs().find((s) => s.name === "tf-sync-a")?.id;
    syncs[0].name = "tf-sync-a-renamed";
    write();
    expect(await plannedActions()).toEqual({ "polytomic_sync.a": ["update"] });
    await apply();
    expect(emulator.state.syncs().find((s) => s.name === "tf-sync-a-renamed")?.id).toBe(before);
    await expectNoChanges();
  });

  it("destroy leaves the organization empty", async () => {
    const destroy = await terraform.run("destroy", "-auto-approve");
    expect(destroy.status, destroy.output).toBe(0);
    expect(count(await inventory(emulator.url, API_KEY))).toEqual({ connections: 0, models: 0, syncs: 0, webhooks: 0 });
  });
});
