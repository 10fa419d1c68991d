/**
 * When this project's commands skip the engine's per-step checkpoints (scripts/lib/checkpoints.ts),
 * and when `refresh`/`destroy` may fall back to running the program (scripts/lib/runPulumi.ts).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkpointMode, skipCheckpointsValue } from "../../scripts/lib/checkpoints";
import { pulumiEnv } from "../../scripts/lib/pulumiEnv";
import { runsOnRecordedConfig } from "../../scripts/lib/runPulumi";

describe("checkpoints", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "checkpoints-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("are written once per run, unless the stack creates Google Cloud resources", () => {
    fs.writeFileSync(path.join(dir, "Pulumi.real.yaml"), "config:\n  polytomic-pipelines:gcpMode: create\n  polytomic-pipelines:gcpLocation: EU\n");
    fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  polytomic-pipelines:gcpMode: existing\n");
    expect(checkpointMode({ env: {}, programDir: dir, stackName: "dev" })).toBe("end");
    expect(checkpointMode({ env: {}, programDir: dir, stackName: "real" })).toBe("each-step");
    expect(checkpointMode({ env: {}, programDir: dir, stackName: "new" })).toBe("end");
    expect(checkpointMode({ env: { POLYTOMIC_CHECKPOINTS: "end" }, programDir: dir, stackName: "real" })).toBe("end");
    expect(checkpointMode({ env: { POLYTOMIC_CHECKPOINTS: "each-step" }, programDir: dir, stackName: "dev" })).toBe("each-step");
    expect(() => checkpointMode({ env: { POLYTOMIC_CHECKPOINTS: "never" } })).toThrow(/POLYTOMIC_CHECKPOINTS must be "each-step" or "end"/);
  });

  it("reach the engine as PULUMI_SKIP_CHECKPOINTS, where a value the user set wins", () => {
    expect(skipCheckpointsValue({}, "end")).toBe("true");
    expect(skipCheckpointsValue({}, "each-step")).toBe("false");
    expect(skipCheckpointsValue({ PULUMI_SKIP_CHECKPOINTS: "false" }, "end")).toBe("false");
    const binDir = fs.mkdtempSync(path.join(dir, "bin-"));
    const env = pulumiEnv({ binDir, root: dir, backendDir: path.join(dir, "backend"), pulumiHome: path.join(dir, "home"), checkpoints: "each-step" });
    expect(env.PULUMI_SKIP_CHECKPOINTS).toBe(process.env.PULUMI_SKIP_CHECKPOINTS ?? (process.env.POLYTOMIC_CHECKPOINTS === "end" ? "true" : "false"));
    expect(env.PULUMI_RUN_PROGRAM).toBe(process.env.PULUMI_RUN_PROGRAM);
  });
});

describe("refresh and destroy on the recorded config", () => {
  it("may run again with the program only when the user did not choose", () => {
    expect(runsOnRecordedConfig(["refresh", "--yes"], {})).toBe(true);
    expect(runsOnRecordedConfig(["destroy", "--yes", "--stack", "dev"], {})).toBe(true);
    expect(runsOnRecordedConfig(["up", "--yes"], {})).toBe(false);
    expect(runsOnRecordedConfig(["refresh", "--yes", "--run-program"], {})).toBe(false);
    expect(runsOnRecordedConfig(["refresh", "--yes", "--run-program=false"], {})).toBe(false);
    expect(runsOnRecordedConfig(["refresh", "--yes"], { PULUMI_RUN_PROGRAM: "false" })).toBe(false);
  });
});
