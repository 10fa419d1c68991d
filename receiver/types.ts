/**
 * Public types of the receiver: options, handlers, the running receiver and its summary.
 */
import type { events } from "../contract";

/** A secret, or a function that returns the current one (read on every request: rotation, late binding). */
export type SecretSource = string | (() => string | undefined);

/** The new (not yet seen) records of one `sync.records` delivery. */
export interface RecordsBatch {
  syncId: string;
  syncName: string;
  records: events.DeliveredRecord[];
  /** The sync's `metadata` exactly as delivered (may be absent). */
  metadata: unknown;
  /** Records of this delivery dropped as already seen. */
  duplicates: number;
  receivedAt: Date;
}

/** Called once per delivery that holds at least one new record. A throw answers 500. */
export type RecordsHandler = (batch: RecordsBatch) => void | Promise<void>;

/** Called once per new, verified org event. A throw answers 500. */
export type EventHandler = (event: events.Event, receivedAt: Date) => void | Promise<void>;

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
  /** Limit on the body, applied to the bytes on the wire and again to the decompressed bytes. Default 10 MiB. */
  maxBodyBytes?: number;
  /**
   * How long a record hash or event id is remembered for deduplication, in seconds. Default 24 h;
   * never shorter than the timestamp tolerance (a replay inside the window must be caught).
   */
  dedupeWindowSeconds?: number;
  /** Folder for `records.jsonl` and `events.jsonl` (created). Default: memory only. */
  outDir?: string;
  /** Extra hook for new records (called after the file append when `outDir` is set). */
  onRecords?: RecordsHandler;
  /** Extra hook for new events (called after the file append when `outDir` is set). */
  onEvent?: EventHandler;
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
  /** Accepted `sync.records` deliveries (including ones whose records were all duplicates). */
  deliveries: number;
  /** New records handed on. */
  records: number;
  duplicateRecords: number;
  /** New org events handed on. */
  events: number;
  duplicateEvents: number;
  /** Authenticated requests answered 200 and otherwise ignored (unknown `event` or event `type`). */
  ignored: number;
  rejected: Record<string, number>;
}

export interface Receiver {
  /** Base URL, e.g. `http://127.0.0.1:8788`. */
  url: string;
  recordsUrl: string;
  eventsUrl: string;
  port: number;
  /** Closes the server and every open connection, then waits for pending file writes. */
  stop(): Promise<void>;
  summary(): ReceiverSummary;
}
