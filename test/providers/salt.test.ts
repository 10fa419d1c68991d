/**
 * The idempotency salt when the engine skips checkpoints: derived from a nonce kept where the
 * state is (a file backend's folder, a PostgreSQL backend's table) and the stack's passphrase,
 * so a run killed before its state was written, and retried, computes the same salt; any other
 * state (another backend, another stack) gets another one.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { durableSalt, saltProvider } from "../../providers/runtime/salt";
import { backendUrl, checkpointsSkipped, fileBackendDir } from "../../providers/backend";
import { stackKey, stackNotes } from "../../providers/runtime/stackNotes";
import { parseBackendUrl } from "../../providers/runtime/postgresNotes";
import { postgresBackendUrl } from "../support/postgres";

const STACK = "polytomic-pipelines/dev";

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "salt-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Two backends of each kind: `backend(name)` is the URL of the backend called `name`. */
const BACKENDS = {
  file: (name: string) => `file://${path.join(dir, name)}`,
  postgres: (() => {
    const urls = new Map<string, string>();
    return (name: string) => urls.get(name) ?? urls.set(name, postgresBackendUrl(`salt_${name}`)).get(name)!;
  })(),
};

describe.each(Object.keys(BACKENDS) as (keyof typeof BACKENDS)[])("the salt kept through a crash, on a %s backend", (kind) => {
  const backend = BACKENDS[kind];
  const env = (name: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    PULUMI_BACKEND_URL: backend(name),
    PULUMI_CONFIG_PASSPHRASE: "the stack's passphrase",
    ...extra,
  });

  it("is the same for a retried create of the same state, and differs for another backend or stack", async () => {
    const first = await saltProvider.create({ stack: STACK }, env("backend", { PULUMI_SKIP_CHECKPOINTS: "true" }));
    // The crashed run's state was never written: the retry creates the salt again.
    const retried = await saltProvider.create({ stack: STACK }, env("backend", { PULUMI_SKIP_CHECKPOINTS: "true" }));
    expect(retried.outs.value).toBe(first.outs.value);
    expect(retried.outs.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // A clone of the repository: same stack config file, its own backend.
    expect(await durableSalt(STACK, env("other-backend"))).not.toBe(first.outs.value);
    expect(await durableSalt("polytomic-pipelines/staging", env("backend"))).not.toBe(first.outs.value);
  });

  it("keeps only a nonce, from which the salt cannot be had without the passphrase", async () => {
    const salt = await durableSalt(STACK, env("backend"));
    const nonce = await stackNotes(STACK, env("backend"))!.read("nonce");
    expect(nonce).toMatch(/^[0-9a-f]{64}$/);
    expect(nonce).not.toContain(salt!);
    expect(await durableSalt(STACK, env("backend", { PULUMI_CONFIG_PASSPHRASE: "another passphrase" }))).not.toBe(salt);
    // Without a passphrase (a KMS secrets provider) it is still kept, and still this state's own.
    const withoutPassphrase = await durableSalt(STACK, { PULUMI_BACKEND_URL: backend("backend") });
    expect(withoutPassphrase).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(withoutPassphrase).not.toBe(salt);
    expect(await durableSalt(STACK, { PULUMI_BACKEND_URL: backend("backend") })).toBe(withoutPassphrase);
  });

  it("is forgotten with the state, notes and journal included: a stack made again after destroy gets a new salt", async () => {
    const made = await saltProvider.create({ stack: STACK }, env("forgetful"));
    const notes = stackNotes(STACK, env("forgetful"))!;
    await notes.write("OrgWebhook", "webhook-id");
    await notes.write("creates/pulumi-ModelSync-abc", JSON.stringify({ kind: "ModelSync", at: "2026-01-01T00:00:00Z", id: "s-1" }));
    expect([...(await notes.list("creates/")).keys()]).toEqual(["creates/pulumi-ModelSync-abc"]);
    await saltProvider.remove(made.outs, env("forgetful"));
    expect(await notes.read("OrgWebhook")).toBeUndefined();
    expect((await notes.list("creates/")).size).toBe(0);
    expect((await saltProvider.create({ stack: STACK }, env("forgetful"))).outs.value).not.toBe(made.outs.value);
  });
});

describe("where notes are kept", () => {
  it("a file backend: under <backend>/.polytomic/stacks, readable by the owner only, never outside it", async () => {
    const env = { PULUMI_BACKEND_URL: `file://${path.join(dir, "modes")}`, PULUMI_CONFIG_PASSPHRASE: "p" };
    await durableSalt(STACK, env);
    const nonceFile = path.join(dir, "modes", ".polytomic", "stacks", "polytomic-pipelines", "dev", "nonce");
    expect(fs.statSync(nonceFile).mode & 0o077).toBe(0);
    expect(stackKey("../../etc/passwd")).toBe(".polytomic/stacks/_/_/etc/passwd");
  });

  it("a PostgreSQL backend: rows of the backend's own table, keyed like the stack's state", async () => {
    const url = postgresBackendUrl("where");
    await durableSalt(STACK, { PULUMI_BACKEND_URL: url, PULUMI_CONFIG_PASSPHRASE: "p" });
    const { connectionString, table } = parseBackendUrl(url);
    const client = new Client({ connectionString });
    await client.connect();
    try {
      const rows = await client.query<{ key: string }>(`SELECT key FROM ${table}`);
      // Behind the URL's path (the database name), as Pulumi's own keys are.
      expect(rows.rows.map((r) => r.key)).toEqual(["pulumi/.polytomic/stacks/polytomic-pipelines/dev/nonce"]);
    } finally {
      await client.end();
    }
    expect(() => parseBackendUrl("postgres://u@h/db?table=x;drop")).toThrow(/not a plain SQL name/);
  });

  it("no other backend: random salts, refused when checkpoints are skipped, with the fix", async () => {
    const cloud = { PULUMI_BACKEND_URL: "s3://bucket/state", PULUMI_CONFIG_PASSPHRASE: "p" };
    const a = await saltProvider.create({ stack: STACK }, cloud);
    const b = await saltProvider.create({ stack: STACK }, cloud);
    expect(a.outs.value).not.toBe(b.outs.value);
    await expect(saltProvider.create({ stack: STACK }, { ...cloud, PULUMI_SKIP_CHECKPOINTS: "true" })).rejects.toThrow(
      /PULUMI_SKIP_CHECKPOINTS is set.*file:\/\/ or postgres:\/\/ backend.*POLYTOMIC_CHECKPOINTS=each-step/s,
    );
  });

  it("reads the backend as the engine does: PULUMI_BACKEND_URL, else the one `pulumi login` chose", () => {
    expect(fileBackendDir("file://~/state")).toBe(path.join(os.homedir(), "state"));
    expect(fileBackendDir("file:///srv/state?no_tmp_dir=true")).toBe("/srv/state");
    expect(fileBackendDir("s3://bucket")).toBeUndefined();
    expect(checkpointsSkipped({ PULUMI_SKIP_CHECKPOINTS: "TRUE" })).toBe(true);
    expect(checkpointsSkipped({ PULUMI_SKIP_CHECKPOINTS: "false" })).toBe(false);
    const home = path.join(dir, "pulumi-home");
    fs.mkdirSync(home, { recursive: true });
    fs.writeFileSync(path.join(home, "credentials.json"), JSON.stringify({ current: "postgres://u:p@db/state", accounts: {} }));
    expect(backendUrl({ PULUMI_HOME: home })).toBe("postgres://u:p@db/state");
    expect(backendUrl({ PULUMI_HOME: home, PULUMI_BACKEND_URL: "file:///x" })).toBe("file:///x");
    expect(backendUrl({ PULUMI_HOME: path.join(dir, "nowhere") })).toBeUndefined();
  });
});
