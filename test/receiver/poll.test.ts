/**
 * The polling fallback for at-most-once event delivery: `GET /api/events` is listed and what the
 * webhook missed is stored, under the same key as a webhook delivery, so an event whose webhook
 * delivery failed ends up stored exactly once (also when the sender's retry arrives later).
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_API_KEY } from "../../emulator";
import { clientEventLister, EventLister, pollEventsOnce, startReceiver } from "../../receiver";
import { EVENTS_SECRET, startWorld, waitFor, World } from "./world";

describe("pollEventsOnce", () => {
  /** A fake API: newest first, exclusive bounds, at most `limit` per page, like GET /api/events. */
  function fakeApi(events: { id: string; created_at: string }[]) {
    const queries: Parameters<EventLister>[0][] = [];
    const list: EventLister = async (query) => {
      queries.push(query);
      const after = query.starting_after ? Date.parse(query.starting_after) : -Infinity;
      const before = query.ending_before ? Date.parse(query.ending_before) : Infinity;
      return events
        .filter((e) => Date.parse(e.created_at) > after && Date.parse(e.created_at) < before)
        .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at))
        .slice(0, query.limit ?? 10);
    };
    return { list, queries };
  }

  it("pages through the window and misses no event that shares a millisecond with a page's end", async () => {
    const t0 = Date.parse("2026-01-01T00:00:00Z");
    // 250 events, five per millisecond: every page boundary falls inside a shared millisecond.
    const events = Array.from({ length: 250 }, (_, i) => ({ id: `e${i}`, created_at: new Date(t0 + Math.floor(i / 5)).toISOString() }));
    const api = fakeApi(events);
    const stored = new Set<string>();
    const result = await pollEventsOnce({
      list: api.list,
      since: new Date(t0 - 1),
      pageSize: 100,
      store: async (value) => {
        const id = (value as { id: string }).id;
        if (stored.has(id)) return "duplicate";
        stored.add(id);
        return "stored";
      },
    });
    expect(stored.size).toBe(250);
    expect(result.stored).toBe(250);
    expect(result.listed).toBe(result.stored + result.duplicates);
    expect(result.pages).toBeGreaterThanOrEqual(3);
    expect(api.queries.every((q) => q.starting_after === new Date(t0 - 1).toISOString() && q.limit === 100)).toBe(true);
  });

  it("steps past a full page inside one millisecond instead of asking for it forever", async () => {
    const at = "2026-01-01T00:00:00.000Z";
    const api = fakeApi(Array.from({ length: 120 }, (_, i) => ({ id: `same${i}`, created_at: at })));
    const result = await pollEventsOnce({ list: api.list, since: new Date(Date.parse(at) - 1000), pageSize: 100, store: async () => "stored" });
    expect(result.pages).toBeLessThanOrEqual(3);
  });
});

describe("startReceiver({ pollEvents })", () => {
  it("polls at start and on its interval; a failed poll is logged and the next one catches up", async () => {
    const lines: string[] = [];
    let calls = 0;
    const event = { id: randomUUID(), type: "sync.running", created_at: new Date().toISOString(), event: { execution_id: randomUUID(), sync_id: "s" } };
    const receiver = await startReceiver({
      recordsSecret: "r",
      log: (line) => lines.push(line),
      pollEvents: {
        intervalSeconds: 0.2,
        list: async () => {
          if (++calls === 1) throw new Error("API unreachable");
          return [event];
        },
      },
    });
    try {
      await waitFor(() => receiver.summary().polledEvents === 1, "the second poll to store the event");
      expect(lines.some((l) => /poll events failed \(next try in 0.2 s\): API unreachable/.test(l))).toBe(true);
      await waitFor(() => calls >= 3, "a third poll");
      expect(receiver.summary()).toMatchObject({ events: 1, polledEvents: 1 });
    } finally {
      await receiver.stop();
    }
    const after = calls;
    await new Promise((r) => setTimeout(r, 500));
    expect(calls).toBe(after); // stopped means stopped
  });
});

describe("the fallback against the emulator", () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(async () => {
    await world?.stop();
  });

  it("stores exactly the events whose webhook delivery failed, once, and takes the late retry as a duplicate", async () => {
    // A run whose events arrive by webhook.
    expect((await world.runSync()).code).toBe(0);
    await waitFor(() => world.receiver.summary().events === 2, "the first run's two events by webhook");

    // The receiver's secret no longer matches: the next run's events are refused (401).
    world.setEventsSecret("rotated-but-not-in-polytomic");
    const runFailedWebhook = await world.runSync();
    expect(runFailedWebhook.code).toBe(0);
    await waitFor(() => (world.receiver.summary().rejected.bad_signature ?? 0) >= 2, "both events refused");
    expect(world.receiver.summary().events).toBe(2);

    const lister = clientEventLister(world.emulator.url, DEFAULT_API_KEY);
    const result = await world.receiver.pollEvents(lister);
    expect(result).toMatchObject({ listed: 4, stored: 2, duplicates: 2, invalid: 0 });
    const polled = world.events().filter((e) => e.source === "poll");
    expect(polled.map((e) => e.type).sort()).toEqual(["sync.completed", "sync.running"]);
    expect(new Set(polled.map((e) => e.event?.execution_id)).size).toBe(1);
    expect(world.receiver.summary()).toMatchObject({ events: 4, polledEvents: 2 });

    // The secrets agree again: the emulator's next retry gets through and is a duplicate.
    expect(world.receiver.summary().duplicateEvents).toBe(0);
    world.setEventsSecret(EVENTS_SECRET);
    await waitFor(() => world.receiver.summary().duplicateEvents >= 2, "the webhook's retries", 20_000);
    expect(world.receiver.summary().events).toBe(4);

    const lines = world.events();
    expect(lines).toHaveLength(4);
    expect(new Set(lines.map((e) => e.key)).size).toBe(4);
    // A second poll finds nothing new.
    expect(await world.receiver.pollEvents(lister)).toMatchObject({ stored: 0, duplicates: 4 });
  });

  it("runs from the CLI with --poll-events, the key from POLYTOMIC_API_KEY and never printed", async () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "receiver-cli-"));
    const script = path.resolve(__dirname, "../../dist/bin/polytomic-receiver.js");
    const child = spawn(process.execPath, [script, "--port", "0", "--out", outDir, "--poll-events", world.emulator.url, "--poll-interval", "1"], {
      env: { ...process.env, RECEIVER_RECORDS_SECRET: "cli-records-secret", POLYTOMIC_API_KEY: DEFAULT_API_KEY },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    try {
      await waitFor(() => /stored 4/.test(output), `a poll that stores the four events (output: ${output})`, 20_000);
      await waitFor(() => /poll events since .*stored 0, already stored 4/.test(output), "a second poll with nothing new", 20_000);
      const lines = fs.readFileSync(path.join(outDir, "events.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
      expect(lines).toHaveLength(4);
      expect(lines.every((l) => l.source === "poll")).toBe(true);
      expect(output).not.toContain(DEFAULT_API_KEY);
    } finally {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
      fs.rmSync(outDir, { recursive: true, force: true });
    }
    expect(output).not.toContain(DEFAULT_API_KEY);
  });

  it("refuses --poll-events without POLYTOMIC_API_KEY, saying where the key goes", async () => {
    const script = path.resolve(__dirname, "../../dist/bin/polytomic-receiver.js");
    const env = { ...process.env, RECEIVER_RECORDS_SECRET: `s-${randomUUID()}` };
    delete env.POLYTOMIC_API_KEY;
    const child = spawn(process.execPath, [script, "--port", "0", "--poll-events", world.emulator.url], { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stderr.on("data", (chunk) => (output += chunk));
    const code = await new Promise((r) => child.once("exit", r));
    // A usage problem (the command's exit code for bad arguments), on one line.
    expect(code).toBe(2);
    expect(output.trim().split("\n")).toHaveLength(1);
    expect(output).toMatch(/POLYTOMIC_API_KEY/);
  });
});
