/**
 * The speed settings the shipped workflows put in a job's environment (scripts/speedSettings.ts,
 * through .github/actions/setup-pulumi): the same rule as `npm run pulumi`.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { speedSettings } from "../../scripts/speedSettings";

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "speed-"));
  fs.writeFileSync(path.join(dir, "Pulumi.staging.yaml"), "config:\n  polytomic-pipelines:gcpMode: existing\n");
  fs.writeFileSync(path.join(dir, "Pulumi.gcp.yaml"), "config:\n  polytomic-pipelines:gcpMode: create\n");
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("speed settings of a workflow job", () => {
  it("write the state once per run where the backend keeps the providers' notes", () => {
    for (const url of ["postgres://pulumi@db.internal/pulumi", "file:///srv/state"]) {
      expect(speedSettings("staging", dir, { PULUMI_BACKEND_URL: url })).toEqual({ PULUMI_SKIP_CHECKPOINTS: "true", PULUMI_PARALLEL: "32" });
    }
  });

  it("keep every checkpoint elsewhere, and for a stack that creates Google Cloud resources", () => {
    expect(speedSettings("staging", dir, { PULUMI_BACKEND_URL: "s3://bucket/state" }).PULUMI_SKIP_CHECKPOINTS).toBe("false");
    expect(speedSettings("gcp", dir, { PULUMI_BACKEND_URL: "postgres://pulumi@db/pulumi" }).PULUMI_SKIP_CHECKPOINTS).toBe("false");
  });

  it("leave what the job sets itself, and print NAME=value lines for $GITHUB_ENV", () => {
    expect(speedSettings("staging", dir, { PULUMI_BACKEND_URL: "postgres://db/p", PULUMI_SKIP_CHECKPOINTS: "false", PULUMI_PARALLEL: "8" })).toEqual({
      PULUMI_SKIP_CHECKPOINTS: "false",
      PULUMI_PARALLEL: "8",
    });
    const script = path.resolve(__dirname, "..", "..", "dist", "scripts", "speedSettings.js");
    const printed = execFileSync(process.execPath, [script, "--stack", "staging", "--cwd", dir], {
      encoding: "utf8",
      env: { PATH: process.env.PATH, PULUMI_BACKEND_URL: "postgres://pulumi@db/pulumi" },
    });
    expect(printed).toBe("PULUMI_SKIP_CHECKPOINTS=true\nPULUMI_PARALLEL=32\n");
  });
});
