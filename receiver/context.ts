/**
 * What the routes share: resolved options, counters, dedupe windows and where new data goes.
 */
import type { events } from "../contract";
import type { DedupeWindow } from "./dedupe";
import type { RecordsBatch, ReceiverSummary, SecretSource } from "./types";

export interface RouteContext {
  recordsSecret: SecretSource;
  eventsSecret?: SecretSource;
  toleranceSeconds: number;
  maxBodyBytes: number;
  now: () => number;
  counters: ReceiverSummary;
  recordsSeen: DedupeWindow;
  eventsSeen: DedupeWindow;
  deliverRecords: (batch: RecordsBatch) => Promise<void>;
  deliverEvent: (event: events.Event, receivedAt: Date) => Promise<void>;
}
