/**
 * The idempotency salt when the engine skips checkpoints: derived from a nonce kept beside the
 * state and the stack's passphrase, so a run killed before its state was written, and retried,
 * computes the same salt; any other state (another backend, another stack) gets another one.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { durableSalt, saltProvider } from "../../providers/runtime/salt";
import { checkpointsSkipped, fileBackendDir } from "../../providers/backend";
import { readNote, stackNotesDir, writeNote } from "../../providers/runtime/stackNotes";

const STACK = "polytomic-pipelines/dev";

describe("the salt kept through a crash", () => {
  let dir: string;
  const env = (backend: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    PULUMI_BACKEND_URL: `file://${path.join(dir, backend)}`,
    PULUMI_CONFIG_PASSPHRASE: "the stack's passphrase",
    ...extra,
  });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "salt-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("is the same for a retried create of the same state, and differs for another backend or stack", async () => {
    const first = await saltProvider.create({ stack: STACK }, env("backend", { PULUMI_SKIP_CHECKPOINTS: "true" }));
    // The crashed run's state was never written: the retry creates the salt again.
    const retried = await saltProvider.create({ stack: STACK }, env("backend", { PULUMI_SKIP_CHECKPOINTS: "true" }));
    expect(retried.outs.value).toBe(first.outs.value);
    expect(retried.outs.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // A clone of the repository: same stack config file, its own backend.
    expect(durableSalt(STACK, env("other-backend"))).not.toBe(first.outs.value);
    expect(durableSalt("polytomic-pipelines/staging", env("backend"))).not.toBe(first.outs.value);
  });

  it("keeps only a nonce on disk, from which the salt cannot be had without the passphrase", () => {
    const salt = durableSalt(STACK, env("backend"));
    const nonce = readNote(STACK, "nonce", env("backend"));
    expect(nonce).toMatch(/^[0-9a-f]{64}$/);
    const folder = stackNotesDir(STACK, env("backend"))!;
    expect(folder.startsWith(path.join(dir, "backend", ".polytomic"))).toBe(true);
    expect(fs.readFileSync(path.join(folder, "nonce"), "utf8")).not.toContain(salt!);
    expect(durableSalt(STACK, env("backend", { PULUMI_CONFIG_PASSPHRASE: "another passphrase" }))).not.toBe(salt);
    expect(fs.statSync(path.join(folder, "nonce")).mode & 0o077).toBe(0);
  });

  it("is forgotten with the state: a stack made again after destroy gets a new salt", async () => {
    const made = await saltProvider.create({ stack: STACK }, env("backend"));
    writeNote(STACK, "OrgWebhook", "webhook-id", env("backend"));
    await saltProvider.remove(made.outs, env("backend"));
    expect(readNote(STACK, "OrgWebhook", env("backend"))).toBeUndefined();
    expect((await saltProvider.create({ stack: STACK }, env("backend"))).outs.value).not.toBe(made.outs.value);
  });

  it("without a file backend or a passphrase: random, and refused when checkpoints are skipped", async () => {
    const cloud = { PULUMI_BACKEND_URL: "https://api.pulumi.com", PULUMI_CONFIG_PASSPHRASE: "p" };
    const a = await saltProvider.create({ stack: STACK }, cloud);
    const b = await saltProvider.create({ stack: STACK }, cloud);
    expect(a.outs.value).not.toBe(b.outs.value);
    await expect(saltProvider.create({ stack: STACK }, { ...cloud, PULUMI_SKIP_CHECKPOINTS: "true" })).rejects.toThrow(
      /PULUMI_SKIP_CHECKPOINTS is set.*file backend.*POLYTOMIC_CHECKPOINTS=each-step/s,
    );
    const kms = { PULUMI_BACKEND_URL: `file://${dir}`, PULUMI_SKIP_CHECKPOINTS: "1" };
    await expect(saltProvider.create({ stack: STACK }, kms)).rejects.toThrow(/passphrase/);
  });

  it("reads the backend folder and the skip setting as the engine does", () => {
    expect(fileBackendDir("file://~/state")).toBe(path.join(os.homedir(), "state"));
    expect(fileBackendDir("file:///srv/state?no_tmp_dir=true")).toBe("/srv/state");
    expect(fileBackendDir("s3://bucket")).toBeUndefined();
    expect(checkpointsSkipped({ PULUMI_SKIP_CHECKPOINTS: "TRUE" })).toBe(true);
    expect(checkpointsSkipped({ PULUMI_SKIP_CHECKPOINTS: "false" })).toBe(false);
    expect(stackNotesDir("../../etc/passwd", env("backend"))!.startsWith(path.join(dir, "backend", ".polytomic", "stacks"))).toBe(true);
  });
});
