/**
 * What an unauthenticated sender can cost: the event body limit (checked while inflating), the
 * cap on requests in flight per route (503 with Retry-After, body unread), the body deadline,
 * and the memory taken by many concurrent gzip bombs.
 */
import { randomUUID } from "node:crypto";
import * as http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_MAX_EVENT_BYTES, Receiver, ReceiverOptions, signBody, startReceiver } from "../../receiver";
import { gzipBomb, postEvent, postRecords, recordsBody, send, syncEvent } from "./deliveries";

const RECORDS_SECRET = "records-secret-for-limit-tests";
const EVENTS_SECRET = "events-secret-for-limit-tests";
const FAKE_SIGNATURE = "ab".repeat(32);

const started: Receiver[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((r) => r.stop()));
});

async function receiverWith(options: Partial<ReceiverOptions> = {}): Promise<Receiver> {
  const receiver = await startReceiver({ recordsSecret: RECORDS_SECRET, eventsSecret: EVENTS_SECRET, log: () => undefined, ...options });
  started.push(receiver);
  return receiver;
}

/** A request whose headers and first body bytes are sent, the rest held back until `finish`. */
function holdOpen(url: string, headers: Record<string, string>) {
  let req: http.ClientRequest | undefined;
  const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
    req = http.request(url, { method: "POST", headers: { "Content-Type": "application/json", ...headers } }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on("error", reject);
    req.write('{"type":"sync.running",');
  });
  return { answer, finish: () => req?.end('"event":{}}') };
}

const bombHeaders = { "Content-Type": "application/json", "Content-Encoding": "gzip", "Polytomic-Signature": FAKE_SIGNATURE };
const recordsHeaders = () => ({ Authorization: `Bearer ${RECORDS_SECRET}`, "Polytomic-Signature-Timestamp": new Date().toISOString() });

describe("event body limit", () => {
  it("stops inflating a gzip bomb at the event limit: 413 before the signature is even checked", async () => {
    const receiver = await receiverWith();
    const bomb = gzipBomb(4 * 1024 * 1024, 4); // about 16 KB on the wire, 16 MiB inflated
    expect(bomb.length).toBeLessThan(DEFAULT_MAX_EVENT_BYTES);
    const res = await send(receiver.eventsUrl, bomb, bombHeaders);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ error: "body_too_large" });
    expect(String(res.body.message)).toMatch(/decompressed body exceeds 65536 bytes/);
  });

  it("refuses an event body declared larger than the limit without reading it", async () => {
    const receiver = await receiverWith({ maxEventBytes: 1024 });
    const event = { ...syncEvent(), pad: "x".repeat(2048) };
    const res = await postEvent(receiver.eventsUrl, EVENTS_SECRET, event);
    expect(res).toMatchObject({ status: 413, body: { error: "body_too_large" } });
    // An event under the limit still passes.
    expect((await postEvent(receiver.eventsUrl, EVENTS_SECRET, syncEvent())).status).toBe(200);
  });

  it("keeps the records limit separate: a records batch far above the event limit is accepted", async () => {
    const receiver = await receiverWith();
    const rows = Array.from({ length: 2000 }, (_, i) => ({ email_address: `${i}@example.com`, note: "n".repeat(50) }));
    const body = recordsBody(randomUUID(), rows);
    expect(body.length).toBeGreaterThan(2 * DEFAULT_MAX_EVENT_BYTES);
    const res = await postRecords({ url: receiver.recordsUrl, secret: RECORDS_SECRET, body, gzip: true });
    expect(res.body).toMatchObject({ received: 2000 });
  });
});

describe("requests in flight", () => {
  it("answers 503 with Retry-After past the events cap, and takes events again once a slot is free", async () => {
    const receiver = await receiverWith({ maxInFlight: { events: 2 } });
    const holders = [holdOpen(receiver.eventsUrl, { "Polytomic-Signature": FAKE_SIGNATURE }), holdOpen(receiver.eventsUrl, { "Polytomic-Signature": FAKE_SIGNATURE })];
    await new Promise((r) => setTimeout(r, 100));

    const res = await fetch(receiver.eventsUrl, {
      method: "POST",
      body: JSON.stringify(syncEvent()),
      headers: { "Content-Type": "application/json", "Polytomic-Signature": signBody(EVENTS_SECRET, JSON.stringify(syncEvent())) },
    });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("1");
    expect(await res.json()).toMatchObject({ error: "too_many_in_flight", message: expect.stringMatching(/retry after 1 second/) });
    expect(receiver.summary().rejected.too_many_in_flight).toBe(1);

    for (const holder of holders) holder.finish();
    // The held requests end (their fake signature fails) and free their slots.
    expect((await Promise.all(holders.map((h) => h.answer))).map((a) => a.status)).toEqual([401, 401]);
    expect((await postEvent(receiver.eventsUrl, EVENTS_SECRET, syncEvent())).status).toBe(200);
  });

  it("counts only authenticated records requests: a flood without the Bearer cannot crowd the sender out", async () => {
    const receiver = await receiverWith({ maxInFlight: { records: 1 } });
    const holder = holdOpen(receiver.recordsUrl, recordsHeaders());
    await new Promise((r) => setTimeout(r, 100));

    const unauthenticated = await Promise.all(
      Array.from({ length: 20 }, () => postRecords({ url: receiver.recordsUrl, secret: "wrong", body: recordsBody("s", [{ a: 1 }]) })),
    );
    expect(new Set(unauthenticated.map((r) => r.status))).toEqual(new Set([401]));

    const second = await postRecords({ url: receiver.recordsUrl, secret: RECORDS_SECRET, body: recordsBody(randomUUID(), [{ a: 1 }]) });
    expect(second.status).toBe(503);

    holder.finish();
    expect((await holder.answer).status).toBe(400); // the held body is not a delivery
    const third = await postRecords({ url: receiver.recordsUrl, secret: RECORDS_SECRET, body: recordsBody(randomUUID(), [{ a: 1 }]) });
    expect(third.status).toBe(200);
  });

  it("gives an event body a deadline, so a slow sender cannot keep a slot", async () => {
    const receiver = await receiverWith({ maxInFlight: { events: 1 }, eventBodyTimeoutMs: 200 });
    const slow = holdOpen(receiver.eventsUrl, { "Polytomic-Signature": FAKE_SIGNATURE });
    const answer = await slow.answer;
    expect(answer.status).toBe(408);
    expect(JSON.parse(answer.text)).toMatchObject({ error: "body_timeout" });
    expect((await postEvent(receiver.eventsUrl, EVENTS_SECRET, syncEvent())).status).toBe(200);
  });
});

describe("memory under concurrent gzip bombs", () => {
  it("100 concurrent bombs to /events cost the process little, and valid deliveries still pass", async () => {
    const receiver = await receiverWith();
    const bomb = gzipBomb(4 * 1024 * 1024, 12); // about 50 KB on the wire, 48 MiB inflated each
    expect(bomb.length).toBeLessThan(DEFAULT_MAX_EVENT_BYTES);
    global.gc?.();
    const base = process.memoryUsage().rss;
    let peak = base;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
    try {
      const [bombs, valid] = await Promise.all([
        Promise.all(Array.from({ length: 100 }, () => send(receiver.eventsUrl, bomb, bombHeaders))),
        Promise.all(Array.from({ length: 10 }, (_, i) => postRecords({ url: receiver.recordsUrl, secret: RECORDS_SECRET, body: recordsBody(randomUUID(), [{ i }]) }))),
      ]);
      // Each bomb is refused: too large once inflated to the limit, or busy past the cap.
      expect(bombs.every((r) => r.status === 413 || r.status === 503)).toBe(true);
      expect(bombs.some((r) => r.status === 413)).toBe(true);
      expect(valid.map((r) => r.status)).toEqual(Array(10).fill(200));
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    // The test's own 100 in-flight client requests share this process: the bound is loose.
    expect(peak - base).toBeLessThan(64 * 1024 * 1024);
    expect((await postEvent(receiver.eventsUrl, EVENTS_SECRET, syncEvent())).status).toBe(200);
  });
});
