import { randomUUID, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Receiver, RecordsBatch, startReceiver, StoredEvent } from "../../receiver";
import { docEvent, gzipBomb, postEvent, postRecords, postSignedBytes, recordsBody, send, syncEvent } from "./deliveries";

const RECORDS_SECRET = "records-secret-for-tests-0123456789";
const EVENTS_SECRET = "events-secret-42";
const MAX_BODY = 1024 * 1024;

let receiver: Receiver;
const batches: RecordsBatch[] = [];
const storedEvents: StoredEvent[] = [];
const logLines: string[] = [];

beforeAll(async () => {
  receiver = await startReceiver({
    recordsSecret: RECORDS_SECRET,
    eventsSecret: EVENTS_SECRET,
    maxBodyBytes: MAX_BODY,
    onRecords: (batch) => void batches.push(batch),
    onEvent: (event) => void storedEvents.push(event),
    log: (line) => logLines.push(line),
  });
});
afterAll(async () => {
  await receiver?.stop();
});

const rows = (n: number, tag = randomUUID()) =>
  Array.from({ length: n }, (_, i) => ({ email_address: `${tag}-${i}@example.com`, first_name: "Ada", last_name: `L${i}` }));

/** After a rejection the same server must still take a valid delivery. */
async function expectStillServing(): Promise<void> {
  const before = receiver.summary().records;
  const res = await postRecords({ url: receiver.recordsUrl, secret: RECORDS_SECRET, body: recordsBody("sync-alive", rows(1)) });
  expect(res.status).toBe(200);
  expect(receiver.summary().records).toBe(before + 1);
}

describe("sync.records", () => {
  it("accepts a plain delivery and hands every record on", async () => {
    const syncId = randomUUID();
    const before = receiver.summary();
    const res = await postRecords({ url: receiver.recordsUrl, secret: RECORDS_SECRET, body: recordsBody(syncId, rows(3)) });
    expect(res).toEqual({ status: 200, body: { ok: true, received: 3, duplicates: 0 } });
    expect(receiver.summary().records).toBe(before.records + 3);
    expect(receiver.summary().deliveries).toBe(before.deliveries + 1);
    const batch = batches.find((b) => b.syncId === syncId);
    expect(batch?.records.map((r) => r.fields.last_name)).toEqual(["L0", "L1", "L2"]);
  });

  it("accepts a gzip delivery", async () => {
    const syncId = randomUUID();
    const res = await postRecords({ url: receiver.recordsUrl, secret: RECORDS_SECRET, body: recordsBody(syncId, rows(5)), gzip: true });
    expect(res.status).toBe(200);
    expect(res.body.received).toBe(5);
    expect(batches.find((b) => b.syncId === syncId)?.records).toHaveLength(5);
  });

  it("takes the same request again (timestamp and body) as a retried delivery and does not store it twice", async () => {
    const body = recordsBody(randomUUID(), rows(4));
    const timestamp = new Date().toISOString();
    const first = await postRecords({ url: receiver.recordsUrl, secret: RECORDS_SECRET, body, gzip: true, timestamp });
    expect(first.body).toMatchObject({ received: 4, duplicates: 0 });
    const after = receiver.summary();
    // Encoded differently and with the instant spelled another way: still the same request.
    const sameInstant = timestamp.replace("Z", "+00:00");
    const retry = await postRecords({ url: receiver.recordsUrl, secret: RECORDS_SECRET, body, timestamp: sameInstant });
    expect(retry).toEqual({ status: 200, body: { ok: true, duplicate: true, received: 0, duplicates: 4 } });
    expect(receiver.summary()).toMatchObject({
      records: after.records,
      duplicateRecords: after.duplicateRecords + 4,
      duplicateDeliveries: after.duplicateDeliveries + 1,
    });
  });

  it("stores the same body created at another time: it is a new delivery, not a retry", async () => {
    const body = recordsBody(randomUUID(), rows(2));
    const sent = Date.now();
    const first = await postRecords({ url: receiver.recordsUrl, secret: RECORDS_SECRET, body, timestamp: new Date(sent - 1000).toISOString() });
    const second = await postRecords({ url: receiver.recordsUrl, secret: RECORDS_SECRET, body, timestamp: new Date(sent).toISOString() });
    expect([first.body, second.body]).toEqual([
      { ok: true, received: 2, duplicates: 0 },
      { ok: true, received: 2, duplicates: 0 },
    ]);
  });

  it("stores every record of a new delivery, also one identical to a record stored before", async () => {
    const syncId = randomUUID();
    const a = { email_address: "ada@example.com", first_name: "Ada" };
    const b = { email_address: "ada@example.com", first_name: "Adele" };
    const results = [];
    // A -> B -> A across three runs: the third delivery's record has the first one's hash.
    for (const fields of [a, b, a]) {
      results.push(await postRecords({ url: receiver.recordsUrl, secret: RECORDS_SECRET, body: recordsBody(syncId, [fields]) }));
    }
    expect(results.map((r) => r.body)).toEqual(Array(3).fill({ ok: true, received: 1, duplicates: 0 }));
    const stored = batches.filter((batch) => batch.syncId === syncId).flatMap((batch) => batch.records);
    expect(stored.map((r) => r.fields.first_name)).toEqual(["Ada", "Adele", "Ada"]);
    expect(stored[0].hash).toBe(stored[2].hash);
  });

  it("catches a retry sent while the first delivery is still being stored", async () => {
    const body = recordsBody(randomUUID(), rows(3));
    const timestamp = new Date().toISOString();
    const [one, two] = await Promise.all([
      postRecords({ url: receiver.recordsUrl, secret: RECORDS_SECRET, body, timestamp }),
      postRecords({ url: receiver.recordsUrl, secret: RECORDS_SECRET, body, gzip: true, timestamp }),
    ]);
    expect([one.body.received, two.body.received].sort()).toEqual([0, 3]);
  });

  it("answers 200 to an unknown event and ignores it", async () => {
    const before = receiver.summary();
    const res = await postRecords({ url: receiver.recordsUrl, secret: RECORDS_SECRET, body: recordsBody(randomUUID(), rows(2), "sync.something_new") });
    expect(res).toEqual({ status: 200, body: { ok: true, ignored: true } });
    expect(receiver.summary()).toMatchObject({ records: before.records, ignored: before.ignored + 1 });
  });

  it.each([
    ["a wrong bearer secret", { Authorization: "Bearer not-the-secret" }, 401, "bad_bearer"],
    ["a missing Authorization header", { Authorization: "" }, 401, "missing_bearer"],
    ["a Basic Authorization header", { Authorization: "Basic dXNlcjpwYXNz" }, 401, "malformed_authorization"],
  ])("rejects %s with 401", async (_name, headers, status, reason) => {
    const res = await postRecords({ url: receiver.recordsUrl, secret: RECORDS_SECRET, body: recordsBody("s", rows(1)), headers });
    expect(res.status).toBe(status);
    expect(res.body.error).toBe(reason);
    expect(JSON.stringify(res.body)).not.toContain(RECORDS_SECRET);
    await expectStillServing();
  });

  it.each([
    ["stale", new Date(Date.now() - 301_000).toISOString(), 401, "stale_timestamp"],
    ["future", new Date(Date.now() + 301_000).toISOString(), 401, "future_timestamp"],
    ["malformed", "yesterday at noon", 400, "malformed_timestamp"],
    ["date-only", "2021-06-01", 400, "malformed_timestamp"],
    ["missing", null, 401, "missing_timestamp"],
  ])("rejects a %s timestamp", async (_name, timestamp, status, reason) => {
    const before = receiver.summary();
    const res = await postRecords({ url: receiver.recordsUrl, secret: RECORDS_SECRET, body: recordsBody("s", rows(1)), timestamp });
    expect(res.status).toBe(status);
    expect(res.body.error).toBe(reason);
    expect(receiver.summary().rejected[reason]).toBe((before.rejected[reason] ?? 0) + 1);
    await expectStillServing();
  });

  it("accepts a timestamp just inside the window, with an offset", async () => {
    const sent = new Date(Date.now() - 290_000);
    const withOffset = sent.toISOString().replace("Z", "+00:00");
    const res = await postRecords({ url: receiver.recordsUrl, secret: RECORDS_SECRET, body: recordsBody(randomUUID(), rows(1)), timestamp: withOffset });
    expect(res.status).toBe(200);
  });

  it("rejects malformed JSON with 400, plain and gzip", async () => {
    for (const gzip of [false, true]) {
      const res = await postRecords({ url: receiver.recordsUrl, secret: RECORDS_SECRET, body: '{"event":"sync.records",', gzip });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe("malformed_json");
    }
    await expectStillServing();
  });

  it("rejects a body that is not valid UTF-8 with 400, plain and gzip", async () => {
    const before = receiver.summary();
    // Valid JSON structure, but a lone 0xff byte inside a string: decoding must not paper over it.
    const text = recordsBody(randomUUID(), [{ email_address: "X" }]);
    const at = text.indexOf('"X"') + 1;
    const raw = Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from([0xff]), Buffer.from(text.slice(at + 1))]);
    for (const gzip of [false, true]) {
      const res = await postRecords({ url: receiver.recordsUrl, secret: RECORDS_SECRET, body: raw, gzip });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: "invalid_utf8" });
      expect(String(res.body.message)).toMatch(/UTF-8/);
    }
    expect(receiver.summary().records).toBe(before.records);
    await expectStillServing();
  });

  it.each([
    ["missing", undefined, /header is missing/],
    ["text/plain", "text/plain", /got "text\/plain"/],
    ["form data", "application/x-www-form-urlencoded", /application\/json/],
  ])("rejects a %s Content-Type with 415 saying application/json is expected", async (_name, type, mention) => {
    const before = receiver.summary();
    const headers: Record<string, string> = {
      Authorization: `Bearer ${RECORDS_SECRET}`,
      "Polytomic-Signature-Timestamp": new Date().toISOString(),
      ...(type ? { "Content-Type": type } : {}),
    };
    // fetch would add text/plain for a string body: send bytes so "missing" stays missing.
    const res = await send(receiver.recordsUrl, Buffer.from(recordsBody(randomUUID(), rows(1))), headers);
    expect(res.status).toBe(415);
    expect(res.body.error).toBe("unsupported_media_type");
    expect(String(res.body.message)).toMatch(/Content-Type must be application\/json/);
    expect(String(res.body.message)).toMatch(mention);
    expect(receiver.summary().records).toBe(before.records);
  });

  it("accepts application/json with a charset and +json types", async () => {
    for (const type of ["application/json; charset=utf-8", "application/vnd.polytomic+json"]) {
      const res = await postRecords({ url: receiver.recordsUrl, secret: RECORDS_SECRET, body: recordsBody(randomUUID(), rows(1)), headers: { "Content-Type": type } });
      expect(res.status).toBe(200);
    }
  });

  it("rejects a corrupt gzip body and a delivery that breaks the contract with 400", async () => {
    const corrupt = await postRecords({
      url: receiver.recordsUrl,
      secret: RECORDS_SECRET,
      body: Buffer.from("not gzip at all"),
      headers: { "Content-Encoding": "gzip" },
    });
    expect(corrupt).toMatchObject({ status: 400, body: { error: "corrupt_body" } });
    const invalid = await postRecords({
      url: receiver.recordsUrl,
      secret: RECORDS_SECRET,
      body: JSON.stringify({ event: "sync.records", object: { id: "s", name: "n", records: [{ fields: {} }] } }),
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toBe("invalid_delivery");
    expect(String(invalid.body.message)).toContain("records.0.hash");
    await expectStillServing();
  });

  it("rejects an oversized compressed body with 413", async () => {
    // Random bytes do not compress: the gzip on the wire is larger than the limit.
    const incompressible = JSON.stringify({ event: "sync.records", pad: randomBytes(MAX_BODY).toString("base64") });
    const gz = zlib.gzipSync(incompressible);
    expect(gz.length).toBeGreaterThan(MAX_BODY);
    const res = await postRecords({ url: receiver.recordsUrl, secret: RECORDS_SECRET, body: gz, headers: { "Content-Encoding": "gzip" } });
    expect(res.status).toBe(413);
    expect(res.body.error).toBe("body_too_large");
    await expectStillServing();
  });

  it("rejects an oversized body streamed without Content-Length with 413", async () => {
    const tooLargeBefore = receiver.summary().rejected.body_too_large ?? 0;
    const chunk = Buffer.alloc(256 * 1024, 0x20);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 4 * MAX_BODY) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const res = await fetch(receiver.recordsUrl, {
      method: "POST",
      body: stream,
      duplex: "half",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${RECORDS_SECRET}`, "Polytomic-Signature-Timestamp": new Date().toISOString() },
    } as RequestInit).catch((err: unknown) => err);
    // The server answers 413 and closes; a sender still writing may see the close instead.
    if (res instanceof Response) expect(res.status).toBe(413);
    expect(receiver.summary().rejected.body_too_large).toBe(tooLargeBefore + 1);
    await expectStillServing();
  });

  it("rejects a gzip bomb with 413 without inflating it into memory", async () => {
    const bomb = gzipBomb(8 * 1024 * 1024, 64); // about 0.5 MB on the wire, 512 MiB inflated
    expect(bomb.length).toBeLessThan(MAX_BODY);
    let peak = process.memoryUsage().rss;
    const base = peak;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
    try {
      const res = await postRecords({ url: receiver.recordsUrl, secret: RECORDS_SECRET, body: bomb, headers: { "Content-Encoding": "gzip" } });
      expect(res.status).toBe(413);
      expect(String(res.body.message)).toContain("decompressed");
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    expect(peak - base).toBeLessThan(64 * 1024 * 1024);
    await expectStillServing();
  });

  it("logs one line per request and never a secret", () => {
    expect(logLines.length).toBeGreaterThan(10);
    for (const line of logLines) {
      expect(line).not.toContain(RECORDS_SECRET);
      expect(line).not.toContain(EVENTS_SECRET);
      expect(line.split("\n")).toHaveLength(1);
    }
    expect(logLines.some((line) => / 401 .*reason=bad_bearer/.test(line))).toBe(true);
  });
});

describe("org events", () => {
  it("accepts a signed event once; a replay is a 200 duplicate", async () => {
    const event = syncEvent();
    const before = receiver.summary();
    const first = await postEvent(receiver.eventsUrl, EVENTS_SECRET, event);
    expect(first).toEqual({ status: 200, body: { ok: true } });
    const again = await postEvent(receiver.eventsUrl, EVENTS_SECRET, event);
    expect(again).toEqual({ status: 200, body: { ok: true, duplicate: true } });
    expect(receiver.summary()).toMatchObject({ events: before.events + 1, duplicateEvents: before.duplicateEvents + 1 });
  });

  it("verifies the HMAC over the JSON bytes of a gzip-compressed event too", async () => {
    const json = Buffer.from(JSON.stringify(syncEvent("sync.running")));
    const { signBody } = await import("../../receiver");
    const res = await send(receiver.eventsUrl, zlib.gzipSync(json), {
      "Content-Type": "application/json",
      "Content-Encoding": "gzip",
      "Polytomic-Signature": signBody(EVENTS_SECRET, json),
    });
    expect(res.status).toBe(200);
  });

  it.each([
    ["a signature made with another secret", "other-secret", undefined, "bad_signature"],
    ["a missing signature", null, undefined, "missing_signature"],
    ["a signature that is not hex", null, "sha256=zzzz", "malformed_signature"],
    ["a signature of the right shape over nothing", null, "ab".repeat(32), "bad_signature"],
  ])("rejects %s with 401", async (_name, secret, signature, reason) => {
    const before = receiver.summary();
    const res = await postEvent(receiver.eventsUrl, secret, syncEvent(), signature);
    expect(res.status).toBe(401);
    expect(res.body.error).toBe(reason);
    expect(receiver.summary().events).toBe(before.events);
    const ok = await postEvent(receiver.eventsUrl, EVENTS_SECRET, syncEvent());
    expect(ok.status).toBe(200);
  });

  it("accepts the Events doc's shape, with no id at the top, and stores it once", async () => {
    const event = docEvent();
    const before = receiver.summary();
    expect(await postEvent(receiver.eventsUrl, EVENTS_SECRET, event)).toEqual({ status: 200, body: { ok: true } });
    expect(await postEvent(receiver.eventsUrl, EVENTS_SECRET, event)).toEqual({ status: 200, body: { ok: true, duplicate: true } });
    expect(receiver.summary()).toMatchObject({ events: before.events + 1, duplicateEvents: before.duplicateEvents + 1 });
    const stored = storedEvents.filter((e) => e.event?.execution_id === event.event.execution_id);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      type: "sync.completed",
      known_type: true,
      id: null,
      created_at: null,
      organization_id: event.event.organization_id,
      event: event.event,
    });
  });

  it("takes the doc shape and the SDK shape of one event (same run) for one event", async () => {
    const sdk = syncEvent("sync.running");
    const doc = { type: sdk.type, event: sdk.event };
    expect((await postEvent(receiver.eventsUrl, EVENTS_SECRET, doc)).body).toEqual({ ok: true });
    expect((await postEvent(receiver.eventsUrl, EVENTS_SECRET, sdk)).body).toEqual({ ok: true, duplicate: true });
    // The other event of the same run is a different event.
    const completed = { ...doc, type: "sync.completed" };
    expect((await postEvent(receiver.eventsUrl, EVENTS_SECRET, completed)).body).toEqual({ ok: true });
  });

  it("deduplicates an event without execution id or id by its content, whatever the key order", async () => {
    const tag = randomUUID();
    const one = { type: "sync.running", event: { name: tag, organization_id: "o" } };
    const reordered = { event: { organization_id: "o", name: tag }, type: "sync.running" };
    const other = { type: "sync.running", event: { name: tag, organization_id: "p" } };
    expect((await postEvent(receiver.eventsUrl, EVENTS_SECRET, one)).body).toEqual({ ok: true });
    expect((await postEvent(receiver.eventsUrl, EVENTS_SECRET, reordered)).body).toEqual({ ok: true, duplicate: true });
    expect((await postEvent(receiver.eventsUrl, EVENTS_SECRET, other)).body).toEqual({ ok: true });
  });

  it.each([
    ["the doc's bulk_sync.running", { type: "bulk_sync.running", event: { name: "Asana to BigQuery sync", organization_id: "o", sync_id: "s", execution_id: randomUUID(), source_connection_id: "a", destination_connection_id: "b" } }],
    ["the doc's sync.completed with record-log links", docEvent("sync.completed")],
    ["the SDK's shape", syncEvent("sync.failed")],
    ["an event with a null payload", { type: "sync.canceled", event: null, id: randomUUID() }],
    ["an event with no payload", { type: "sync.canceled", id: randomUUID() }],
    ["an event of a type we do not know", { type: "sync.teleported", event: { execution_id: randomUUID() } }],
    ["an event with more top-level fields", { ...syncEvent(), delivery_attempt: 2 }],
    ["an event with an empty id", { type: "sync.running", id: "", event: { name: randomUUID() } }],
  ])("stores %s (never a 4xx for a signed, well-formed event)", async (_name, event) => {
    const before = receiver.summary();
    const res = await postEvent(receiver.eventsUrl, EVENTS_SECRET, event);
    expect(res).toEqual({ status: 200, body: { ok: true } });
    expect(receiver.summary().events).toBe(before.events + 1);
    const stored = storedEvents.at(-1)!;
    expect(stored.type).toBe(event.type);
    expect(stored.known_type).toBe(event.type !== "sync.teleported");
    if ("delivery_attempt" in event) expect(stored.extra).toEqual({ delivery_attempt: 2 });
  });

  it.each([
    ["not JSON", Buffer.from("{oops"), "malformed_json", /not valid JSON/],
    ["invalid UTF-8", Buffer.concat([Buffer.from('{"type":"sync.running","event":{"name":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}}')]), "invalid_utf8", /UTF-8/],
    ["an array", Buffer.from("[1,2]"), "invalid_event", /string "type"/],
    ["an object without type", Buffer.from('{"event":{"execution_id":"e"}}'), "invalid_event", /type/],
    ["a payload that is not an object", Buffer.from('{"type":"sync.running","event":"x"}'), "invalid_event", /event/],
  ])("rejects a signed body that is %s with 400 saying what is expected", async (_name, body, reason, message) => {
    const before = receiver.summary();
    const res = await postSignedBytes(receiver.eventsUrl, EVENTS_SECRET, body);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe(reason);
    expect(String(res.body.message)).toMatch(message);
    expect(receiver.summary().events).toBe(before.events);
  });

  it("checks the signature before parsing: an unsigned body that is not JSON is a 401", async () => {
    const res = await postSignedBytes(receiver.eventsUrl, null, Buffer.from("{oops"), "ab".repeat(32));
    expect(res).toMatchObject({ status: 401, body: { error: "bad_signature" } });
  });
});

describe("files and restarts", () => {
  it("appends JSON lines to outDir and still recognizes a retry and a stored event after a restart", async () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "receiver-"));
    const body = recordsBody(randomUUID(), rows(3));
    const timestamp = new Date().toISOString();
    const sdk = syncEvent();
    const doc = docEvent("sync.running");
    // A line as an earlier version wrote it (the SDK event plus received_at, no key): still known.
    const legacy = syncEvent("sync.failed");
    fs.writeFileSync(path.join(outDir, "events.jsonl"), `${JSON.stringify({ ...legacy, received_at: new Date().toISOString() })}\n`);
    const options = { recordsSecret: () => RECORDS_SECRET, eventsSecret: EVENTS_SECRET, outDir, log: () => undefined };
    try {
      const first = await startReceiver(options);
      try {
        expect((await postRecords({ url: first.recordsUrl, secret: RECORDS_SECRET, body, timestamp })).status).toBe(200);
        expect((await postEvent(first.eventsUrl, EVENTS_SECRET, sdk)).status).toBe(200);
        expect((await postEvent(first.eventsUrl, EVENTS_SECRET, doc)).status).toBe(200);
      } finally {
        await first.stop();
      }
      const lines = fs.readFileSync(path.join(outDir, "records.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
      expect(lines.map((l) => l.fields.last_name)).toEqual(["L0", "L1", "L2"]);
      expect(new Set(lines.map((l) => l.delivery)).size).toBe(1);
      const eventLines = fs.readFileSync(path.join(outDir, "events.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
      expect(eventLines.slice(1)).toMatchObject([
        { id: sdk.id, type: sdk.type, source: "webhook", event: sdk.event },
        { id: null, type: "sync.running", source: "webhook", event: doc.event },
      ]);

      const second = await startReceiver(options);
      try {
        const replay = await postRecords({ url: second.recordsUrl, secret: RECORDS_SECRET, body, timestamp });
        expect(replay.body).toMatchObject({ duplicate: true, received: 0, duplicates: 3 });
        for (const event of [sdk, doc, legacy]) {
          expect((await postEvent(second.eventsUrl, EVENTS_SECRET, event)).body).toEqual({ ok: true, duplicate: true });
        }
        expect(second.summary()).toMatchObject({ records: 0, events: 0, duplicateEvents: 3 });
      } finally {
        await second.stop();
      }
      expect(fs.readFileSync(path.join(outDir, "records.jsonl"), "utf8").trim().split("\n")).toHaveLength(3);
    } finally {
      fs.rmSync(outDir, { recursive: true, force: true });
    }
  });

  it("answers 500 when the handler fails, and takes the retry as new", async () => {
    let fail = true;
    const flaky = await startReceiver({
      recordsSecret: RECORDS_SECRET,
      log: () => undefined,
      onRecords: () => {
        if (fail) throw new Error("disk full");
      },
    });
    try {
      const body = recordsBody(randomUUID(), rows(2));
      expect((await postRecords({ url: flaky.recordsUrl, secret: RECORDS_SECRET, body })).status).toBe(500);
      fail = false;
      const retry = await postRecords({ url: flaky.recordsUrl, secret: RECORDS_SECRET, body });
      expect(retry.body).toMatchObject({ received: 2, duplicates: 0 });
    } finally {
      await flaky.stop();
    }
  });

  it("refuses a zero tolerance instead of skipping the check", async () => {
    await expect(startReceiver({ recordsSecret: "x", toleranceSeconds: 0 })).rejects.toThrow(/toleranceSeconds/);
  });
});
