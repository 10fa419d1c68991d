/**
 * The official `polytomic` SDK (1.18.1) drives the emulator through every endpoint we serve
 * that it exposes. A second, independent client proves the emulator speaks the API's shapes.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { Polytomic, PolytomicClient } from "polytomic";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_VERSION, REDACTED } from "../../contract";
import { DEFAULT_API_KEY, DEMO_BUCKET, type Emulator, ORGANIZATION_ID } from "../../emulator";
import { eventually, serviceAccountKey, startTestEmulator, TEST_OBJECT } from "./support";

/** A receiver for the sync's deliveries and the org webhook's events: answers 200, keeps bodies. */
async function startReceiver() {
  const received: { path: string; body: any }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      let raw = Buffer.concat(chunks);
      if (req.headers["content-encoding"] === "gzip") raw = gunzipSync(raw);
      try {
        received.push({ path: req.url ?? "", body: JSON.parse(raw.toString("utf8")) });
      } catch {
        received.push({ path: req.url ?? "", body: raw.toString("utf8") });
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

let emulator: Emulator;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let client: PolytomicClient;
const options = { maxRetries: 0 };

beforeAll(async () => {
  // The SDK's own answer forms (cache_status "fresh", events' sync_name): see emulator/answerForm.ts.
  emulator = await startTestEmulator({ answerForm: "sdk" });
  receiver = await startReceiver();
  client = new PolytomicClient({ token: DEFAULT_API_KEY, environment: emulator.url, version: "2024-02-08" });
});
afterAll(async () => {
  await emulator?.stop();
  await receiver?.close();
});

describe("polytomic SDK against the emulator", () => {
  const ids: Record<string, string> = {};

  it("identity", async () => {
    const me = await client.identity.get(options);
    expect(me.data?.organization_id).toBe(ORGANIZATION_ID);
    expect(me.data?.is_user).toBe(true);
  });

  it("connection types and their schemas", async () => {
    const types = await client.connections.getTypes(options);
    expect(types.data?.map((t) => t.id)).toEqual(expect.arrayContaining(["gcs", "webhook"]));
    const gcs = await client.connections.getConnectionTypeSchema("gcs", options);
    expect(gcs.required).toEqual(["bucket", "service_account"]);
    const webhook = await client.connections.getConnectionTypeSchema("webhook", options);
    expect(Object.keys(webhook.properties ?? {})).toContain("url");
  });

  it("connections: create, get, list, update, schema status and refresh", async () => {
    const created = await client.connections.create(
      { name: "Contacts bucket", type: "gcs", configuration: { bucket: DEMO_BUCKET, service_account: serviceAccountKey() } },
      options,
    );
    ids.gcs = created.data?.id as string;
    expect(created.data?.type?.id).toBe("gcs");
    expect(created.data?.configuration?.service_account).toBe(REDACTED);
    expect(created.data?.configuration?.project_id).toBe("demo-project");
    expect(created.data?.status).toBe("healthy");

    const fetched = await client.connections.get(ids.gcs, options);
    expect(fetched.data?.name).toBe("Contacts bucket");
    expect(fetched.data?.created_at).toEqual(expect.any(String));
    expect(fetched.data?.configuration?.service_account).toBe(REDACTED);

    const updated = await client.connections.update(
      ids.gcs,
      { name: "Contacts bucket (renamed)", configuration: { bucket: DEMO_BUCKET, service_account: REDACTED } },
      options,
    );
    expect(updated.data?.name).toBe("Contacts bucket (renamed)");

    const webhook = await client.connections.create(
      { name: "Receiver", type: "webhook", configuration: { url: `${receiver.url}/records` } },
      options,
    );
    ids.webhook = webhook.data?.id as string;
    expect(webhook.data?.configuration?.secret).toEqual(expect.any(String));
    expect(webhook.data?.configuration).not.toHaveProperty("auth_method");

    const list = await client.connections.list(options);
    expect(list.data?.map((c) => c.id)).toEqual([ids.gcs, ids.webhook]);

    const status = await client.schemas.getStatus(ids.gcs, options);
    expect(status.data?.cache_status).toBe("fresh");
    expect(status.data?.last_refresh_finished).toEqual(expect.any(String));
    await expect(client.schemas.refresh(ids.gcs, options)).resolves.toBeUndefined();
  });

  it("models: create, get, list, update", async () => {
    const created = await client.models.create(
      {
        body: {
          name: "Contacts",
          connection_id: ids.gcs,
          configuration: { model_from: "single_file", key: TEST_OBJECT, file_format: "csv" },
          identifier: "email_address",
        },
      },
      options,
    );
    ids.model = created.data?.id as string;
    expect(created.data?.fields?.map((f) => f.name)).toEqual(["email_address", "first_name", "last_name", "plan"]);
    expect(created.data?.fields?.every((f) => typeof f.id === "string")).toBe(true);
    expect(created.data?.fields?.[0].example).toBe("ada@example.com");

    const fetched = await client.models.get(ids.model, {}, options);
    expect(fetched.data?.identifier).toBe("email_address");

    const updated = await client.models.update(
      ids.model,
      {
        name: "Contacts (three fields)",
        connection_id: ids.gcs,
        configuration: { model_from: "single_file", key: TEST_OBJECT },
        fields: ["email_address", "first_name", "last_name"],
      },
      options,
    );
    expect(updated.data?.fields?.map((f) => f.name)).toEqual(["email_address", "first_name", "last_name"]);
    // Field ids are stable across updates.
    expect(updated.data?.fields?.[0].id).toBe(created.data?.fields?.[0].id);
    // The API documents no version bump on PUT: a strict client (Terraform) would see a changed answer.
    expect(updated.data?.version).toBe(1);
    // A full replacement that leaves `identifier` out clears it, and the answer does not invent one.
    expect(updated.data?.identifier).toBeUndefined();

    const list = await client.models.list(options);
    expect(list.data?.map((m) => m.id)).toEqual([ids.model]);
  });

  it("org webhook: create, get, list, update, disable, enable", async () => {
    const created = await client.webhooks.create({ endpoint: `${receiver.url}/events`, secret: "events-secret" }, options);
    ids.orgWebhook = created.data?.id as string;
    expect(created.data).toMatchObject({ endpoint: `${receiver.url}/events`, secret: "events-secret", disabled: false });
    expect((await client.webhooks.get(ids.orgWebhook, options)).data?.organization_id).toBe(ORGANIZATION_ID);
    expect((await client.webhooks.list(options)).data?.map((w) => w.id)).toEqual([ids.orgWebhook]);
    await expect(
      client.webhooks.create({ endpoint: `${receiver.url}/other`, secret: "events-secret" }, options),
    ).rejects.toBeInstanceOf(Polytomic.UnprocessableEntityError);

    const updated = await client.webhooks.update(ids.orgWebhook, { endpoint: `${receiver.url}/events2`, secret: "events-secret-2" }, options);
    expect(updated.data?.endpoint).toBe(`${receiver.url}/events2`);
    expect((await client.webhooks.disable(ids.orgWebhook, options)).data?.disabled).toBe(true);
    expect((await client.webhooks.enable(ids.orgWebhook, options)).data?.disabled).toBe(false);
  });

  it("model syncs: create, get, list, update, activate", async () => {
    const request: Polytomic.CreateModelSyncRequest = {
      name: "Contacts to receiver",
      mode: "updateOrCreate",
      active: true,
      schedule: { frequency: "manual" },
      target: { connection_id: ids.webhook, object: "http", configuration: { batch_size: 1, record_requests: true } },
      fields: ["email_address", "first_name", "last_name"].map((field) => ({ target: "record", source: { model_id: ids.model, field } })),
    };
    const created = await client.modelSync.create(request, options);
    ids.sync = created.data?.id as string;
    expect(created.data?.model_ids).toEqual([ids.model]);
    expect(created.data?.target?.object).toBe("http");

    const fetched = await client.modelSync.get(ids.sync, options);
    expect(fetched.data?.fields).toHaveLength(3);

    const updated = await client.modelSync.update(ids.sync, { ...request, name: "Contacts to receiver (v2)" }, options);
    expect(updated.data?.name).toBe("Contacts to receiver (v2)");

    // 2024-02-08: the list carries full syncs.
    const list = await client.modelSync.list({ active: true }, options);
    expect(list.data?.map((s) => [s.id, s.fields?.length])).toEqual([[ids.sync, 3]]);
    expect((await client.modelSync.list({ active: false }, options)).data).toEqual([]);

    expect((await client.modelSync.activate(ids.sync, { active: false }, options)).data).toEqual({ id: ids.sync, active: false });
    expect((await client.modelSync.activate(ids.sync, { active: true }, options)).data?.active).toBe(true);
  });

  it("the 2025-09-18 sync list is paginated and lighter", async () => {
    const newer = new PolytomicClient({ token: DEFAULT_API_KEY, environment: emulator.url, version: API_VERSION });
    const list = (await newer.modelSync.list({}, options)) as Polytomic.ListModelSyncResponseEnvelope & { pagination?: unknown };
    expect(list.data?.[0]).toMatchObject({ id: ids.sync, target_connection_id: ids.webhook, model_ids: [ids.model] });
    expect(list.data?.[0]).not.toHaveProperty("fields");
    expect(list.pagination).toEqual({});
  });

  it("model syncs: start, status, executions list and get", async () => {
    const started = await client.modelSync.start(ids.sync, {}, options);
    const executionId = started.data?.id as string;
    expect(executionId).toEqual(expect.any(String));
    expect(started.data?.status).toEqual(expect.any(String));

    const finished = await eventually(async () => {
      const status = await client.modelSync.getStatus(ids.sync, options);
      const last = status.data?.last_execution;
      return last?.id === executionId && ["completed", "failed", "canceled"].includes(last.status ?? "") ? last : undefined;
    }, 15_000, "the execution to finish");
    expect(finished.status).toBe("completed");

    const executions = await client.modelSync.executions.list(ids.sync, {}, options);
    expect(executions.data?.map((e) => e.id)).toEqual([executionId]);
    const execution = await client.modelSync.executions.get(ids.sync, executionId, options);
    expect(execution.data?.id).toBe(executionId);
    expect(execution.data?.counts?.total).toBe(2);

    const delivered = receiver.received.filter((r) => r.path === "/records").flatMap((r) => r.body.object.records);
    expect(delivered.map((r: { fields: { email_address: string } }) => r.fields.email_address).sort()).toEqual([
      "ada@example.com",
      "grace@example.com",
    ]);

    const cancel = await client.modelSync.cancel(ids.sync, options);
    expect(cancel.data?.message).toEqual(expect.any(String));
    await expect(
      client.modelSync.executions.update(ids.sync, "7b0a4d7e-1111-4222-8333-944455556666", { status: "canceled" }, options),
    ).rejects.toBeInstanceOf(Polytomic.NotFoundError);
  });

  it("events: list and types", async () => {
    const types = await client.events.getTypes(options);
    expect(types.data).toEqual(expect.arrayContaining(["sync.running", "sync.completed"]));
    const events = await eventually(async () => {
      const listed = await client.events.list({ type: "sync.completed" }, options);
      return listed.data && listed.data.length > 0 ? listed.data : undefined;
    }, 10_000, "a sync.completed event");
    expect(events[0]).toMatchObject({ type: "sync.completed", organization_id: ORGANIZATION_ID });
    expect((events[0].event as { sync_id?: string }).sync_id).toBe(ids.sync);
  });

  it("deletes in dependency order, and reports a connection in use", async () => {
    const refused = await client.connections.remove(ids.gcs, {}, options).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Polytomic.UnprocessableEntityError);
    expect((refused as Polytomic.UnprocessableEntityError).body).toMatchObject({
      message: expect.stringContaining("connection in use"),
    });

    await client.modelSync.remove(ids.sync, options);
    await expect(client.modelSync.get(ids.sync, options)).rejects.toBeInstanceOf(Polytomic.NotFoundError);
    await client.models.remove(ids.model, {}, options);
    await client.connections.remove(ids.gcs, {}, options);
    await client.connections.remove(ids.webhook, {}, options);
    await client.webhooks.remove(ids.orgWebhook, options);
    expect((await client.connections.list(options)).data).toEqual([]);
    expect((await client.webhooks.list(options)).data).toEqual([]);
  });
});
