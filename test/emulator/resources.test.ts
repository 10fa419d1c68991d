/** Resource behaviour not covered by the SDK suite: schema readiness, pagination, model fields, logging. */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_API_KEY, DEMO_BUCKET, type Emulator } from "../../emulator";
import { parseCliArgs } from "../../cli/emulator";
import { bodies, call, createPipeline, eventually, serviceAccountKey, startTestEmulator } from "./support";

let emulator: Emulator;
const logLines: string[] = [];

beforeAll(async () => {
  emulator = await startTestEmulator({ schemaReadyDelayMs: 300, log: (line) => logLines.push(line) });
});
afterAll(async () => {
  await emulator?.stop();
});

describe.each([
  { form: "docs" as const, refreshing: false, ready: true },
  { form: "sdk" as const, refreshing: "refreshing", ready: "fresh" },
])("schema status, answered as the $form do", ({ form, refreshing, ready }) => {
  let formEmulator: Emulator;
  beforeAll(async () => {
    formEmulator = await startTestEmulator({ schemaReadyDelayMs: 300, answerForm: form });
  });
  afterAll(async () => {
    await formEmulator?.stop();
  });

  it(`is ${String(refreshing)} after create, then ${String(ready)} after the delay; refresh restarts it (202 + Location)`, async () => {
    const created = await call(formEmulator, "POST", "/api/connections", bodies.gcsConnection("slow schema"));
    const id = created.body.data.id;
    const first = await call(formEmulator, "GET", `/api/connections/${id}/schemas/status`);
    expect(first.body.data).toMatchObject({ cache_status: refreshing, last_refresh_finished: null });
    expect(first.body.data.last_refresh_started).toEqual(expect.any(String));

    const fresh = await eventually(async () => {
      const status = await call(formEmulator, "GET", `/api/connections/${id}/schemas/status`);
      return status.body.data.cache_status === ready ? status.body.data : undefined;
    }, 5_000, "the schema to turn ready");
    expect(Date.parse(fresh.last_refresh_finished)).toBeGreaterThanOrEqual(Date.parse(fresh.last_refresh_started));

    const refresh = await call(formEmulator, "POST", `/api/connections/${id}/schemas/refresh`);
    expect(refresh.status).toBe(202);
    expect(refresh.body).toEqual({});
    expect(refresh.headers.get("location")).toBe(`/api/connections/${id}/schemas/status`);
    const again = await call(formEmulator, "GET", `/api/connections/${id}/schemas/status`);
    expect(again.body.data.cache_status).toBe(refreshing);
    await call(formEmulator, "DELETE", `/api/connections/${id}`);
  });
});

describe("models over CSV files", () => {
  let gcsId: string;
  beforeAll(async () => {
    gcsId = (await call(emulator, "POST", "/api/connections", bodies.gcsConnection("models source"))).body.data.id;
  });

  it("exposes the header columns, narrows them with fields, and appends additional fields", async () => {
    const created = await call(emulator, "POST", "/api/models", bodies.model(gcsId, {
      fields: ["first_name", "email_address"],
      additional_fields: [{ name: "segment", label: "Segment", type: "string" }],
      identifier: "email_address",
    }));
    expect(created.status).toBe(200);
    const fields = created.body.data.fields;
    expect(fields.map((f: { name: string }) => f.name)).toEqual(["email_address", "first_name", "segment"]);
    expect(fields.map((f: { user_added: boolean }) => f.user_added)).toEqual([false, false, true]);
    expect(fields[0].unique).toBe(true);
    expect(created.body.data.type).toBe("gcs");
  });

  it("honours skip_lines and quoted headers", async () => {
    const file = path.join(emulator.gcsRoot, DEMO_BUCKET, "tests/preamble.csv");
    fs.writeFileSync(file, 'exported by a tool\n"id","full ""name""","notes, free text"\n1,"A ""B""","x,y"\n');
    const created = await call(emulator, "POST", "/api/models", bodies.model(gcsId, {
      configuration: { model_from: "single_file", key: "tests/preamble.csv", skip_lines: 1 },
    }));
    expect(created.body.data.fields.map((f: { name: string }) => f.name)).toEqual(["id", 'full "name"', "notes, free text"]);
    expect(created.body.data.fields[1].example).toBe('A "B"');
  });

  it("trims header cells, and refuses at creation a file with no header or one that is not CSV", async () => {
    const put = (name: string, text: string) => fs.writeFileSync(path.join(emulator.gcsRoot, DEMO_BUCKET, "tests", name), text);
    const model = (key: string) => call(emulator, "POST", "/api/models", bodies.model(gcsId, { configuration: { model_from: "single_file", key: `tests/${key}` } }));
    put("padded.csv", '"  padded  ",plain\n1,2\n');
    expect((await model("padded.csv")).body.data.fields.map((f: { name: string }) => f.name)).toEqual(["padded", "plain"]);
    put("empty.csv", "");
    const empty = await model("empty.csv");
    expect(empty.status).toBe(422);
    expect(empty.body.message).toBe('configuration.key: object "tests/empty.csv" has no header row');
    put("broken.csv", 'email,name\n"ada@example.com,Ada\n');
    const broken = await model("broken.csv");
    expect(broken.status).toBe(422);
    expect(broken.body.message).toMatch(/^configuration\.key: object "tests\/broken\.csv" is not a CSV file this model can read: .*CSV_QUOTE_NOT_CLOSED/);
  });

  it("rejects an identifier that is not a field, and keys that escape the bucket", async () => {
    const badIdentifier = await call(emulator, "POST", "/api/models", bodies.model(gcsId, { identifier: "nope" }));
    expect(badIdentifier.status).toBe(422);
    expect(badIdentifier.body.message).toMatch(/identifier/);
    const escape = await call(emulator, "POST", "/api/models", bodies.model(gcsId, {
      configuration: { model_from: "single_file", key: "../../etc/passwd" },
    }));
    expect(escape.status).toBe(422);
  });
});

describe("sync list pagination (2025-09-18)", () => {
  it("pages by updated_at descending with an opaque token and caps limit", async () => {
    const ids = await createPipeline(emulator);
    const more: string[] = [];
    for (const name of ["second", "third"]) {
      const created = await call(emulator, "POST", "/api/syncs", bodies.sync(ids.modelId, ids.webhookId, { name }));
      more.push(created.body.data.id);
    }
    // Touch the first sync: it becomes the most recently updated.
    await new Promise((resolve) => setTimeout(resolve, 5));
    await call(emulator, "PUT", `/api/syncs/${ids.syncId}`, bodies.sync(ids.modelId, ids.webhookId, { name: "first, updated" }));

    const page1 = await call(emulator, "GET", "/api/syncs?limit=2");
    expect(page1.body.data.map((s: { id: string }) => s.id)[0]).toBe(ids.syncId);
    expect(page1.body.data).toHaveLength(2);
    const token = page1.body.pagination.next_page_token;
    expect(token).toEqual(expect.any(String));
    const page2 = await call(emulator, "GET", `/api/syncs?limit=2&page_token=${token}`);
    expect(page2.body.data).toHaveLength(1);
    expect(page2.body.pagination).toEqual({});
    const seen = [...page1.body.data, ...page2.body.data].map((s: { id: string }) => s.id).sort();
    expect(seen).toEqual([ids.syncId, ...more].sort());

    const capped = await call(emulator, "GET", "/api/syncs?limit=500");
    expect(capped.body.data).toHaveLength(3);
    expect((await call(emulator, "GET", "/api/syncs?page_token=garbage")).status).toBe(400);
    expect((await call(emulator, "GET", "/api/syncs?active=maybe")).status).toBe(422);
    const filtered = await call(emulator, "GET", `/api/syncs?target_connection_id=${ids.webhookId}&active=false`);
    expect(filtered.body.data).toEqual([]);
  });
});

describe("events", () => {
  it("validates the query and lists the event types", async () => {
    expect((await call(emulator, "GET", "/api/events?type=not.a.type")).status).toBe(422);
    expect((await call(emulator, "GET", "/api/events?starting_after=yesterday")).status).toBe(422);
    const listed = await call(emulator, "GET", "/api/events?limit=1000");
    expect(listed.status).toBe(200);
    expect(Array.isArray(listed.body.data)).toBe(true);
    const types = await call(emulator, "GET", "/api/events_types");
    expect(types.body.data).toContain("sync.completed_with_errors");
  });
});

describe("request log", () => {
  it("writes one line per request with method, path, status and duration, never headers or bodies", async () => {
    logLines.length = 0;
    await call(emulator, "POST", "/api/connections", bodies.gcsConnection("logged"));
    await call(emulator, "GET", "/api/me", undefined, { authorization: "Bearer wrong-key" });
    expect(logLines).toHaveLength(2);
    expect(logLines[0]).toMatch(/^POST \/api\/connections 200 \d+ms$/);
    expect(logLines[1]).toMatch(/^GET \/api\/me 401 \d+ms$/);
    const all = logLines.join("\n");
    expect(all).not.toContain(DEFAULT_API_KEY);
    expect(all).not.toContain("wrong-key");
    expect(all).not.toContain(serviceAccountKey().slice(0, 20));
  });
});

describe("command line", () => {
  it("parses options, with the API key from the flag, then the environment, then the default", () => {
    const parsed = parseCliArgs(["--port", "0", "--data", "/tmp/x", "--schema-ready-delay-ms", "0"], {});
    expect(parsed).toMatchObject({ port: 0, dataDir: "/tmp/x", schemaReadyDelayMs: 0, apiKey: DEFAULT_API_KEY });
    expect(parseCliArgs([], {})).toMatchObject({ port: 8787, dataDir: ".data/emulator", schemaReadyDelayMs: 2000 });
    expect(parseCliArgs(["--memory"], { POLYTOMIC_API_KEY: "from-env" })).toMatchObject({ dataDir: undefined, apiKey: "from-env" });
    expect(parseCliArgs(["--api-key", "from-flag"], { POLYTOMIC_API_KEY: "from-env" }).apiKey).toBe("from-flag");
    expect(() => parseCliArgs(["--port", "-1"], {})).toThrow(/--port/);
    expect(() => parseCliArgs(["--bogus"], {})).toThrow();
  });
});

