/**
 * Polytomic's own Terraform provider (v2.0.0) driving this project's pipeline, for the tests that
 * hold the emulator against a second official client (test/e2e/terraform.test.ts) and the
 * benchmark that sets our figures against Terraform's (bench/terraform.ts).
 *
 * The provider binary is run from ../shared/tools/terraform-peer/bin, never copied: `terraform
 * init -plugin-dir` reads it through a symbolic link in a temporary folder laid out as a provider
 * mirror, so no registry is reached, with the local or the `pg` state backend alike.
 */
import { execFile, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { generateServiceAccountKey } from "../../emulator";
import { repoRoot } from "./pulumiEnv";
import { sharedToolPath } from "./sharedTools";

export const TERRAFORM_PROVIDER = sharedToolPath(repoRoot, "terraform-peer", "bin", "terraform-provider-polytomic");

/** Why Terraform cannot be run here, or undefined when it can. */
export function missingTerraform(): string | undefined {
  if (spawnSync("terraform", ["version"], { encoding: "utf8" }).status !== 0) return "terraform is not on PATH";
  if (!fs.existsSync(TERRAFORM_PROVIDER)) return `Polytomic's Terraform provider is not at ${TERRAFORM_PROVIDER}`;
  return undefined;
}

export interface TerraformSync {
  /** The resource's name in the configuration (`polytomic_sync.<resource>`). */
  resource: string;
  name: string;
  batchSize: number;
}

/** The pipeline as Terraform declares it: gcs and webhook connections, a model over the demo CSV, the syncs. */
export function pipelineConfiguration(opts: { url: string; apiKey: string; syncs: readonly TerraformSync[]; pgBackend?: boolean }): string {
  const syncs = opts.syncs.map(
    (sync) => `
resource "polytomic_sync" "${sync.resource}" {
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
  required_providers { polytomic = { source = "polytomic/polytomic", version = "2.0.0" } }
  ${opts.pgBackend ? 'backend "pg" {}' : ""}
}
provider "polytomic" {
  deployment_url = "${opts.url}"
  api_key        = "${opts.apiKey}"
}
resource "polytomic_gcs_connection" "gcs" {
  name          = "tf-contacts-bucket"
  configuration = { bucket = "polytomic-demo", service_account = file("\${path.module}/service-account.json") }
}
resource "polytomic_webhook_connection" "hook" {
  name          = "tf-receiver"
  configuration = { url = "http://127.0.0.1:9/records", auth_method = "polytomic_secret" }
}
resource "polytomic_model" "users" {
  name          = "tf-high-paying-users"
  connection_id = polytomic_gcs_connection.gcs.id
  configuration = jsonencode({ model_from = "single_file", key = "high_paying_users.csv" })
}
${syncs.join("\n")}
`;
}

export interface TerraformRun {
  status: number;
  stdout: string;
  /** stdout and stderr. */
  output: string;
}

export interface TerraformWorkspace {
  dir: string;
  /** Writes main.tf. */
  configure(configuration: string): void;
  /** `terraform <args>`, asynchronously (an emulator in the caller's process keeps answering). */
  run(...args: string[]): Promise<TerraformRun>;
}

/**
 * A folder to run Terraform in, initialised: the provider from its mirror link, a throw-away
 * service-account key, and the local state or the `pg` backend at `pg.connectionString`.
 */
export async function terraformWorkspace(dir: string, pg?: { connectionString: string; schema: string }): Promise<TerraformWorkspace> {
  fs.mkdirSync(dir, { recursive: true });
  const mirrorRoot = path.join(dir, ".providers");
  const mirror = path.join(mirrorRoot, "registry.terraform.io", "polytomic", "polytomic", "2.0.0", `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`);
  fs.mkdirSync(mirror, { recursive: true });
  fs.symlinkSync(TERRAFORM_PROVIDER, path.join(mirror, "terraform-provider-polytomic_v2.0.0"));
  fs.writeFileSync(path.join(dir, "service-account.json"), generateServiceAccountKey({ projectId: "tf-project" }));
  const rc = path.join(dir, "terraform.rc");
  fs.writeFileSync(rc, "disable_checkpoint = true\n");
  const env = { ...process.env, TF_CLI_CONFIG_FILE: rc, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0", TF_DATA_DIR: path.join(dir, ".terraform") };
  const run = (...args: string[]) =>
    new Promise<TerraformRun>((resolve) => {
      execFile("terraform", args, { cwd: dir, env, encoding: "utf8", maxBuffer: 256 << 20, timeout: 900_000 }, (error, stdout, stderr) => {
        resolve({ status: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, output: `${stdout}\n${stderr}` });
      });
    });
  const workspace: TerraformWorkspace = {
    dir,
    configure: (configuration) => fs.writeFileSync(path.join(dir, "main.tf"), configuration),
    // Never a prompt, never colours: -input=false where the command takes it.
    run: (...args) => run(...args, "-no-color", ...(["init", "plan", "apply", "destroy"].includes(args[0]) ? ["-input=false"] : [])),
  };
  const backendArgs = pg ? [`-backend-config=conn_str=${pg.connectionString}`, `-backend-config=schema_name=${pg.schema}`] : [];
  // init reads the configuration's provider requirement: a provisional one until the caller's.
  workspace.configure(pipelineConfiguration({ url: "http://127.0.0.1:9", apiKey: "init", syncs: [], pgBackend: pg !== undefined }));
  const init = await workspace.run("init", `-plugin-dir=${mirrorRoot}`, ...backendArgs);
  if (init.status !== 0) throw new Error(`terraform init failed:\n${init.output}`);
  return workspace;
}
