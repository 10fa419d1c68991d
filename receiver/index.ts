/**
 * The receiving end of Polytomic deliveries: `sync.records` from a model sync to a webhook
 * connection (static Bearer secret + timestamp window), the organization's signed events
 * (HMAC-SHA256 of the body), and the `GET /api/events` polling fallback for events the
 * webhook missed. See README.md for the decisions.
 */
export {
  startReceiver,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_EVENT_BYTES,
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_TOLERANCE_SECONDS,
  DEFAULT_RETRY_WINDOW_SECONDS,
  DEFAULT_EVENTS_DEDUPE_WINDOW_SECONDS,
} from "./server";
export { signBody } from "./auth";
export { eventKey, normalizeEvent } from "./eventShape";
export { clientEventLister, pollEventsOnce, EVENT_RETENTION_MS } from "./poll";
export type { RecordLine, EventLine } from "./sinks";
export type {
  EventHandler,
  EventLister,
  EventSource,
  PollResult,
  Receiver,
  ReceiverOptions,
  ReceiverSummary,
  RecordsBatch,
  RecordsHandler,
  SecretSource,
  StoredEvent,
} from "./types";
