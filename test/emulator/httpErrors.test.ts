/**
 * Every error path of the emulator's HTTP API, plus redaction and version echo, through fetch.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_VERSION, REDACTED } from "../../contract";
import type { Emulator } from "../../emulator";
import { bodies, call, createPipeline, serviceAccountKey, startTestEmulator } from "./support";

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(async () => {
  await emulator?.stop();
});

/** Every error body is an ApiError naming its own status. */
function expectApiError(result: { status: number; body: any }, status: number, message?: RegExp) {
  expect(result.status).toBe(status);
  expect(result.body).toMatchObject({ status, message: expect.any(String), key: expect.any(String) });
  if (message) expect(result.body.message).toMatch(message);
}

describe("authentication", () => {
  it("rejects a request without a key", async () => {
    const result = await call(emulator, "GET", "/api/me", undefined, { authorization: "" });
    expectApiError(result, 401, /API key/);
  });

  it("rejects a wrong key and a non-Bearer scheme", async () => {
    expectApiError(await call(emulator, "GET", "/api/connections", undefined, { authorization: "Bearer nope" }), 401);
    expectApiError(await call(emulator, "GET", "/api/connections", undefined, { authorization: "Token polytomic-emulator-local-key" }), 401);
  });

  it("accepts the org-scoped Basic form", async () => {
    const basic = Buffer.from("00000000-0000-4000-8000-000000000001:polytomic-emulator-local-key").toString("base64");
    const result = await call(emulator, "GET", "/api/me", undefined, { authorization: `Basic ${basic}` });
    expect(result.status).toBe(200);
    expect(result.body.data.organization_id).toBe("00000000-0000-4000-8000-000000000001");
  });

  it("protects the control plane too", async () => {
    expect((await call(emulator, "GET", "/__emulator/stats", undefined, { authorization: "" })).status).toBe(401);
  });
});

describe("X-Polytomic-Version", () => {
  it("echoes the requested version, and the default when absent", async () => {
    const old = await call(emulator, "GET", "/api/me", undefined, { "x-polytomic-version": "2024-02-08" });
    expect(old.headers.get("x-polytomic-version")).toBe("2024-02-08");
    const none = await call(emulator, "GET", "/api/me");
    expect(none.headers.get("x-polytomic-version")).toBe(API_VERSION);
  });

  it("rejects an unknown version with 400", async () => {
    const result = await call(emulator, "GET", "/api/me", undefined, { "x-polytomic-version": "2030-01-01" });
    expectApiError(result, 400, /2030-01-01/);
  });
});

describe("request bodies", () => {
  it("answers malformed JSON with 400", async () => {
    expectApiError(await call(emulator, "POST", "/api/connections", "{not json"), 400, /not valid JSON/);
  });

  it("answers a missing body with 400", async () => {
    expectApiError(await call(emulator, "POST", "/api/connections", ""), 400, /required/);
  });

  it("answers schema violations with 422 naming the field path", async () => {
    const result = await call(emulator, "POST", "/api/connections", { name: "x", type: "gcs" });
    expectApiError(result, 422, /configuration/);
    expect(result.body.metadata.fields[0].field).toBe("configuration");
  });

  it("rejects a malformed Idempotency-Key with 400", async () => {
    const result = await call(emulator, "POST", "/api/webhooks", { endpoint: "http://127.0.0.1:1/e", secret: "secret1" }, {
      "idempotency-key": "short",
    });
    expectApiError(result, 400, /Idempotency-Key/);
    expect((await call(emulator, "POST", "/api/webhooks", {}, { "idempotency-key": "has spaces in it!" })).status).toBe(400);
  });
});

describe("404", () => {
  it("answers unknown ids and unknown routes with an ApiError", async () => {
    const id = "7b0a4d7e-1111-4222-8333-944455556666";
    for (const route of [`/api/connections/${id}`, `/api/models/${id}`, `/api/syncs/${id}`, `/api/webhooks/${id}`]) {
      expectApiError(await call(emulator, "GET", route), 404, /not found/);
    }
    expectApiError(await call(emulator, "DELETE", `/api/connections/${id}`), 404);
    expectApiError(await call(emulator, "GET", "/api/nothing-here"), 404, /no route/);
    expectApiError(await call(emulator, "GET", "/api/connection_types/not-a-type"), 404);
  });
});

describe("connection validation", () => {
  it("requires an existing bucket", async () => {
    const result = await call(emulator, "POST", "/api/connections", bodies.gcsConnection("x", { bucket: "no-such-bucket" }));
    expectApiError(result, 422, /configuration\.bucket.*no-such-bucket/);
  });

  it("saves an unhealthy connection when validate is false", async () => {
    const result = await call(emulator, "POST", "/api/connections", {
      ...bodies.gcsConnection("unvalidated", { bucket: "no-such-bucket" }),
      validate: false,
    });
    expect(result.status).toBe(200);
    expect(result.body.data.status).toBe("unhealthy");
    const refresh = await call(emulator, "POST", `/api/connections/${result.body.data.id}/schemas/refresh`);
    expectApiError(refresh, 400, /healthy/);
    await call(emulator, "DELETE", `/api/connections/${result.body.data.id}`);
  });

  it("rejects a malformed service-account key without echoing it", async () => {
    // PEM-shaped but fake; the markers are assembled here so no key-like text sits in the repo.
    const pem = (body: string) => [`-----BEGIN ${"PRIVATE"} KEY-----`, body, `-----END ${"PRIVATE"} KEY-----`].join("\n");
    const notJson = pem("not json at all");
    const wrongType = serviceAccountKey({ type: "authorized_user" });
    const badPem = serviceAccountKey({ private_key: `${pem("AAAA")}\n` });
    for (const [key, expected] of [
      [notJson, /service_account: is not JSON/],
      [wrongType, /service_account: field "type"/],
      [badPem, /"private_key" is not a readable PEM/],
    ] as const) {
      const result = await call(emulator, "POST", "/api/connections", bodies.gcsConnection("x", { service_account: key }));
      expectApiError(result, 422, expected);
      expect(result.text).not.toContain("BEGIN PRIVATE KEY");
      expect(result.text).not.toContain("not json at all");
    }
  });

  it("rejects connection types Polytomic does not have, and configurations their schema refuses", async () => {
    const unknown = await call(emulator, "POST", "/api/connections", { name: "x", type: "no_such_type", configuration: {} });
    expectApiError(unknown, 422, /"no_such_type" is not a connection type/);
    const result = await call(emulator, "POST", "/api/connections", { name: "pg", type: "postgresql", configuration: {} });
    expectApiError(result, 422, /configuration\.hostname: is required/);
  });

  it("refuses to change a connection's type", async () => {
    const created = await call(emulator, "POST", "/api/connections", bodies.webhookConnection("http://127.0.0.1:1/x"));
    const result = await call(emulator, "PUT", `/api/connections/${created.body.data.id}`, {
      ...bodies.gcsConnection("now gcs"),
    });
    expectApiError(result, 422, /type.*cannot change/);
    await call(emulator, "DELETE", `/api/connections/${created.body.data.id}`);
  });
});

describe("secrets", () => {
  it("redacts the service account on every read and keeps it when a PUT omits or masks it", async () => {
    const key = serviceAccountKey();
    const created = await call(emulator, "POST", "/api/connections", bodies.gcsConnection("secret keeper"));
    const id = created.body.data.id;
    expect(created.body.data.configuration.service_account).toBe(REDACTED);
    expect(created.body.data.configuration.client_email).toBe("loader@demo-project.iam.gserviceaccount.com");
    expect(created.body.data.configuration.project_id).toBe("demo-project");

    const read = await call(emulator, "GET", `/api/connections/${id}`);
    expect(read.body.data.configuration.service_account).toBe(REDACTED);
    const listed = await call(emulator, "GET", "/api/connections");
    expect(listed.text).not.toContain("PRIVATE KEY");

    const masked = await call(emulator, "PUT", `/api/connections/${id}`, {
      name: "renamed",
      configuration: { bucket: "polytomic-demo", service_account: REDACTED },
    });
    expect(masked.status).toBe(200);
    const omitted = await call(emulator, "PUT", `/api/connections/${id}`, {
      name: "renamed again",
      configuration: { bucket: "polytomic-demo" },
    });
    expect(omitted.status).toBe(200);
    const stored = emulator.state.connections().find((c) => c.id === id);
    expect(stored?.configuration.service_account).toBe(key);
    expect(stored?.name).toBe("renamed again");

    const replaced = serviceAccountKey({ client_email: "other@demo-project.iam.gserviceaccount.com" });
    const update = await call(emulator, "PUT", `/api/connections/${id}`, {
      name: "new key",
      configuration: { bucket: "polytomic-demo", service_account: replaced },
    });
    expect(update.body.data.configuration.client_email).toBe("other@demo-project.iam.gserviceaccount.com");
    expect(emulator.state.connections().find((c) => c.id === id)?.configuration.service_account).toBe(replaced);
    await call(emulator, "DELETE", `/api/connections/${id}`);
  });

  it("clears omitted non-secret fields on PUT (full replacement)", async () => {
    const created = await call(emulator, "POST", "/api/connections", {
      ...bodies.gcsConnection("full replacement", { csv_has_headers: true, skip_lines: 0 }),
      healthcheck_interval: "3h",
    });
    const id = created.body.data.id;
    expect(created.body.data.healthcheck_interval).toBe("3h");
    const updated = await call(emulator, "PUT", `/api/connections/${id}`, {
      name: "full replacement",
      configuration: { bucket: "polytomic-demo" },
    });
    expect(updated.body.data.configuration).not.toHaveProperty("csv_has_headers");
    // Not sent, so not answered: an optional field the client left out stays absent.
    expect(updated.body.data.healthcheck_interval).toBeUndefined();
    await call(emulator, "DELETE", `/api/connections/${id}`);
  });

  it("generates a webhook connection's secret and ignores one sent by the client", async () => {
    const created = await call(emulator, "POST", "/api/connections", {
      name: "hook",
      type: "webhook",
      configuration: { url: "http://127.0.0.1:1/hook", secret: "client-chosen" },
    });
    const secret = created.body.data.configuration.secret;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    // Left out, the auth method is Polytomic's secret (hence the generated one), and is not answered.
    expect(created.body.data.configuration).not.toHaveProperty("auth_method");
    const updated = await call(emulator, "PUT", `/api/connections/${created.body.data.id}`, {
      name: "hook",
      configuration: { url: "http://127.0.0.1:2/hook", secret: "other" },
    });
    expect(updated.body.data.configuration.secret).toBe(secret);
    const other = await call(emulator, "POST", "/api/connections", bodies.webhookConnection("http://127.0.0.1:1/h2"));
    expect(other.body.data.configuration.secret).not.toBe(secret);
    await call(emulator, "DELETE", `/api/connections/${created.body.data.id}`);
    await call(emulator, "DELETE", `/api/connections/${other.body.data.id}`);
  });
});

describe("models and syncs validation", () => {
  let ids: Awaited<ReturnType<typeof createPipeline>>;
  beforeAll(async () => {
    ids = await createPipeline(emulator);
  });

  it("requires the model's file to exist in the bucket", async () => {
    const result = await call(emulator, "POST", "/api/models", bodies.model(ids.gcsId, {
      configuration: { model_from: "single_file", key: "missing.csv" },
    }));
    expectApiError(result, 422, /configuration\.key.*missing\.csv/);
  });

  it("rejects unknown field names in a model's fields", async () => {
    const result = await call(emulator, "POST", "/api/models", bodies.model(ids.gcsId, { fields: ["email_address", "salary"] }));
    expectApiError(result, 422, /fields: unknown field\(s\) salary/);
  });

  it("rejects a model over a webhook connection", async () => {
    const result = await call(emulator, "POST", "/api/models", bodies.model(ids.webhookId));
    expectApiError(result, 422, /connection_id/);
  });

  it("requires a webhook target to use object http and mode updateOrCreate", async () => {
    const wrongObject = bodies.sync(ids.modelId, ids.webhookId);
    wrongObject.target.object = "contacts";
    expectApiError(await call(emulator, "POST", "/api/syncs", wrongObject), 422, /target\.object.*http/);
    const wrongMode = bodies.sync(ids.modelId, ids.webhookId, { mode: "create" });
    expectApiError(await call(emulator, "POST", "/api/syncs", wrongMode), 422, /mode.*updateOrCreate/);
  });

  it("checks the target connection, the models and the fields a sync names", async () => {
    const missingTarget = bodies.sync(ids.modelId, "7b0a4d7e-1111-4222-8333-944455556666");
    expectApiError(await call(emulator, "POST", "/api/syncs", missingTarget), 422, /target\.connection_id/);
    const missingModel = bodies.sync("7b0a4d7e-1111-4222-8333-944455556666", ids.webhookId);
    expectApiError(await call(emulator, "POST", "/api/syncs", missingModel), 422, /model_id/);
    const missingField = bodies.sync(ids.modelId, ids.webhookId, {
      fields: [{ target: "record", source: { model_id: ids.modelId, field: "salary" } }],
    });
    expectApiError(await call(emulator, "POST", "/api/syncs", missingField), 422, /"salary" is not a field/);
  });

  it("refuses to start an inactive sync", async () => {
    await call(emulator, "POST", `/api/syncs/${ids.syncId}/activate`, { active: false });
    expectApiError(await call(emulator, "POST", `/api/syncs/${ids.syncId}/executions`), 422, /not active/);
    await call(emulator, "POST", `/api/syncs/${ids.syncId}/activate`, { active: true });
  });

  it("refuses to delete a model a sync reads", async () => {
    const result = await call(emulator, "DELETE", `/api/models/${ids.modelId}`);
    expectApiError(result, 422, /model in use/);
    expect(result.body.metadata.used_by).toEqual([{ type: "sync", name: "Contacts to webhook", id: ids.syncId }]);
  });

  it("refuses to delete a connection in use, and force-deletes it with its dependents", async () => {
    const refused = await call(emulator, "DELETE", `/api/connections/${ids.gcsId}`);
    expectApiError(refused, 422, /connection in use/);
    expect(refused.body.metadata.used_by).toEqual([
      { type: "model", name: "Contacts", id: ids.modelId },
      { type: "sync", name: "Contacts to webhook", id: ids.syncId },
    ]);
    expect((await call(emulator, "GET", `/api/syncs/${ids.syncId}`)).status).toBe(200);

    const forced = await call(emulator, "DELETE", `/api/connections/${ids.gcsId}?force=true`);
    expect(forced.status).toBe(200);
    expect((await call(emulator, "GET", `/api/connections/${ids.gcsId}`)).status).toBe(404);
    expect((await call(emulator, "GET", `/api/models/${ids.modelId}`)).status).toBe(404);
    expect((await call(emulator, "GET", `/api/syncs/${ids.syncId}`)).status).toBe(404);
    // The webhook connection was only a target of the deleted sync: now free to delete.
    expect((await call(emulator, "DELETE", `/api/connections/${ids.webhookId}`)).status).toBe(200);
  });
});

describe("org webhook validation", () => {
  it("checks the secret length and allows one webhook per organization", async () => {
    const short = await call(emulator, "POST", "/api/webhooks", { endpoint: "http://127.0.0.1:1/e", secret: "12345" });
    expectApiError(short, 422, /secret: must be at least 6/);
    const long = await call(emulator, "POST", "/api/webhooks", { endpoint: "http://127.0.0.1:1/e", secret: "x".repeat(33) });
    expectApiError(long, 422, /secret: must be at most 32/);

    const first = await call(emulator, "POST", "/api/webhooks", { endpoint: "http://127.0.0.1:1/e", secret: "s3cret-value" });
    expect(first.status).toBe(200);
    const second = await call(emulator, "POST", "/api/webhooks", { endpoint: "http://127.0.0.1:1/f", secret: "s3cret-value" });
    expectApiError(second, 422, /single webhook/);
    await call(emulator, "DELETE", `/api/webhooks/${first.body.data.id}`);
  });
});
