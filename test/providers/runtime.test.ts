/**
 * The providers' runtime against the in-process emulator, without the engine: what each method
 * does, and how many API requests it costs.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generateServiceAccountKey, startEmulator } from "../../emulator";
import * as runtime from "../../providers/runtime";
import { UNKNOWN } from "../../providers/runtime/shape";
import { apiCaller } from "./support";

const API_KEY = "providers-test-key-123";
let emulator: Awaited<ReturnType<typeof startEmulator>>;

const SA_KEY = generateServiceAccountKey({ projectId: "p-test" });

const requests = () => emulator.stats();
const routeCount = (route: string) => emulator.stats().routes[route] ?? 0;
const api = apiCaller(() => emulator.url, API_KEY);

const gcsInputs = (name = "gcs") => ({
  name,
  type: "gcs",
  configuration: { bucket: "polytomic-demo" },
  sensitiveConfiguration: { service_account: SA_KEY },
  schemaReadyTimeoutSeconds: 10,
});
/** What the resource classes add to every Polytomic resource: the state's salt (providers/salt.ts). */
const SALT = "runtime-test-salt-0123456789abcdef";
const create = (kind: string, inputs: Record<string, unknown>, salt = SALT) => runtime.create(kind, { ...inputs, idempotencySalt: salt });
const webhookInputs = (name = "hook") => ({ name, type: "webhook", configuration: { url: "http://127.0.0.1:9/records" } });

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, apiKey: API_KEY, schemaReadyDelayMs: 300, log: () => undefined });
  await runtime.configure({ config: { get: (key) => ({ "polytomic:url": emulator.url, "polytomic:apiKey": API_KEY })[key] } });
  // The first check of a run checks the credentials (one GET /api/me): done here, so the
  // request counts below are about each method alone.
  await runtime.check("connection", {}, webhookInputs());
});
afterAll(async () => {
  await emulator.stop();
});
beforeEach(() => {
  emulator.faults.clear();
  emulator.resetStats();
});

describe("check", () => {
  const failures = async (kind: string, news: Record<string, unknown>) => (await runtime.check(kind, {}, news)).failures ?? [];

  it("accepts good inputs and values not known yet", async () => {
    expect(await failures("connection", gcsInputs())).toEqual([]);
    expect(await failures("modelSync", {
      name: "s", mode: "updateOrCreate", target: { connectionId: UNKNOWN, object: "http", configuration: { batch_size: 10 } },
      fields: [{ target: "record", source: { modelId: UNKNOWN, field: "email_address" } }, { source: { modelId: UNKNOWN, field: UNKNOWN } }],
    })).toEqual([]);
    expect(requests().total).toBe(0);
  });

  it("names the field of each kind of bad input", async () => {
    expect(await failures("modelSync", {
      name: "s", mode: "create", target: { connectionId: "c", object: "http", configuration: { batch_size: 0 } },
      fields: [{ target: "record", source: { modelId: "", field: "email_address" } }],
    })).toEqual(expect.arrayContaining([
      expect.objectContaining({ property: "mode", reason: expect.stringContaining("updateOrCreate") }),
      expect.objectContaining({ property: "fields[0].source.modelId" }),
    ]));
    expect(await failures("modelSync", {
      name: "s", mode: "updateOrCreate", target: { connectionId: "c", object: "http", configuration: { batch_size: 20_000 } },
      fields: [{ source: { modelId: "m", field: "e" } }],
    })).toEqual([expect.objectContaining({ property: "target.configuration.batch_size" })]);
    // A webhook sync cannot rename: every field's target is "record" (Polytomic's custom-webhook guide).
    expect(await failures("modelSync", {
      name: "s", mode: "updateOrCreate", target: { connectionId: "c", object: "http" },
      fields: [{ target: "email", source: { modelId: "m", field: "email_address" } }],
    })).toEqual([expect.objectContaining({ property: "fields[0].target", reason: expect.stringContaining('"record"') })]);
    // Two columns that arrive under one record key, and one that arrives under none.
    const collisions = await failures("modelSync", {
      name: "s", mode: "updateOrCreate", target: { connectionId: "c", object: "http" },
      fields: [{ source: { modelId: "m", field: "first name" } }, { source: { modelId: "m", field: "firstname" } }, { source: { modelId: "m", field: "###" } }],
    });
    expect(collisions.map((f) => f.reason)).toEqual([
      expect.stringMatching(/"###" normalizes to an empty record key/),
      expect.stringMatching(/"first name" and "firstname" both arrive as record key "firstname"/),
    ]);
    // Other targets still name their target field.
    expect(await failures("modelSync", {
      name: "s", mode: "update", target: { connectionId: "c", object: "contacts" },
      fields: [{ source: { modelId: "m", field: "e" } }],
    })).toEqual([expect.objectContaining({ property: "fields[0].target" })]);
    expect(await failures("orgWebhook", { endpoint: "http://127.0.0.1:9/e", secret: "abc" })).toEqual([
      expect.objectContaining({ property: "secret", reason: expect.stringContaining("at least 6") }),
    ]);
    expect(await failures("connection", { ...gcsInputs(), sensitiveConfiguration: { service_account: "not json" } })).toEqual([
      expect.objectContaining({ property: "sensitiveConfiguration.service_account", reason: expect.stringContaining("service-account") }),
    ]);
    const misplaced = await failures("connection", { ...gcsInputs(), configuration: { bucket: "polytomic-demo", service_account: SA_KEY }, sensitiveConfiguration: {} });
    expect(misplaced).toEqual(expect.arrayContaining([expect.objectContaining({ property: "configuration.service_account", reason: expect.stringContaining("sensitiveConfiguration") })]));
    expect(JSON.stringify(misplaced)).not.toContain("PRIVATE KEY");
    expect(await failures("connection", { ...webhookInputs(), configuration: { url: "ftp://x" } })).toEqual([
      expect.objectContaining({ property: "configuration.url" }),
    ]);
  });
});

describe("create, read, update, delete", () => {
  it("creates a gcs connection with one POST and waits until its schema is ready", async () => {
    const created = await create("connection", gcsInputs("gcs-create"));
    expect(routeCount("POST /api/connections")).toBe(1);
    const status = await api("GET", `/api/connections/${created.id}/schemas/status`);
    expect(["fresh", "cached", true]).toContain(status.data.cache_status);
    expect(created.outs).toMatchObject({ name: "gcs-create", configuration: { bucket: "polytomic-demo" } });
    expect(created.outs.sensitiveConfiguration.service_account).toBe(SA_KEY);
  });

  it("a no-op diff changes nothing and makes no request; replace-only keys replace", async () => {
    const created = await create("connection", webhookInputs("hook-diff"));
    emulator.resetStats();
    const same = await runtime.diff("connection", created.id, created.outs, webhookInputs("hook-diff"));
    expect(same).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    const renamed = await runtime.diff("connection", created.id, created.outs, webhookInputs("hook-renamed"));
    expect(renamed).toMatchObject({ changes: true, replaces: [] });
    const rekeyed = await runtime.diff("connection", created.id, created.outs, { ...webhookInputs("hook-diff"), keepers: { v: "2" } });
    expect(rekeyed).toMatchObject({ changes: true, replaces: ["keepers"] });
    const retyped = await runtime.diff("connection", created.id, created.outs, { ...webhookInputs("hook-diff"), type: "gcs" });
    expect(retyped.replaces).toContain("type");
    const unknown = await runtime.diff("connection", created.id, created.outs, { ...webhookInputs("hook-diff"), configuration: { url: UNKNOWN } });
    expect(unknown.changes).toBe(true);
    expect(requests().total).toBe(0);
  });

  it("read finds an out-of-band edit as drift, keeps masked secrets, and reports a deleted object as gone", async () => {
    const created = await create("connection", gcsInputs("gcs-drift"));
    const server = (await api("GET", `/api/connections/${created.id}`)).data;
    expect(server.configuration.service_account).toBe("********");
    const clean = await runtime.read("connection", created.id, created.outs);
    expect(clean.props).toEqual(created.outs);
    await api("PUT", `/api/connections/${created.id}`, { name: "edited-in-ui", configuration: server.configuration });
    const drifted = await runtime.read("connection", created.id, created.outs);
    expect(drifted.props?.name).toBe("edited-in-ui");
    expect(drifted.props?.sensitiveConfiguration).toEqual({ service_account: SA_KEY });
    expect((await runtime.diff("connection", created.id, drifted.props!, gcsInputs("gcs-drift"))).changes).toBe(true);

    await api("DELETE", `/api/connections/${created.id}`);
    expect(await runtime.read("connection", created.id, created.outs)).toEqual({});
  });

  it("update is one PUT of the whole object; delete of a deleted object succeeds", async () => {
    const created = await create("connection", webhookInputs("hook-update"));
    emulator.resetStats();
    const updated = await runtime.update("connection", created.id, created.outs, { ...webhookInputs("hook-update"), configuration: { url: "http://127.0.0.1:9/new" } });
    expect(routeCount("PUT /api/connections/{id}")).toBe(1);
    expect(updated.outs?.configuration).toEqual({ url: "http://127.0.0.1:9/new" });
    expect((await api("GET", `/api/connections/${created.id}`)).data.configuration.url).toBe("http://127.0.0.1:9/new");
    await runtime.remove("connection", created.id, created.outs);
    await runtime.remove("connection", created.id, created.outs);
    expect((await api("GET", `/api/connections/${created.id}`)).status).toBe(404);
  });

  it("never force-deletes a connection in use, and says what uses it", async () => {
    const gcs = await create("connection", gcsInputs("gcs-in-use"));
    const model = await create("model", {
      name: "in-use-model", connectionId: gcs.id, configuration: { model_from: "single_file", key: "high_paying_users.csv", file_format: "csv" },
    });
    await expect(runtime.remove("connection", gcs.id, gcs.outs)).rejects.toThrow(/in use by model "in-use-model".*never force-deletes/);
    expect((await api("GET", `/api/connections/${gcs.id}`)).status).toBe(200);
    await runtime.remove("model", model.id, model.outs);
    await runtime.remove("connection", gcs.id, gcs.outs);
  });

  it("models expose the CSV's columns; syncs and the org webhook go through the same cycle", async () => {
    const gcs = await create("connection", gcsInputs("gcs-full"));
    const hook = await create("connection", webhookInputs("hook-full"));
    expect(typeof hook.outs.secret).toBe("string");
    const model = await create("model", {
      name: "contacts", connectionId: gcs.id, configuration: { model_from: "single_file", key: "high_paying_users.csv", file_format: "csv" },
    });
    expect(model.outs.fieldNames).toEqual(expect.arrayContaining(["email_address", "first_name", "last_name"]));
    const syncInputs = {
      name: "to-hook", mode: "updateOrCreate", schedule: { frequency: "manual" },
      target: { connectionId: hook.id, object: "http", configuration: { batch_size: 100 } },
      fields: [{ source: { modelId: model.id, field: "email_address" } }],
    };
    emulator.resetStats();
    const sync = await create("modelSync", syncInputs);
    expect(routeCount("POST /api/syncs")).toBe(1);
    // Left out, a webhook field's target is sent as the only one the API takes.
    expect((await api("GET", `/api/syncs/${sync.id}`)).data.fields).toEqual([
      { target: "record", source: { model_id: model.id, field: "email_address" } },
    ]);
    expect(sync.outs.modelIds).toEqual([model.id]);
    emulator.resetStats();
    await runtime.update("modelSync", sync.id, sync.outs, { ...syncInputs, target: { ...syncInputs.target, configuration: { batch_size: 25 } } });
    expect(requests().routes).toEqual({ "PUT /api/syncs/{id}": 1 });

    const webhook = await create("orgWebhook", { endpoint: "http://127.0.0.1:9/events", secret: "s3cret-value", disabled: true });
    expect((await api("GET", `/api/webhooks/${webhook.id}`)).data.disabled).toBe(true);
    for (const [kind, created] of [["orgWebhook", webhook], ["modelSync", sync], ["model", model], ["connection", hook], ["connection", gcs]] as const) {
      await runtime.remove(kind, created.id, created.outs);
    }
  });
});

describe("adoption by id", () => {
  it("takes over an existing object without a duplicate, writing only when it differs", async () => {
    const existing = (await api("POST", "/api/connections", { name: "by-hand", type: "webhook", configuration: { url: "http://127.0.0.1:9/a" } })).data;
    const before = (await api("GET", "/api/connections")).data.length;
    emulator.resetStats();
    const converged = await create("connection", { name: "by-hand", type: "webhook", configuration: { url: "http://127.0.0.1:9/a" }, adoptId: existing.id });
    expect(converged.id).toBe(existing.id);
    expect(routeCount("POST /api/connections") + routeCount("PUT /api/connections/{id}")).toBe(0);

    emulator.resetStats();
    const changed = await create("connection", { name: "renamed", type: "webhook", configuration: { url: "http://127.0.0.1:9/a" }, adoptId: existing.id });
    expect(changed.id).toBe(existing.id);
    expect(routeCount("PUT /api/connections/{id}")).toBe(1);
    expect(routeCount("POST /api/connections")).toBe(0);
    expect((await api("GET", "/api/connections")).data.length).toBe(before);
    await expect(create("connection", { ...webhookInputs(), adoptId: "00000000-0000-4000-8000-00000000dead" })).rejects.toThrow(/cannot adopt Connection .* does not exist/);
  });
});

describe("an unreliable API", () => {
  const countNamed = async (name: string) => (await api("GET", "/api/connections")).data.filter((c: { name: string }) => c.name === name).length;

  it("retries 429 (honouring Retry-After) and 5xx on a create, making one object", async () => {
    emulator.faults.set({ method: "POST", path: "^/api/connections$", status: 429, retryAfterSeconds: 1, times: 1 });
    emulator.faults.set({ method: "POST", path: "^/api/connections$", status: 503, times: 1 });
    const started = Date.now();
    await create("connection", webhookInputs("flaky-create"));
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(routeCount("POST /api/connections")).toBe(3);
    expect(await countNamed("flaky-create")).toBe(1);
  });

  it("retries a dropped connection on a read", async () => {
    const created = await create("connection", webhookInputs("flaky-read"));
    emulator.faults.set({ method: "GET", path: `^/api/connections/${created.id}$`, drop: true, times: 1 });
    expect((await runtime.read("connection", created.id, created.outs)).id).toBe(created.id);
  });

  it("a create retried after a crash between request and response makes no duplicate", async () => {
    // The first create reached the API; its answer never reached the engine, which runs it again.
    const first = await create("connection", webhookInputs("crash-create"));
    const again = await create("connection", webhookInputs("crash-create"));
    expect(again.id).toBe(first.id);
    expect(await countNamed("crash-create")).toBe(1);
  });

  it("a create of an object deleted since the last create makes a new one", async () => {
    const first = await create("connection", webhookInputs("recreated"));
    await runtime.remove("connection", first.id, first.outs);
    const second = await create("connection", webhookInputs("recreated"));
    expect(second.id).not.toBe(first.id);
    expect(await countNamed("recreated")).toBe(1);
  });

  it("reports a failure that does not pass with the status and the API's message, and no secret", async () => {
    emulator.faults.set({ method: "POST", path: "^/api/connections$", status: 500, times: 10 });
    const error = await create("connection", gcsInputs("always-failing")).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/create connection "always-failing": HTTP 500/);
    expect((error as Error).message).not.toContain("PRIVATE KEY");
  }, 120_000);
});

describe("the org webhook", () => {
  it("pauses and resumes without resending endpoint and secret, and an edit is one PUT", async () => {
    const inputs = { endpoint: "http://127.0.0.1:9/events", secret: "first-secret" };
    const created = await create("orgWebhook", inputs);
    emulator.resetStats();
    const paused = await runtime.update("orgWebhook", created.id, created.outs, { ...inputs, disabled: true });
    expect(routeCount("PUT /api/webhooks/{id}")).toBe(0);
    expect(routeCount("POST /api/webhooks/{id}/disable")).toBe(1);
    expect((await api("GET", `/api/webhooks/${created.id}`)).data.disabled).toBe(true);

    emulator.resetStats();
    await runtime.update("orgWebhook", created.id, paused.outs!, { ...inputs, secret: "second-secret", disabled: true });
    expect(routeCount("PUT /api/webhooks/{id}")).toBe(1);
    expect(routeCount("POST /api/webhooks/{id}/disable") + routeCount("POST /api/webhooks/{id}/enable")).toBe(0);
    await runtime.remove("orgWebhook", created.id, created.outs);
  });
});

describe("a partner key and several organizations", () => {
  const PARTNER_KEY = "providers-test-partner-key";
  const configureWith = (keys: Record<string, string>) =>
    runtime.configure({ config: { get: (key) => ({ "polytomic:url": emulator.url, ...keys })[key] } });

  afterAll(async () => {
    await configureWith({ "polytomic:apiKey": API_KEY });
  });

  it("refuses an Organization without a partner key, naming the setting", async () => {
    await configureWith({ "polytomic:apiKey": API_KEY });
    await expect(create("organization", { name: "tenant" })).rejects.toThrow(
      "set the partner key (needed by Organization): `pulumi config set --secret polytomic:partnerKey <key>` (or POLYTOMIC_PARTNER_KEY)",
    );
  });

  it("creates organizations with the partner key, and acts inside one for objects that name it", async () => {
    const partnerEmulator = await startEmulator({ port: 0, apiKey: API_KEY, partnerKey: PARTNER_KEY, log: () => undefined });
    try {
      await runtime.configure({ config: { get: (key) => ({ "polytomic:url": partnerEmulator.url, "polytomic:partnerKey": PARTNER_KEY })[key] } });
      const organization = await create("organization", { name: "tenant-a" });
      expect(partnerEmulator.state.organizations().map((o) => o.name)).toContain("tenant-a");
      const hook = await create("connection", { ...webhookInputs("tenant hook"), organizationId: organization.id });
      expect(partnerEmulator.state.connections().find((c) => c.id === hook.id)?.organization_id).toBe(organization.id);
      // Read and delete go to the same organization (the object does not exist anywhere else).
      expect((await runtime.read("connection", hook.id, hook.outs)).id).toBe(hook.id);
      await runtime.remove("connection", hook.id, hook.outs);
      await runtime.remove("organization", organization.id, organization.outs);
      expect(partnerEmulator.state.organizations().map((o) => o.name)).not.toContain("tenant-a");
      // Without a declared organization the API key is needed, and its absence is named.
      await expect(create("connection", webhookInputs("no org"))).rejects.toThrow("polytomic:apiKey");
    } finally {
      await partnerEmulator.stop();
    }
  });
});
