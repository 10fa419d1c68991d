/**
 * `npm run bench:receiver-attack`: the receiver as its own process, on loopback.
 *
 * 1. Attack, twice: one wave of 200 concurrent gzip bombs to `/events` (the case), then
 *    a flood that keeps 200 in flight for `BENCH_ATTACK_SECONDS` (default 5), each sender
 *    sending its next bomb as soon as the last one is answered. A bomb fits the event limit on
 *    the wire and inflates to about 60 MiB; half declare a Content-Length, half are streamed
 *    chunked; all carry a well-shaped, wrong signature. Meanwhile valid records deliveries and
 *    valid signed events keep being sent; events refused with 503 are retried after
 *    `Retry-After`, as Polytomic does. Reports the receiver's RSS growth (target: under 50 MB)
 *    and what happened to each request.
 * 2. Throughput: records deliveries (gzip JSON, batches of 100 and of 1,000, 4 at a time) until
 *    `BENCH_RECORDS` records (default 200,000) are stored to records.jsonl. Reports records/s
 *    (target: above 50,000).
 */
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { DEFAULT_MAX_EVENT_BYTES, signBody } from "../receiver";
import { printTable, startChild, writeResult } from "./lib";

const BOMBS = Number(process.env.BENCH_BOMBS ?? 200);
const ATTACK_SECONDS = Number(process.env.BENCH_ATTACK_SECONDS ?? 5);
/** The receiver's event limit (default its default): a bomb just under it gets past the wire check. */
const EVENT_LIMIT = Number(process.env.BENCH_MAX_EVENT_BYTES ?? DEFAULT_MAX_EVENT_BYTES);
const RECORDS = Number(process.env.BENCH_RECORDS ?? 200_000);
const RECORDS_SECRET = `bench-records-${randomUUID()}`;
const EVENTS_SECRET = "bench-events-secret";
const MB = 1024 * 1024;

interface Answer {
  status: number;
  retryAfter?: string;
}

/** One POST over its own connection (no pooling: the bombs must really be concurrent). */
function post(url: string, body: Buffer, headers: Record<string, string>, opts: { chunked?: boolean } = {}): Promise<Answer> {
  return new Promise((resolve) => {
    const req = http.request(url, {
      method: "POST",
      agent: false,
      headers: opts.chunked ? headers : { ...headers, "Content-Length": String(body.length) },
    });
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers["retry-after"] }));
    });
    // The receiver may answer and close before the whole bomb is written: that is a refusal.
    req.on("error", () => resolve({ status: 0 }));
    if (opts.chunked) {
      for (let at = 0; at < body.length; at += 8192) req.write(body.subarray(at, at + 8192));
      req.end();
    } else req.end(body);
  });
}

/** Concatenated gzip members of 1 MiB of zeros (~1 KB each), as many as fit in `wireBytes`. */
function gzipBomb(wireBytes: number): Buffer {
  const member = zlib.gzipSync(Buffer.alloc(MB), { level: 9 });
  return Buffer.concat(Array.from({ length: Math.floor(wireBytes / member.length) }, () => member));
}

function recordsBody(count: number): Buffer {
  const records = Array.from({ length: count }, () => {
    const id = randomUUID();
    return { hash: id.slice(0, 16), fields: { email_address: `${id}@example.com`, first_name: "Ada", last_name: "Lovelace", plan: "pro" } };
  });
  return zlib.gzipSync(JSON.stringify({ event: "sync.records", object: { id: "bench-sync", name: "bench", records, metadata: {} } }));
}

const recordsHeaders = () => ({
  "Content-Type": "application/json",
  "Content-Encoding": "gzip",
  Authorization: `Bearer ${RECORDS_SECRET}`,
  "Polytomic-Signature-Timestamp": new Date().toISOString(),
});

function signedEvent(): { body: Buffer; headers: Record<string, string> } {
  const body = Buffer.from(
    JSON.stringify({ type: "sync.completed", event: { name: "bench", organization_id: "o", sync_id: "s", execution_id: randomUUID(), status: "completed" } }),
  );
  return { body, headers: { "Content-Type": "application/json", "Polytomic-Signature": signBody(EVENTS_SECRET, body) } };
}

const rssKb = (pid: number, field: "VmRSS" | "VmHWM"): number =>
  Number(new RegExp(`${field}:\\s+(\\d+)`).exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN);

const count = (answers: Answer[]): string => {
  const by = new Map<number, number>();
  for (const a of answers) by.set(a.status, (by.get(a.status) ?? 0) + 1);
  return [...by].sort(([a], [b]) => a - b).map(([status, n]) => `${status === 0 ? "closed" : status}: ${n}`).join(", ");
};

/** `seconds` 0: one wave of `BOMBS` bombs; otherwise `BOMBS` kept in flight for that long. */
async function attack(base: string, pid: number, seconds: number) {
  const bomb = gzipBomb(EVENT_LIMIT - 2048);
  const inflatedMiB = zlib.gunzipSync(bomb).length / MB;
  const fakeSignature = "ab".repeat(32);
  const bombHeaders = { "Content-Type": "application/json", "Content-Encoding": "gzip", "Polytomic-Signature": fakeSignature };

  const baseline = rssKb(pid, "VmRSS");
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, rssKb(pid, "VmRSS"))), 2);

  let attacking = true;
  const records: Answer[] = [];
  const events: { first: number; final: number; tries: number }[] = [];
  const recordsLane = async () => {
    while (attacking) records.push(await post(`${base}/records`, recordsBody(100), recordsHeaders()));
  };
  const eventsLane = async () => {
    while (attacking) {
      const { body, headers } = signedEvent();
      let answer = await post(`${base}/events`, body, headers);
      const first = answer.status;
      let tries = 1;
      // Polytomic retries a non-2xx event delivery up to five times.
      while (answer.status !== 200 && tries < 6) {
        await new Promise((r) => setTimeout(r, Number(answer.retryAfter ?? 1) * 1000));
        answer = await post(`${base}/events`, body, headers);
        tries++;
      }
      events.push({ first, final: answer.status, tries });
    }
  };
  const started = Date.now();
  const lanes = [recordsLane(), recordsLane(), eventsLane(), eventsLane()];
  const bombs: Answer[] = [];
  const attacker = async (i: number) => {
    do bombs.push(await post(`${base}/events`, bomb, bombHeaders, { chunked: i % 2 === 1 }));
    while (Date.now() - started < seconds * 1000);
  };
  await Promise.all(Array.from({ length: BOMBS }, (_, i) => attacker(i)));
  const attackMs = Date.now() - started;
  attacking = false;
  await Promise.all(lanes);
  clearInterval(sampler);
  peak = Math.max(peak, rssKb(pid, "VmRSS"));

  return {
    attack: seconds === 0 ? "one wave" : `${seconds} s flood`,
    "concurrent bombs": BOMBS,
    "bombs sent": bombs.length,
    "bomb wire KB": (bomb.length / 1024).toFixed(0),
    "bomb inflated MiB": inflatedMiB.toFixed(0),
    "attack s": (attackMs / 1000).toFixed(1),
    "bomb answers": count(bombs),
    "receiver RSS before MB": (baseline / 1024).toFixed(1),
    "RSS growth MB": ((peak - baseline) / 1024).toFixed(1),
    "valid records deliveries": count(records),
    "valid events (first try)": count(events.map((e) => ({ status: e.first }))),
    "valid events (after retries)": count(events.map((e) => ({ status: e.final }))),
    ok: bombs.every((b) => [0, 413, 503].includes(b.status)) && records.every((r) => r.status === 200) && events.every((e) => e.final === 200),
  };
}

async function throughput(base: string, outDir: string, batch: number, total: number) {
  const before = fs.existsSync(path.join(outDir, "records.jsonl")) ? fs.readFileSync(path.join(outDir, "records.jsonl"), "utf8").split("\n").length - 1 : 0;
  const bodies = Array.from({ length: Math.ceil(total / batch) }, () => recordsBody(batch));
  let next = 0;
  const failures: Answer[] = [];
  const started = process.hrtime.bigint();
  const lane = async () => {
    while (next < bodies.length) {
      const answer = await post(`${base}/records`, bodies[next++], recordsHeaders());
      if (answer.status !== 200) failures.push(answer);
    }
  };
  await Promise.all([lane(), lane(), lane(), lane()]);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const stored = fs.readFileSync(path.join(outDir, "records.jsonl"), "utf8").split("\n").length - 1 - before;
  return {
    "batch size": batch,
    requests: bodies.length,
    "records stored": stored,
    failures: failures.length,
    seconds: seconds.toFixed(2),
    "records/s": Math.round(stored / seconds),
  };
}

/** A fresh receiver process (its own RSS), warmed up, for one measurement. */
async function withReceiver<T>(measure: (url: string, pid: number, outDir: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-receiver-attack-"));
  const outDir = path.join(dir, "receiver");
  const receiver = await startChild("bin/polytomic-receiver.js", ["--port", "0", "--out", outDir, "--max-event-bytes", String(EVENT_LIMIT)], {
    RECEIVER_RECORDS_SECRET: RECORDS_SECRET,
    RECEIVER_EVENTS_SECRET: EVENTS_SECRET,
  });
  try {
    // Warm up: the first requests load code and grow the heap once; the measurement comes after.
    for (let i = 0; i < 20; i++) await post(`${receiver.url}/records`, recordsBody(100), recordsHeaders());
    for (let i = 0; i < 5; i++) {
      const { body, headers } = signedEvent();
      await post(`${receiver.url}/events`, body, headers);
    }
    await new Promise((r) => setTimeout(r, 500));
    return await measure(receiver.url, receiver.process.pid!, outDir);
  } finally {
    await receiver.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const attackRows = [
    await withReceiver((url, pid) => attack(url, pid, 0)),
    await withReceiver((url, pid) => attack(url, pid, ATTACK_SECONDS)),
  ];
  printTable(`Receiver under ${BOMBS} concurrent gzip bombs to /events (RSS growth target: under 50 MB)`, attackRows as unknown as Record<string, string | number>[]);

  const rows = await withReceiver(async (url, _pid, outDir) => [await throughput(url, outDir, 100, RECORDS), await throughput(url, outDir, 1000, RECORDS)]);
  printTable("Records throughput on loopback (gzip JSON, 4 at a time, stored to records.jsonl; target: above 50,000/s)", rows);
  console.log(`CPUs: ${os.cpus().length}, load average: ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
  console.log(`written to ${writeResult("receiver-attack", { attack: attackRows, throughput: rows, loadavg: os.loadavg() })}`);
  if (!attackRows.every((row) => row.ok)) throw new Error("a bomb was not refused, or a valid delivery was not accepted");
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
