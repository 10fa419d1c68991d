/**
 * What the routes share: resolved options, counters, dedupe windows, in-flight caps and where
 * new data goes.
 */
import type { DedupeWindow } from "./dedupe";
import type { EventStore } from "./eventStore";
import type { InFlightLimit } from "./limits";
import type { RecordsBatch, ReceiverSummary, SecretSource } from "./types";

export interface RouteContext {
  recordsSecret: SecretSource;
  eventsSecret?: SecretSource;
  toleranceSeconds: number;
  maxBodyBytes: number;
  maxEventBytes: number;
  eventBodyTimeoutMs: number;
  now: () => number;
  counters: ReceiverSummary;
  /** Digests of records bodies stored within the retry window. */
  deliveriesSeen: DedupeWindow;
  recordsSlots: InFlightLimit;
  eventsSlots: InFlightLimit;
  deliverRecords: (batch: RecordsBatch) => Promise<void>;
  events: EventStore;
}
