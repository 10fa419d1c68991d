/**
 * The receiver against real emulator deliveries, and `npm run sync`'s command reporting a run's
 * success and failure: emulator and receiver in process, the pipeline made through the API client.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../client";
import { generateServiceAccountKey, startEmulator } from "../../emulator";
import { startReceiver } from "../../receiver";
import { runSyncNamed } from "./world";

const API_KEY = "sync-run-test-key-123";
const EVENTS_SECRET = "events-secret-42";

let emulator: Awaited<ReturnType<typeof startEmulator>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let failing: Awaited<ReturnType<typeof startReceiver>>;
let goodSyncId: string;
let failingSyncId: string;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, apiKey: API_KEY, schemaReadyDelayMs: 0, log: () => undefined });
  const client = createClient({ baseUrl: emulator.url, apiKey: API_KEY });
  const key = generateServiceAccountKey();
  const gcs = await client.connections.create({ name: "gcs", type: "gcs", configuration: { bucket: "polytomic-demo", service_account: key } });
  const model = await client.models.create({
    name: "contacts", connection_id: gcs.id, configuration: { model_from: "single_file", key: "high_paying_users.csv", file_format: "csv" },
  });
  const secrets = new Map<string, string>();
  receiver = await startReceiver({ port: 0, recordsSecret: () => secrets.get("good") ?? "", eventsSecret: EVENTS_SECRET });
  // A receiver that never accepts the Bearer: every delivery fails with 401.
  failing = await startReceiver({ port: 0, recordsSecret: "not-the-connection-secret" });
  await client.webhooks.create({ endpoint: receiver.eventsUrl, secret: EVENTS_SECRET });

  const makeSync = async (name: string, url: string) => {
    const hook = await client.connections.create({ name, type: "webhook", configuration: { url } });
    secrets.set(name, String(hook.configuration.secret));
    const sync = await client.syncs.create({
      name, mode: "updateOrCreate", schedule: { frequency: "manual" }, active: true,
      target: { connection_id: hook.id, object: "http", configuration: { batch_size: 50 } },
      fields: [
        { target: "record", source: { model_id: model.id, field: "email_address" } },
        { target: "record", source: { model_id: model.id, field: "first_name" } },
      ],
    });
    return sync.id;
  };
  goodSyncId = await makeSync("good", receiver.recordsUrl);
  failingSyncId = await makeSync("failing", failing.recordsUrl);
});

afterAll(async () => {
  await receiver?.stop();
  await failing?.stop();
  await emulator?.stop();
});

const command = (syncName: string) =>
  runSyncNamed(syncName, {
    syncs: { good: goodSyncId, failing: failingSyncId },
    webhookUrl: receiver.recordsUrl,
    apiUrl: emulator.url,
    apiKey: API_KEY,
  });

describe("npm run sync", () => {
  it("runs a sync to completion; the receiver verified and recorded every row once", async () => {
    const result = await command("good");
    expect(result, result.err).toMatchObject({ code: 0 });
    expect(result.out).toMatch(/completed/);
    expect(result.out).toContain(`records were delivered to ${receiver.recordsUrl}`);
    const summary = receiver.summary();
    expect(summary.records).toBe(500);
    expect(summary.deliveries).toBe(10);
    expect(summary.rejected).toEqual({});

    // A second run sends nothing: no row changed.
    expect((await command("good")).code).toBe(0);
    expect(receiver.summary().records).toBe(500);
    expect(receiver.summary().deliveries).toBe(10);
  });

  it("exits non-zero with the API's error when the receiver refuses the run", async () => {
    const result = await command("failing");
    expect(result.code).toBe(1);
    expect(`${result.out}\n${result.err}`).toMatch(/failed[\s\S]*HTTP 401/);
  });

  it("receives the signed sync events of those runs", async () => {
    const deadline = Date.now() + 15_000;
    while (receiver.summary().events < 6 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    // running + completed twice for "good", running + failed for "failing": all signed with the secret.
    expect(receiver.summary().events).toBe(6);
    expect(receiver.summary().rejected).toEqual({});
  });
});
