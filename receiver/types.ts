/**
 * Public types of the receiver: options, handlers, the running receiver and its summary.
 */
import type { events } from "../contract";
import type { StoredEvent } from "./eventShape";

export type { StoredEvent } from "./eventShape";

/** A secret, or a function that returns the current one (read on every request: rotation, late binding). */
export type SecretSource = string | (() => string | undefined);

/** How an event reached us: its webhook delivery, or the `GET /api/events` fallback. */
export type EventSource = "webhook" | "poll";

/** The records of one new `sync.records` delivery: all of them, whatever was stored before. */
export interface RecordsBatch {
  syncId: string;
  syncName: string;
  records: events.DeliveredRecord[];
  /** The sync's `metadata` exactly as delivered (may be absent). */
  metadata: unknown;
  /** SHA-256 (hex) of the delivery's timestamp and decoded body: the key a retried delivery is recognized by. */
  delivery: string;
  receivedAt: Date;
}

/** Called once per new delivery that holds at least one record. A throw answers 500. */
export type RecordsHandler = (batch: RecordsBatch) => void | Promise<void>;

/** Called once per new event, from the webhook or the poller. A throw answers 500 (or fails the poll). */
export type EventHandler = (event: StoredEvent, receivedAt: Date, source: EventSource) => void | Promise<void>;

/** One page of `GET /api/events`: newest first, bounds exclusive (the client's `events.list`). */
export type EventLister = (query: { starting_after?: string; ending_before?: string; limit?: number }) => Promise<readonly unknown[]>;

export interface PollResult {
  /** Events the API listed in the window. */
  listed: number;
  /** Of those, stored now (they had not arrived by webhook, or not yet). */
  stored: number;
  /** Of those, already stored (by webhook or an earlier poll). */
  duplicates: number;
  /** Of those, not an event at all (no `type`): counted, not stored. */
  invalid: number;
  pages: number;
  /** The window's lower bound that was asked for. */
  since: string;
}

export interface ReceiverOptions {
  /** Port to listen on. Default 0: a free port (read it from `url`). */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /** The webhook connection's secret, sent by Polytomic as `Authorization: Bearer <secret>`. Required. */
  recordsSecret: SecretSource;
  /** The org webhook's HMAC secret. Without it the events route answers 404. */
  eventsSecret?: SecretSource;
  /**
   * How far `Polytomic-Signature-Timestamp` may be from our clock, in both directions, in seconds.
   * Default 300. Must be positive: a tolerance of 0 is refused rather than read as "no check".
   */
  toleranceSeconds?: number;
  /** Limit on a records body, applied to the bytes on the wire and again after decompression. Default 10 MiB. */
  maxBodyBytes?: number;
  /**
   * Limit on an event body, on the wire and after decompression (checked while inflating).
   * Events are a few KiB; the body is read before its signature can be checked, so this is
   * what one unauthenticated request can cost. Default 64 KiB.
   */
  maxEventBytes?: number;
  /**
   * Requests in flight per route; past it the answer is 503 with `Retry-After`, before the body
   * is read. Records count only once their Bearer is verified (a flood without it cannot crowd
   * out the sender). Defaults: records 16, events 32.
   */
  maxInFlight?: { records?: number; events?: number };
  /** How long an event body may take to arrive, in ms. Default 10,000. */
  eventBodyTimeoutMs?: number;
  /**
   * How long a records delivery is remembered, in seconds: the same request again within it (the
   * same decoded body with the same `Polytomic-Signature-Timestamp`) is a retry and is not
   * stored twice. Default 600; never shorter than the timestamp tolerance (a replay inside the
   * tolerance must be caught).
   */
  retryWindowSeconds?: number;
  /**
   * How long an event key is remembered, in seconds. Default 49 h; never shorter than the API's
   * 48-hour event retention, so the poller never takes an event it already stored for new.
   */
  eventsDedupeWindowSeconds?: number;
  /** Folder for `records.jsonl` and `events.jsonl` (created). Default: memory only. */
  outDir?: string;
  /** Extra hook for new records (called after the file append when `outDir` is set). */
  onRecords?: RecordsHandler;
  /** Extra hook for new events (called after the file append when `outDir` is set). */
  onEvent?: EventHandler;
  /**
   * The at-most-once fallback: list `GET /api/events` at start and then every `intervalSeconds`
   * (default 60), storing the events that did not arrive by webhook.
   */
  pollEvents?: { list: EventLister; intervalSeconds?: number };
  /** Route of `sync.records` deliveries. Default `/records`. */
  recordsPath?: string;
  /** Route of org events. Default `/events`. */
  eventsPath?: string;
  /** One line per request, never holding a secret. Default: `console.log` with a `[receiver]` prefix. */
  log?: (line: string) => void;
  /** Clock in milliseconds, for tests. Default `Date.now`. */
  now?: () => number;
}

/** Counters since start. `rejected` is keyed by reason (e.g. `bad_bearer`, `stale_timestamp`). */
export interface ReceiverSummary {
  /** Accepted new `sync.records` deliveries. */
  deliveries: number;
  /** Records stored (every record of every new delivery). */
  records: number;
  /** Retried deliveries (same timestamp and body) not stored again. */
  duplicateDeliveries: number;
  /** Records in those retried deliveries. */
  duplicateRecords: number;
  /** Events stored (webhook and poll). */
  events: number;
  /** Of those, stored by the poller. */
  polledEvents: number;
  /** Webhook deliveries of an event already stored (a retry, or one the poller stored first). */
  duplicateEvents: number;
  /** Authenticated records requests answered 200 and otherwise ignored (an unknown `event`). */
  ignored: number;
  rejected: Record<string, number>;
}

export interface Receiver {
  /** Base URL, e.g. `http://127.0.0.1:8788`. */
  url: string;
  recordsUrl: string;
  eventsUrl: string;
  port: number;
  /**
   * Lists `GET /api/events` (with `list`, else the configured poller's) and stores the events not
   * stored yet. The first poll covers the API's 48-hour retention; later ones start a little
   * before the previous poll started.
   */
  pollEvents(list?: EventLister): Promise<PollResult>;
  /** Stops polling, closes the server and every open connection, then waits for pending writes. */
  stop(): Promise<void>;
  summary(): ReceiverSummary;
}
