/**
 * Running Polytomic's own acceptance tests (its Terraform provider v2.0.0's `provider` package,
 * compiled: ../shared/tools/terraform-peer/bin/provider-acceptance.test) against an emulator. The
 * binary is run where it is kept (or at POLYTOMIC_PROVIDER_ACCEPTANCE), never copied.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { TERRAFORM_PROVIDER } from "../../scripts/lib/terraform";

export const ACCEPTANCE_BINARY = process.env.POLYTOMIC_PROVIDER_ACCEPTANCE ?? path.join(path.dirname(TERRAFORM_PROVIDER), "provider-acceptance.test");

/** Why the tests cannot run here, or undefined when they can (the binary, and terraform on PATH). */
export function acceptanceMissing(): string | undefined {
  if (!fs.existsSync(ACCEPTANCE_BINARY)) return `no acceptance test binary at ${ACCEPTANCE_BINARY} (set POLYTOMIC_PROVIDER_ACCEPTANCE)`;
  if (spawnSync("terraform", ["version"]).status !== 0) return "terraform is not on PATH";
  return undefined;
}

/** The environment every run needs: Terraform found, no registry, a CLI config of its own in `dir`. */
export function acceptanceBase(deploymentUrl: string, dir: string): Record<string, string> {
  const rc = path.join(dir, "empty.tfrc");
  fs.writeFileSync(rc, "");
  const terraform =
    process.env.TF_ACC_TERRAFORM_PATH ??
    (process.env.PATH ?? "").split(path.delimiter).map((d) => path.join(d, "terraform")).find((f) => fs.existsSync(f)) ??
    "terraform";
  return { POLYTOMIC_DEPLOYMENT_URL: deploymentUrl, TF_ACC_TERRAFORM_PATH: terraform, TF_CLI_CONFIG_FILE: rc };
}

/** Runs the tests whose names match `pattern` (a Go regex); their outcomes by name (PASS, FAIL, SKIP) and the output. */
export function runAcceptance(pattern: string, env: Record<string, string>, timeout = "15m"): Promise<{ outcomes: Record<string, string>; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(ACCEPTANCE_BINARY, ["-test.v", "-test.run", pattern, "-test.timeout", timeout], {
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
