/**
 * The receiving end of Polytomic deliveries: `sync.records` from a model sync to a webhook
 * connection (static Bearer secret + timestamp window) and the organization's signed events
 * (HMAC-SHA256 of the body). See README.md for the decisions.
 */
export { startReceiver, DEFAULT_MAX_BODY_BYTES, DEFAULT_TOLERANCE_SECONDS, DEFAULT_DEDUPE_WINDOW_SECONDS } from "./server";
export { signBody } from "./auth";
export type { RecordLine, EventLine } from "./sinks";
export type {
  EventHandler,
  Receiver,
  ReceiverOptions,
  ReceiverSummary,
  RecordsBatch,
  RecordsHandler,
  SecretSource,
} from "./types";
