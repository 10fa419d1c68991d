/**
 * The receiver's HTTP server: two POST routes, one log line per request, never a crash on bad
 * input (every request ends in an answer; an unexpected failure is a 500).
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { RouteContext } from "./context";
import { DedupeWindow } from "./dedupe";
import { normalizeEvent } from "./eventShape";
import { EventStore } from "./eventStore";
import { receiveEvent } from "./events";
import { InFlightLimit } from "./limits";
import type { Outcome } from "./outcome";
import { EVENT_RETENTION_MS } from "./poll";
import { EventPoller } from "./poller";
import { receiveRecords } from "./records";
import { openSinks } from "./sinks";
import type { Receiver, ReceiverOptions, ReceiverSummary } from "./types";

export const DEFAULT_TOLERANCE_SECONDS = 300;
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
export const DEFAULT_MAX_EVENT_BYTES = 64 * 1024;
export const DEFAULT_MAX_IN_FLIGHT = { records: 16, events: 32 } as const;
export const DEFAULT_EVENT_BODY_TIMEOUT_MS = 10_000;
export const DEFAULT_RETRY_WINDOW_SECONDS = 600;
export const DEFAULT_EVENTS_DEDUPE_WINDOW_SECONDS = 49 * 60 * 60;
export const DEFAULT_POLL_INTERVAL_SECONDS = 60;

const positive = (name: string, value: number): number => {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`receiver: ${name} must be a positive number`);
  return value;
};

/** Starts the receiver; resolves once it is listening. */
export async function startReceiver(opts: ReceiverOptions): Promise<Receiver> {
  if (!opts.recordsSecret) throw new Error("receiver: recordsSecret is required (the webhook connection's secret)");
  const toleranceSeconds = positive("toleranceSeconds", opts.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS);
  const maxBodyBytes = positive("maxBodyBytes", opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
  const maxEventBytes = positive("maxEventBytes", opts.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES);
  const eventBodyTimeoutMs = positive("eventBodyTimeoutMs", opts.eventBodyTimeoutMs ?? DEFAULT_EVENT_BODY_TIMEOUT_MS);
  const recordsSlots = new InFlightLimit(positive("maxInFlight.records", opts.maxInFlight?.records ?? DEFAULT_MAX_IN_FLIGHT.records));
  const eventsSlots = new InFlightLimit(positive("maxInFlight.events", opts.maxInFlight?.events ?? DEFAULT_MAX_IN_FLIGHT.events));
  const retrySeconds = Math.max(toleranceSeconds, positive("retryWindowSeconds", opts.retryWindowSeconds ?? DEFAULT_RETRY_WINDOW_SECONDS));
  const eventsSeconds = Math.max(
    EVENT_RETENTION_MS / 1000,
    positive("eventsDedupeWindowSeconds", opts.eventsDedupeWindowSeconds ?? DEFAULT_EVENTS_DEDUPE_WINDOW_SECONDS),
  );
  const pollIntervalSeconds = positive("pollEvents.intervalSeconds", opts.pollEvents?.intervalSeconds ?? DEFAULT_POLL_INTERVAL_SECONDS);
  const recordsPath = opts.recordsPath ?? "/records";
  const eventsPath = opts.eventsPath ?? "/events";
  const now = opts.now ?? Date.now;
  const log = opts.log ?? ((line: string) => console.log(`[receiver] ${line}`));

  const counters: ReceiverSummary = {
    deliveries: 0,
    records: 0,
    duplicateDeliveries: 0,
    duplicateRecords: 0,
    events: 0,
    polledEvents: 0,
    duplicateEvents: 0,
    ignored: 0,
    rejected: {},
  };
  const deliveriesSeen = new DedupeWindow(retrySeconds * 1000, now);
  const eventsSeen = new DedupeWindow(eventsSeconds * 1000, now);
  const sinks = await openSinks({ outDir: opts.outDir, onRecords: opts.onRecords, onEvent: opts.onEvent, deliveriesSeen, eventsSeen });
  const eventStore = new EventStore(eventsSeen, (event, source, at) => sinks.deliverEvent(event, source, at), counters, now);
  const ctx: RouteContext = {
    recordsSecret: opts.recordsSecret,
    eventsSecret: opts.eventsSecret,
    toleranceSeconds,
    maxBodyBytes,
    maxEventBytes,
    eventBodyTimeoutMs,
    now,
    counters,
    deliveriesSeen,
    recordsSlots,
    eventsSlots,
    deliverRecords: (batch) => sinks.deliverRecords(batch),
    events: eventStore,
  };

  const routes = new Map<string, (req: http.IncomingMessage) => Promise<Outcome>>([[recordsPath, (req) => receiveRecords(req, ctx)]]);
  if (opts.eventsSecret) routes.set(eventsPath, (req) => receiveEvent(req, ctx));

  async function route(req: http.IncomingMessage): Promise<Outcome> {
    const pathname = (req.url ?? "/").split("?")[0];
    if (pathname === "/healthz" && req.method === "GET") return { status: 200, body: { ok: true } };
    const handler = routes.get(pathname);
    if (!handler) return { status: 404, body: { error: "not_found", message: "no such route" }, closeConnection: true };
    if (req.method !== "POST") return { status: 405, body: { error: "method_not_allowed", message: "use POST" }, closeConnection: true };
    try {
      const outcome = await handler(req);
      if (outcome.reason) counters.rejected[outcome.reason] = (counters.rejected[outcome.reason] ?? 0) + 1;
      return outcome;
    } catch {
      counters.rejected.internal_error = (counters.rejected.internal_error ?? 0) + 1;
      return { status: 500, body: { error: "internal_error", message: "the receiver failed" }, reason: "internal_error", closeConnection: true };
    }
  }

  const server = http.createServer((req, res) => {
    const started = process.hrtime.bigint();
    void route(req).then((outcome) => {
      const text = JSON.stringify(outcome.body);
      res.writeHead(outcome.status, {
        "Content-Type": "application/json",
        "Content-Length": Buffer.byteLength(text),
        ...(outcome.closeConnection && !req.complete ? { Connection: "close" } : {}),
        ...(outcome.status === 405 ? { Allow: "POST" } : {}),
        ...(outcome.retryAfterSeconds ? { "Retry-After": String(outcome.retryAfterSeconds) } : {}),
      });
      res.end(text);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const words = [req.method, (req.url ?? "/").split("?")[0], outcome.status, `${ms.toFixed(1)}ms`];
      if (outcome.reason) words.push(`reason=${outcome.reason}`);
      if (outcome.detail) words.push(outcome.detail);
      log(words.join(" "));
    });
  });
  // A slow sender must not hold a connection forever (slow-loris); Polytomic sends whole batches.
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;

  // The polling fallback shares the webhook's store: an event arriving both ways is stored once.
  const poller = new EventPoller({
    store: async (value) => {
      const normalized = normalizeEvent(value);
      return normalized.ok ? eventStore.store(normalized.event, "poll") : "invalid";
    },
    now,
    log,
    list: opts.pollEvents?.list,
  });
  if (opts.pollEvents) poller.start(pollIntervalSeconds);

  let stopping: Promise<void> | undefined;
  return {
    url,
    port: address.port,
    recordsUrl: `${url}${recordsPath}`,
    eventsUrl: `${url}${eventsPath}`,
    summary: () => ({ ...counters, rejected: { ...counters.rejected } }),
    pollEvents: (list) => poller.poll(list),
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })
        .then(() => poller.stop())
        .then(() => sinks.flush());
      return stopping;
    },
  };
}
