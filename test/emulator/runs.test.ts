/**
 * The run engine with a real local receiver: what a delivery looks like on the wire, that later
 * runs send only changed rows, that a refusing receiver fails the run, and signed event retries.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { models, syncs } from "../../contract";
import { createRunEngine, normalizeFieldName, recordHash } from "../../emulator/runs";
import { recordingReceiver as receiver } from "./support";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runs-test-"));
const csvPath = path.join(dir, "contacts.csv");
const rows = (n: number) => Array.from({ length: n }, (_, i) => `user${i}@example.com,"Name, ${i}",Last${i}`);
// "$first name" arrives as "firstname"; the padded header cell reads as "last_name" (trimmed) for the rows too.
const writeCsv = (lines: string[]) => fs.writeFileSync(csvPath, `email_address,$first name,"  last_name  "\n${lines.join("\n")}\n`);

const model = { id: "m1", name: "contacts", connection_id: "c1", configuration: {}, fields: [] } as unknown as models.Model;
const sync = (batchSize: number): syncs.Sync => ({
  id: "s1", name: "contacts to hook", mode: "updateOrCreate", schedule: { frequency: "manual" }, active: true,
  target: { connection_id: "c2", object: "http", configuration: { batch_size: batchSize, metadata: { team: "growth" } } },
  fields: [
    { target: "record", source: { model_id: "m1", field: "email_address" } },
    { target: "record", source: { model_id: "m1", field: "$first name" } },
    { target: "record", source: { model_id: "m1", field: "last_name" } },
  ],
});

let records: Awaited<ReturnType<typeof receiver>>;
let events: Awaited<ReturnType<typeof receiver>>;
beforeAll(async () => {
  records = await receiver();
  events = await receiver();
});
afterAll(async () => {
  await records.close();
  await events.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function engine(dataDir = path.join(dir, "data")) {
  return createRunEngine({
    dataDir,
    organizationId: "org-1",
    orgWebhook: () => ({ endpoint: events.url, secret: "event-secret", disabled: false }),
    retryBaseMs: 20,
  });
}

async function run(e: ReturnType<typeof engine>, batchSize = 100) {
  const started = e.start({
    sync: sync(batchSize), model, csvPath, csv: { hasHeaders: true, skipLines: 0 },
    target: { url: records.url, secret: "bearer-secret", headers: [{ name: "X-Team", value: "growth" }] }, trigger: "api",
  });
  await e.idle();
  return e.execution("s1", started.id)!;
}

describe("a sync run", () => {
  it("delivers every row once, in gzip batches, with the documented headers and hashes", async () => {
    writeCsv(rows(250));
    const e = engine();
    const execution = await run(e);
    expect(execution.status).toBe("completed");
    expect(records.received.map((r) => r.body.object.records.length)).toEqual([100, 100, 50]);
    const first = records.received[0];
    expect(first.headers).toMatchObject({
      "content-type": "application/json",
      "content-encoding": "gzip",
      "accept-encoding": "gzip",
      authorization: "Bearer bearer-secret",
      "x-team": "growth",
    });
    expect(first.headers["polytomic-signature-timestamp"]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(zlib.gunzipSync(first.raw).length).toBeGreaterThan(first.raw.length);
    expect(first.body).toMatchObject({ event: "sync.records", object: { id: "s1", name: "contacts to hook", metadata: { team: "growth" } } });
    const record = first.body.object.records[0];
    expect(record.fields).toEqual({ email_address: "user0@example.com", firstname: "Name, 0", last_name: "Last0" });
    const expectedHash = crypto
      .createHash("sha256")
      .update(JSON.stringify({ email_address: "user0@example.com", firstname: "Name, 0", last_name: "Last0" }))
      .digest("hex")
      .slice(0, 16);
    expect(record.hash).toBe(expectedHash);
    expect(recordHash(record.fields)).toBe(expectedHash);
    expect(execution.counts).toMatchObject({ total: 250, upserts: 250 });
    await e.stop();
  });

  it("sends nothing when nothing changed, then exactly the edited row, even after a restart", async () => {
    records.received.length = 0;
    const restarted = engine();
    expect((await run(restarted)).status).toBe("completed");
    expect(records.received).toHaveLength(0);
    const edited = rows(250);
    edited[7] = `user7@example.com,"Renamed",Last7`;
    writeCsv(edited);
    const third = await run(restarted);
    expect(third.counts).toMatchObject({ total: 250, upserts: 1 });
    expect(records.received.flatMap((r) => r.body.object.records.map((x: any) => x.fields.firstname))).toEqual(["Renamed"]);
    expect(restarted.executions("s1")).toHaveLength(3);
    await restarted.stop();
  });

  it("fails when the receiver answers 4xx/5xx, reports sync.failed, and resends on the next run", async () => {
    const e = engine(path.join(dir, "fresh"));
    records.received.length = 0;
    records.statuses.push(500);
    const failed = await run(e);
    expect(failed.status).toBe("failed");
    expect(failed.errors?.[0]).toMatch(/answered HTTP 500/);
    const types = e.listEvents({ limit: 10 }).map((ev) => ev.type);
    expect(types).toEqual(["sync.failed", "sync.running"]);
    records.received.length = 0;
    expect((await run(e)).status).toBe("completed");
    expect(records.received.reduce((n, r) => n + r.body.object.records.length, 0)).toBe(250);
    await e.stop();
  });

  it("signs each event over its raw body and retries a failing webhook until one 2xx", async () => {
    const e = engine(path.join(dir, "events"));
    events.received.length = 0;
    events.statuses.push(503, 500);
    await run(e);
    await e.idle();
    // Per event: failures, then exactly one accepted delivery, and nothing after it.
    const byEvent = new Map<string, number[]>();
    for (const r of events.received) byEvent.set(r.body.id, [...(byEvent.get(r.body.id) ?? []), r.status]);
    expect([...byEvent.values()].map((statuses) => statuses.filter((s) => s === 200).length)).toEqual([1, 1]);
    expect([...byEvent.values()].every((statuses) => statuses[statuses.length - 1] === 200)).toBe(true);
    expect(events.received.filter((r) => r.status !== 200)).toHaveLength(2);
    for (const delivery of events.received) {
      const expected = crypto.createHmac("sha256", "event-secret").update(delivery.raw).digest("hex");
      expect(delivery.headers["polytomic-signature"]).toBe(expected);
    }
    expect(new Set(events.received.map((r) => r.body.type))).toEqual(new Set(["sync.running", "sync.completed"]));
    await e.stop();
  });
});

describe("field names", () => {
  it("keep letters, digits, _, - and .", () => {
    expect(normalizeFieldName("$first_name")).toBe("first_name");
    expect(normalizeFieldName("e-mail.address (work)")).toBe("e-mail.addresswork");
  });
});
