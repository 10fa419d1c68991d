/** State survives a restart with the same data folder; in-memory mode leaves nothing behind. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REDACTED } from "../../contract";
import { call, createPipeline, startTestEmulator } from "./support";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "emulator-persistence-"));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe("persistence", () => {
  it("sees every object, secret and idempotent outcome after a restart", async () => {
    const first = await startTestEmulator({ dataDir });
    let ids: Awaited<ReturnType<typeof createPipeline>>;
    let webhookSecret: string;
    let orgWebhookId: string;
    let keyedText: string;
    try {
      ids = await createPipeline(first);
      webhookSecret = (await call(first, "GET", `/api/connections/${ids.webhookId}`)).body.data.configuration.secret;
      const orgWebhook = await call(first, "POST", "/api/webhooks", { endpoint: "http://127.0.0.1:1/events", secret: "persisted-secret" });
      orgWebhookId = orgWebhook.body.data.id;
      const keyed = await call(first, "POST", "/api/connections", { name: "keyed", type: "webhook", configuration: { url: "http://127.0.0.1:1/k" } }, {
        "idempotency-key": "persisted-key-0001",
      });
      keyedText = keyed.text;
    } finally {
      await first.stop();
    }

    const files = fs.readdirSync(dataDir);
    expect(files).toContain("state.json");
    expect(files.filter((f) => f.endsWith(".tmp"))).toEqual([]);

    const second = await startTestEmulator({ dataDir });
    try {
      const gcs = await call(second, "GET", `/api/connections/${ids.gcsId}`);
      expect(gcs.status).toBe(200);
      expect(gcs.body.data.configuration.service_account).toBe(REDACTED);
      expect(second.state.connections().find((c) => c.id === ids.gcsId)?.configuration.service_account).toContain("PRIVATE KEY");
      const webhook = await call(second, "GET", `/api/connections/${ids.webhookId}`);
      expect(webhook.body.data.configuration.secret).toBe(webhookSecret);
      const model = await call(second, "GET", `/api/models/${ids.modelId}`);
      expect(model.body.data.fields.map((f: { name: string }) => f.name)).toEqual(["email_address", "first_name", "last_name", "plan"]);
      const sync = await call(second, "GET", `/api/syncs/${ids.syncId}`);
      expect(sync.body.data.model_ids).toEqual([ids.modelId]);
      const orgWebhook = await call(second, "GET", `/api/webhooks/${orgWebhookId}`);
      expect(orgWebhook.body.data.secret).toBe("persisted-secret");

      const replay = await call(second, "POST", "/api/connections", { name: "keyed", type: "webhook", configuration: { url: "http://127.0.0.1:1/k" } }, {
        "idempotency-key": "persisted-key-0001",
      });
      expect(replay.headers.get("idempotent-replayed")).toBe("true");
      expect(replay.text).toBe(keyedText);

      // A change after the restart is persisted too.
      await call(second, "DELETE", `/api/webhooks/${orgWebhookId}`);
    } finally {
      await second.stop();
    }
    const state = JSON.parse(fs.readFileSync(path.join(dataDir, "state.json"), "utf8"));
    expect(Object.keys(state.webhooks)).toEqual([]);
    expect(Object.keys(state.connections)).toHaveLength(3);
  });

  it("removes the in-memory mode's bucket folder on stop", async () => {
    const emulator = await startTestEmulator();
    expect(fs.existsSync(emulator.gcsRoot)).toBe(true);
    await emulator.stop();
    expect(fs.existsSync(emulator.gcsRoot)).toBe(false);
  });
});
