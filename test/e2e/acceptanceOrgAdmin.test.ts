/**
 * Polytomic's own acceptance tests (its Terraform provider v2.0.0, written against the real API)
 * for roles, policies, global error subscribers, organizations and users, run against the
 * emulator twice: with an API key, and with the emulator's partner key as the deployment key
 * (which the provider sends as Basic `<org id>:<key>`; the organization and user tests skip
 * without one). Every test must pass in the run that can run it; each is reported by name.
 *
 * The test binary is run where it is kept (../shared/tools/terraform-peer/bin, or
 * POLYTOMIC_PROVIDER_ACCEPTANCE), never copied; without it or terraform the suite is skipped and
 * says why.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_PARTNER_KEY, startEmulator } from "../../emulator";
import { TERRAFORM_PROVIDER } from "../../scripts/lib/terraform";

const BINARY = process.env.POLYTOMIC_PROVIDER_ACCEPTANCE ?? path.join(path.dirname(TERRAFORM_PROVIDER), "provider-acceptance.test");
const API_KEY = "acceptance-org-admin-key-0123456789";
const TESTS = ["TestAccRole", "TestAccPolicy", "TestAccGlobalErrorSubscribersResource", "TestAccOrganization_basic", "TestAccUser_basic"];
/** Why the tests cannot run here (the binary needs terraform, not the provider binary beside it). */
const missing = !fs.existsSync(BINARY)
  ? `no acceptance test binary at ${BINARY}`
  : spawnSync("terraform", ["version"]).status !== 0
    ? "terraform is not on PATH"
    : undefined;
if (missing) console.warn(`test/e2e/acceptanceOrgAdmin.test.ts skipped: ${missing}`);

/** Runs the named tests; their outcomes by name (PASS, FAIL, SKIP) and the output. */
function runAcceptance(env: Record<string, string>): Promise<{ outcomes: Record<string, string>; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(BINARY, ["-test.v", "-test.run", `^(${TESTS.join("|")})$`, "-test.timeout", "5m"], {
      env: { PATH: process.env.PATH ?? "", HOME: os.tmpdir(), TF_ACC: "1", CHECKPOINT_DISABLE: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", () => {
      const outcomes = Object.fromEntries([...output.matchAll(/^--- (PASS|FAIL|SKIP): (\S+)/gm)].map((m) => [m[2], m[1]]));
      resolve({ outcomes, output });
    });
  });
}

describe.skipIf(missing !== undefined)("Polytomic's acceptance tests for organization administration, against the emulator", () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let dir: string;
  let base: Record<string, string>;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, apiKey: API_KEY, partnerKey: DEFAULT_PARTNER_KEY, log: () => undefined });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "acceptance-org-admin-"));
    const rc = path.join(dir, "empty.tfrc");
    fs.writeFileSync(rc, "");
    const terraform = process.env.TF_ACC_TERRAFORM_PATH ?? (process.env.PATH ?? "").split(path.delimiter).map((d) => path.join(d, "terraform")).find((f) => fs.existsSync(f)) ?? "terraform";
    base = { POLYTOMIC_DEPLOYMENT_URL: emulator.url, TF_ACC_TERRAFORM_PATH: terraform, TF_CLI_CONFIG_FILE: rc };
  });
  afterAll(async () => {
    await emulator?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("with an API key: roles, policies and error subscribers pass; organizations and users skip (they need a partner key)", async () => {
    const { outcomes, output } = await runAcceptance({ ...base, POLYTOMIC_API_KEY: API_KEY });
    console.log(`acceptance (API key): ${JSON.stringify(outcomes)}`);
    expect(outcomes, output).toEqual({
      TestAccRole: "PASS",
      TestAccPolicy: "PASS",
      TestAccGlobalErrorSubscribersResource: "PASS",
      TestAccOrganization_basic: "SKIP",
      TestAccUser_basic: "SKIP",
    });
  }, 300_000);

  it("with the partner key as the deployment key: all five pass, inside organizations of their own", async () => {
    const { outcomes, output } = await runAcceptance({ ...base, POLYTOMIC_DEPLOYMENT_KEY: DEFAULT_PARTNER_KEY });
    console.log(`acceptance (deployment key): ${JSON.stringify(outcomes)}`);
    expect(outcomes, output).toEqual(Object.fromEntries(TESTS.map((name) => [name, "PASS"])));
    // Each test destroyed what it made: only the emulator's own organization is left.
    expect(emulator.state.organizations()).toHaveLength(1);
  }, 300_000);
});
