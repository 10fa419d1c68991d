/**
 * The read after a create is made only when the answer can be a replay: a fresh create costs
 * one request, while a replay naming a deleted object is still caught, whether the API marks
 * replays (the emulator) or not (real Polytomic's marking is undocumented).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generateServiceAccountKey, startEmulator } from "../../emulator";
import * as runtime from "../../providers/runtime";
import { mayBeReplay } from "../../providers/runtime/replay";

const API_KEY = "replay-test-key-123";
let emulator: Awaited<ReturnType<typeof startEmulator>>;
const realFetch = globalThis.fetch;

const configure = () =>
  runtime.configure({ config: { get: (key) => ({ "polytomic:url": emulator.url, "polytomic:apiKey": API_KEY })[key] } });
const hook = (name: string) => ({ name, type: "webhook", configuration: { url: "http://127.0.0.1:9/records" } });
let gcsId = "";
/** Models: their create answer carries created_at (a connection's does not, per the docs). */
const model = (name: string) => ({ name, connectionId: gcsId, configuration: { model_from: "single_file", key: "high_paying_users.csv", file_format: "csv" } });
const stats = () => emulator.stats().routes;
/** What the resource classes add to every Polytomic resource: the state's salt (providers/salt.ts). */
const create = (kind: string, inputs: Record<string, unknown>) => runtime.create(kind, { ...inputs, idempotencySalt: "replay-test-salt-0123456789abcdef" });

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, apiKey: API_KEY, schemaReadyDelayMs: 0, log: () => undefined });
  await configure();
  const gcs = await create("connection", {
    name: "gcs", type: "gcs", configuration: { bucket: "polytomic-demo" },
    sensitiveConfiguration: { service_account: generateServiceAccountKey({ projectId: "p-replay" }) },
  });
  gcsId = gcs.id;
});
afterAll(async () => {
  await emulator.stop();
});
beforeEach(async () => {
  await configure();
  emulator.resetStats();
});
afterEach(() => {
  globalThis.fetch = realFetch;
});

describe("telling a fresh create from a possible replay", () => {
  const fresh = { sentAt: 10_000, answeredAt: 10_300, replayed: null, date: "Thu, 01 Jan 2026 00:00:05 GMT", createdAt: "2026-01-01T00:00:05.100Z" };

  it("trusts only an unmarked answer whose object is no older than the request", () => {
    expect(mayBeReplay(fresh)).toBe(false);
    // Created within the round trip before the server's Date: still this request's object.
    expect(mayBeReplay({ ...fresh, createdAt: "2026-01-01T00:00:04.750Z" })).toBe(false);
    expect(mayBeReplay({ ...fresh, createdAt: "2026-01-01T00:00:04.600Z" })).toBe(true);
    expect(mayBeReplay({ ...fresh, replayed: "true" })).toBe(true);
    expect(mayBeReplay({ ...fresh, replayed: "false" })).toBe(false);
    expect(mayBeReplay({ ...fresh, date: null })).toBe(true);
    expect(mayBeReplay({ ...fresh, createdAt: undefined })).toBe(true);
    expect(mayBeReplay({ ...fresh, createdAt: "yesterday" })).toBe(true);
    expect(mayBeReplay({ ...fresh, answeredAt: undefined })).toBe(true);
  });

  it("a fresh create is one POST and no read", async () => {
    const created = await create("model", model("fresh-one"));
    expect(created.id).toBeTruthy();
    expect(stats()).toEqual({ "POST /api/models": 1 });
  });

  it("a connection, whose create answer has no created_at, is still read once", async () => {
    await create("connection", hook("no-created-at"));
    expect(stats()).toEqual({ "POST /api/connections": 1, "GET /api/connections/{id}": 1 });
  });

  it("a marked replay of a deleted object is read, found gone and created anew", async () => {
    const first = await create("model", model("marked-replay"));
    await runtime.remove("model", first.id, first.outs);
    emulator.resetStats();
    const second = await create("model", model("marked-replay"));
    expect(second.id).not.toBe(first.id);
    expect(stats()).toEqual({ "POST /api/models": 2, "GET /api/models/{id}": 1 });
  });

  it("an unmarked replay (an API that does not flag replays) is caught by its created_at", async () => {
    const first = await create("model", model("unmarked-replay"));
    await runtime.remove("model", first.id, first.outs);
    // Wait past the one-second resolution of the Date header, as any real destroy-then-up does.
    await new Promise((r) => setTimeout(r, 1100));
    let stripped = 0;
    globalThis.fetch = async (input, init) => {
      const res = await realFetch(input, init);
      if (!res.headers.has("idempotent-replayed")) return res;
      stripped += 1;
      const headers = new Headers(res.headers);
      headers.delete("idempotent-replayed");
      return new Response(await res.text(), { status: res.status, headers });
    };
    emulator.resetStats();
    const second = await create("model", model("unmarked-replay"));
    expect(stripped).toBe(1);
    expect(second.id).not.toBe(first.id);
    expect(stats()).toEqual({ "POST /api/models": 2, "GET /api/models/{id}": 1 });
  });

  it("a create retried after a crash replays the same object, checked once", async () => {
    const first = await create("model", model("crash-replay"));
    emulator.resetStats();
    const again = await create("model", model("crash-replay"));
    expect(again.id).toBe(first.id);
    expect(stats()).toEqual({ "POST /api/models": 1, "GET /api/models/{id}": 1 });
  });
});
