/**
 * The receiver's HTTP server: two POST routes, one log line per request, never a crash on bad
 * input (every request ends in an answer; an unexpected failure is a 500).
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { RouteContext } from "./context";
import { DedupeWindow } from "./dedupe";
import { receiveEvent } from "./events";
import type { Outcome } from "./outcome";
import { receiveRecords } from "./records";
import { openSinks } from "./sinks";
import type { Receiver, ReceiverOptions, ReceiverSummary } from "./types";

export const DEFAULT_TOLERANCE_SECONDS = 300;
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
export const DEFAULT_DEDUPE_WINDOW_SECONDS = 24 * 60 * 60;

const positive = (name: string, value: number): number => {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`receiver: ${name} must be a positive number`);
  return value;
};

/** Starts the receiver; resolves once it is listening. */
export async function startReceiver(opts: ReceiverOptions): Promise<Receiver> {
  if (!opts.recordsSecret) throw new Error("receiver: recordsSecret is required (the webhook connection's secret)");
  const toleranceSeconds = positive("toleranceSeconds", opts.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS);
  const maxBodyBytes = positive("maxBodyBytes", opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
  const dedupeSeconds = Math.max(toleranceSeconds, opts.dedupeWindowSeconds ?? DEFAULT_DEDUPE_WINDOW_SECONDS);
  const recordsPath = opts.recordsPath ?? "/records";
  const eventsPath = opts.eventsPath ?? "/events";
  const now = opts.now ?? Date.now;
  const log = opts.log ?? ((line: string) => console.log(`[receiver] ${line}`));

  const counters: ReceiverSummary = {
    deliveries: 0,
    records: 0,
    duplicateRecords: 0,
    events: 0,
    duplicateEvents: 0,
    ignored: 0,
    rejected: {},
  };
  const recordsSeen = new DedupeWindow(dedupeSeconds * 1000, now);
  const eventsSeen = new DedupeWindow(dedupeSeconds * 1000, now);
  const sinks = await openSinks({ outDir: opts.outDir, onRecords: opts.onRecords, onEvent: opts.onEvent, recordsSeen, eventsSeen });
  const ctx: RouteContext = {
    recordsSecret: opts.recordsSecret,
    eventsSecret: opts.eventsSecret,
    toleranceSeconds,
    maxBodyBytes,
    now,
    counters,
    recordsSeen,
    eventsSeen,
    deliverRecords: (batch) => sinks.deliverRecords(batch),
    deliverEvent: (event, at) => sinks.deliverEvent(event, at),
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

  let stopping: Promise<void> | undefined;
  return {
    url,
    port: address.port,
    recordsUrl: `${url}${recordsPath}`,
    eventsUrl: `${url}${eventsPath}`,
    summary: () => ({ ...counters, rejected: { ...counters.rejected } }),
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => sinks.flush());
      return stopping;
    },
  };
}
