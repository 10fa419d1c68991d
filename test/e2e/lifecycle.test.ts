/**
 * The whole lifecycle with the real Pulumi engine (built offline) against the emulator, the way
 * Pulumi's own integration tests walk a program: preview, up, no-op preview and up, an edit,
 * a replacement, drift and refresh, adoption, a sync run, destroy, and secrets in state.
 */
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostTitle, PULUMI_HOST_MISSING } from "../support/languageHosts";
import { apiSend, count, inventory } from "./api";
import { API_KEY, createWorld, E2eWorld, ORG_WEBHOOK_SECRET } from "./fixture";
import { stepRecorder } from "./events";
import { waitUntil } from "./wait";
import { backendKeys, postgresBackendUrl } from "../support/postgres";
import type { OpenedStack } from "../../scripts/lib/stack";

// Once per answer form: where Polytomic's docs and SDK disagree (cache_status true vs "fresh",
// an event's name vs sync_name), the stack must work against either; and once against an API that
// answers a superset of Polytomic's answers (every default filled in, fields no contract models),
// which the providers must not care about.
// And once with the state in PostgreSQL, as a team keeps it.
// Under this project's language host, and once under Pulumi's own (as every user runs it; skipped,
// and the title says why, where this machine does not have it).
const variants = [
  { answers: "the docs", answerForm: "docs", supersetAnswers: false, backend: "file", host: "project" },
  { answers: "the sdk", answerForm: "sdk", supersetAnswers: false, backend: "file", host: "project" },
  { answers: "a superset of", answerForm: "docs", supersetAnswers: true, backend: "file", host: "project" },
  { answers: "the docs", answerForm: "docs", supersetAnswers: false, backend: "postgres", host: "project" },
  { answers: "the docs", answerForm: "docs", supersetAnswers: false, backend: "file", host: "pulumi" },
] as const;

for (const { answers, answerForm, supersetAnswers, backend, host } of variants) {
  // Pulumi's host spends seconds more per command than ours (it runs npm for About, two more
  // Node.js starts, the SDK whole in the provider host: bench/PROFILE.md): its tests get longer.
  describe(`lifecycle of the dev-shaped stack on a ${backend} backend, the API answering as ${answers} do, ${hostTitle(host)}`, { timeout: host === "pulumi" ? 180_000 : 60_000 }, () => {
    if (host === "pulumi" && PULUMI_HOST_MISSING) {
      it.skip(`skipped: ${PULUMI_HOST_MISSING}`, () => undefined);
      return;
    }
    let world: E2eWorld;
    let opened: OpenedStack;
    let adoptedWebhookId: string;
    const recorder = stepRecorder();
    const api = () => inventory(world.emulator.url, API_KEY);
    const requests = () => world.emulator.stats().total;

    beforeAll(async () => {
      world = await createWorld({ answerForm, supersetAnswers, backendUrl: backend === "postgres" ? postgresBackendUrl("lifecycle") : undefined, host });
      // An org webhook made by hand (or by the seeds' curl calls) before this stack existed.
      const existing = await apiSend(world.emulator.url, API_KEY, "POST", "/api/webhooks", {
        endpoint: "http://127.0.0.1:9/old-endpoint",
        secret: "hand-made-secret",
      });
      adoptedWebhookId = existing.id;
      opened = await world.stack("lifecycle");
      await opened.stack.setConfig("adopt.orgWebhookId", { value: adoptedWebhookId }, true);
    }, 300_000);

    afterAll(async () => {
      await world?.dispose();
    });

    it("previews the creation of every object without calling the API for changes", async () => {
      recorder.reset();
      const before = await api();
      const preview = await opened.stack.preview({ onEvent: recorder.onEvent });
      expect(preview.changeSummary.create).toBeGreaterThanOrEqual(5);
      expect(recorder.changed().map((s) => `${s.op} ${s.type}`).sort()).toEqual([
        "create Connection",
        "create Connection",
        "create Model",
        "create ModelSync",
        "create OrgWebhook",
      ]);
      expect(count(await api())).toEqual(count(before));
    });

    it("up creates the pipeline and adopts the existing org webhook instead of duplicating it", async () => {
      const up = await opened.stack.up();
      expect(up.summary.result).toBe("succeeded");
      const inv = await api();
      expect(count(inv)).toEqual({ connections: 2, models: 1, syncs: 1, webhooks: 1 });
      expect(inv.webhooks[0].id).toBe(adoptedWebhookId);
      expect(inv.webhooks[0].endpoint).toBe(world.receiver.eventsUrl);
      expect(up.outputs.orgWebhookId.value).toBe(adoptedWebhookId);
      expect(up.outputs.syncId.value).toBe(inv.syncs[0].id);
      expect(inv.connections.map((c) => c.type.id).sort()).toEqual(["gcs", "webhook"]);
      // The state and the stack's notes are where the backend URL says.
      if (backend === "postgres") {
        expect(opened.env.PULUMI_BACKEND_URL).toMatch(/^postgres:\/\//);
        expect(await backendKeys(opened.env.PULUMI_BACKEND_URL, "pulumi/.pulumi/stacks/")).toContain("pulumi/.pulumi/stacks/polytomic-pipelines/lifecycle.json");
        expect(await backendKeys(opened.env.PULUMI_BACKEND_URL, "pulumi/.polytomic/stacks/polytomic-pipelines/lifecycle/")).toContain(
          "pulumi/.polytomic/stacks/polytomic-pipelines/lifecycle/nonce",
        );
      }
    });

    it("a second preview and up change nothing, and the preview makes one API request (the credential check)", async () => {
      const before = requests();
      recorder.reset();
      const preview = await opened.stack.preview({ onEvent: recorder.onEvent });
      expect(requests() - before).toBe(1);
      expect(recorder.changed()).toEqual([]);
      expect(preview.changeSummary.same).toBeGreaterThanOrEqual(5);
      const up = await opened.stack.up({ expectNoChanges: true });
      expect(up.summary.resourceChanges?.update ?? 0).toBe(0);
      // Nothing the server fills in by itself reads as drift.
      const refresh = await opened.stack.refresh();
      expect(refresh.summary.resourceChanges).not.toHaveProperty("update");
      expect(refresh.summary.resourceChanges).not.toHaveProperty("delete");
    });

    it("an edited batch size previews as exactly one in-place sync update and costs one write", async () => {
      await opened.stack.setConfig("batchSize", { value: "50" });
      recorder.reset();
      await opened.stack.preview({ onEvent: recorder.onEvent });
      // Dynamic providers report no per-property diff to the engine (pulumi/pulumi#3080): the
      // step itself is the exact answer, and the emulator shows what the update wrote.
      expect(recorder.changed().map((s) => `${s.op} ${s.type} ${s.name}`)).toEqual(["update ModelSync pipeline-sync"]);

      world.emulator.stats(); // counts below are deltas per route
      const writesBefore = writes(world.emulator.stats().routes);
      const up = await opened.stack.up();
      expect(up.summary.resourceChanges).toMatchObject({ update: 1 });
      expect(writes(world.emulator.stats().routes) - writesBefore).toBe(1);
      const syncId = String(up.outputs.syncId.value);
      const sync = await apiSend(world.emulator.url, API_KEY, "GET", `/api/syncs/${syncId}`);
      expect(sync.target.configuration.batch_size).toBe(50);
    });

    it("a sync run delivers every CSV row once to the receiver with valid auth", async () => {
      const outputs = await opened.stack.outputs();
      world.recordsSecret.value = String(outputs.webhookSecret.value);
      expect(outputs.webhookSecret.secret).toBe(true);
      const syncId = String(outputs.syncId.value);
      const started = await apiSend(world.emulator.url, API_KEY, "POST", `/api/syncs/${syncId}/executions`, {});
      const execution = await waitForExecution(syncId, started.id);
      expect({ status: execution.status, errors: execution.errors }).toEqual({ status: "completed", errors: [] });
      const summary = world.receiver.summary();
      const rows = csvRowCount();
      expect(summary.records).toBe(rows);
      expect(summary.duplicateRecords).toBe(0);
      expect(Object.values(summary.rejected).reduce((a, b) => a + b, 0)).toBe(0);
      await waitUntil(() => world.receiver.summary().events >= 2, "two events at the receiver");

      // The completed event names the sync the way this answer form does, and links a record log.
      const events = await apiSend(world.emulator.url, API_KEY, "GET", "/api/events?type=sync.completed");
      const completed = events.find((e: any) => e.event.execution_id === started.id).event;
      const sync = await apiSend(world.emulator.url, API_KEY, "GET", `/api/syncs/${syncId}`);
      expect(completed[answerForm === "docs" ? "name" : "sync_name"]).toBe(sync.name);
      expect(completed[answerForm === "docs" ? "sync_name" : "name"]).toBeUndefined();
      expect(completed).toMatchObject({ inserted_records: null, updated_records: null, total_records: [expect.any(String)] });
      const logUrl = new URL(completed.total_records[0]);
      expect(logUrl.origin).toBe(world.emulator.url);
      expect((await fetch(logUrl)).status).toBe(401);
      const log = await (await fetch(logUrl, { headers: { Authorization: `Bearer ${API_KEY}` } })).json();
      expect(log.records).toHaveLength(rows);
      // Every field of the sync has target "record": each arrives under its CSV column's (normalized) name.
      expect(sync.fields.map((f: any) => f.target)).toEqual(["record", "record", "record"]);
      expect(Object.keys(log.records[0].fields).sort()).toEqual(["email_address", "first_name", "last_name"]);
    });

    it("a deleted-out-of-band sync is found by refresh and recreated by the next up", async () => {
      const outputs = await opened.stack.outputs();
      const oldSyncId = String(outputs.syncId.value);
      await apiSend(world.emulator.url, API_KEY, "DELETE", `/api/syncs/${oldSyncId}`);
      const refresh = await opened.stack.refresh();
      expect(refresh.summary.resourceChanges).toMatchObject({ delete: 1 });
      recorder.reset();
      const up = await opened.stack.up({ onEvent: recorder.onEvent });
      expect(recorder.changed().map((s) => `${s.op} ${s.type}`)).toEqual(["create ModelSync"]);
      expect(up.outputs.syncId.value).not.toBe(oldSyncId);
      expect(count(await api()).syncs).toBe(1);
    });

    it("a field edited in the UI shows up as drift after refresh and up puts it back", async () => {
      const outputs = await opened.stack.outputs();
      const connectionId = String(outputs.webhookConnectionId.value);
      const conn = await apiSend(world.emulator.url, API_KEY, "GET", `/api/connections/${connectionId}`);
      await apiSend(world.emulator.url, API_KEY, "PUT", `/api/connections/${connectionId}`, {
        name: conn.name,
        configuration: { ...conn.configuration, url: "http://127.0.0.1:9/edited-in-ui" },
      });
      await opened.stack.refresh();
      recorder.reset();
      await opened.stack.preview({ onEvent: recorder.onEvent });
      expect(recorder.changed().map((s) => `${s.op} ${s.type}`)).toEqual(["update Connection"]);
      await opened.stack.up();
      const after = await apiSend(world.emulator.url, API_KEY, "GET", `/api/connections/${connectionId}`);
      expect(after.configuration.url).toBe(world.receiver.recordsUrl);
    });

    it("a replace-only edit replaces the object instead of updating it", async () => {
      const before = await opened.stack.outputs();
      await opened.stack.setConfig("webhookSecretVersion", { value: "2" });
      recorder.reset();
      await opened.stack.preview({ onEvent: recorder.onEvent });
      const ops = recorder.changed().map((s) => `${s.op} ${s.type}`);
      expect(ops).toContain("replace Connection");
      const up = await opened.stack.up();
      expect(up.outputs.webhookConnectionId.value).not.toBe(before.webhookConnectionId.value);
      const inv = await api();
      expect(count(inv).connections).toBe(2);
      expect(inv.connections.some((c) => c.id === before.webhookConnectionId.value)).toBe(false);
    });

    it("stack export holds no secret in plaintext", async () => {
      // Not stack.exportStack(): the Automation API exports with --show-secrets.
      const exported = execFileSync("pulumi", ["stack", "export", "--stack", "lifecycle"], {
        cwd: opened.stack.workspace.workDir,
        env: opened.env,
        encoding: "utf8",
      });
      const outputs = await opened.stack.outputs();
      const privateKey = JSON.parse(world.serviceAccountKey).private_key as string;
      const secrets = {
        apiKey: API_KEY,
        orgWebhookSecret: ORG_WEBHOOK_SECRET,
        webhookConnectionSecret: String(outputs.webhookSecret.value),
        serviceAccountPrivateKey: privateKey.split("\n")[1],
      };
      for (const [name, secret] of Object.entries(secrets)) {
        expect(secret.length, name).toBeGreaterThan(20);
        expect(pathsHolding(JSON.parse(exported), secret), `${name} in plaintext`).toEqual([]);
      }
      expect(exported).toContain("4dabf18193072939515e22adb298388d");
    });

    it("destroy removes every object it made, including the adopted webhook", async () => {
      const destroy = await opened.stack.destroy();
      expect(destroy.summary.result).toBe("succeeded");
      expect(count(await api())).toEqual({ connections: 0, models: 0, syncs: 0, webhooks: 0 });
    });

    async function waitForExecution(syncId: string, executionId: string) {
      let execution: any;
      await waitUntil(async () => {
        execution = await apiSend(world.emulator.url, API_KEY, "GET", `/api/syncs/${syncId}/executions/${executionId}`);
        return ["completed", "failed", "canceled", "interrupted"].includes(execution.status);
      }, `execution ${executionId} to end`);
      return execution;
    }
  });
}

/** Where in a JSON document a text appears (for a readable failure). */
function pathsHolding(value: unknown, needle: string, at = "$"): string[] {
  if (typeof value === "string") return value.includes(needle) ? [at] : [];
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => pathsHolding(v, needle, `${at}.${k}`));
  return [];
}

function writes(routes: Record<string, number>): number {
  return Object.entries(routes)
    .filter(([route]) => /^(POST|PUT|PATCH|DELETE) \/api\//.test(route))
    .reduce((sum, [, n]) => sum + n, 0);
}

function csvRowCount(): number {
  const fs = require("node:fs") as typeof import("node:fs");
  const path = require("node:path") as typeof import("node:path");
  const text: string = fs.readFileSync(path.join(__dirname, "..", "..", "data", "high_paying_users.csv"), "utf8");
  // Count records, not lines: quoted fields may hold newlines.
  let rows = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === "\n" && !quoted) rows++;
  }
  if (!text.endsWith("\n")) rows++;
  return rows - 1; // header
}
