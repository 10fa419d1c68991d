/**
 * Organization events (listed by the API, POSTed signed to the org webhook) and the
 * `sync.records` delivery a model sync sends to a webhook connection.
 * Facts: ../shared/reference/polytomic-api.md sections 2.5 and 3.
 */
import { z } from "zod";
import { listEnvelope, Timestamp } from "./common";

export const EVENT_TYPES = [
  "sync.running", "sync.completed", "sync.completed_with_errors", "sync.failed", "sync.canceled",
  "bulk_sync.running", "bulk_sync.completed", "bulk_sync.canceled", "bulk_sync.failed", "bulk_sync.completed_with_error",
] as const;
export const EventType = z.enum(EVENT_TYPES);
export type EventType = z.infer<typeof EventType>;

/**
 * Fields every sync event payload carries. The sync's name is `name` in the Events doc and
 * `sync_name` in the SDK's types: an event carries one of them (the emulator answers either,
 * see its `--answer-form`), and readers accept both.
 */
export const SyncEventBase = z.object({
  execution_id: z.string(),
  organization_id: z.string(),
  sync_id: z.string(),
  name: z.string().optional(),
  sync_name: z.string().optional(),
  target_connection_id: z.string(),
});
/** Links to JSON logs of records (the Events doc's "Record logs"), or null when there are none. */
export const RecordLogLinks = z.array(z.string()).nullable();
export const SyncCompletedPayload = SyncEventBase.extend({
  status: z.string(),
  trigger: z.string().optional(),
  record_count: z.number().int().optional(),
  inserted_count: z.number().int().optional(),
  updated_count: z.number().int().optional(),
  upserted_count: z.number().int().optional(),
  error_count: z.number().int().optional(),
  warning_count: z.number().int().optional(),
  warnings: z.array(z.string()).optional(),
  total_records: RecordLogLinks.optional(),
  inserted_records: RecordLogLinks.optional(),
  updated_records: RecordLogLinks.optional(),
});
export const SyncFailedPayload = SyncEventBase.extend({ error: z.string() });
export const SyncCanceledPayload = SyncEventBase.extend({ status: z.string() });
export const SyncCompletedWithErrorsPayload = SyncEventBase.extend({
  error: z.string(),
  number_of_errors: z.number().int(),
  number_of_warnings: z.number().int(),
});

/** One JSON record log (a `total_records` / `inserted_records` / `updated_records` link). */
export const RecordLog = z.object({ records: z.array(z.object({ hash: z.string(), fields: z.record(z.string(), z.unknown()) })) });
export type RecordLog = z.infer<typeof RecordLog>;

/** An event as listed by `GET /api/events` and as delivered to the org webhook (our choice). */
export const Event = z.object({
  id: z.string(),
  type: EventType,
  organization_id: z.string(),
  created_at: Timestamp,
  event: z.record(z.string(), z.unknown()),
});
export type Event = z.infer<typeof Event>;
export const EventListEnvelope = listEnvelope(Event);

/** Event list query: a time window, not a cursor (`limit` default 10, max 100). */
export const EventListQuery = z.object({
  type: EventType.optional(),
  starting_after: Timestamp.optional(),
  ending_before: Timestamp.optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  organization_id: z.string().optional(),
});

/** One record of a `sync.records` delivery. */
export const DeliveredRecord = z.object({
  hash: z.string(),
  fields: z.record(z.string(), z.unknown()),
});
export type DeliveredRecord = z.infer<typeof DeliveredRecord>;

/** The body of a model sync's POST to a webhook connection's URL. */
export const SyncRecordsDelivery = z.object({
  event: z.literal("sync.records"),
  object: z.object({
    id: z.string(),
    name: z.string(),
    records: z.array(DeliveredRecord),
    metadata: z.unknown().optional(),
  }),
});
export type SyncRecordsDelivery = z.infer<typeof SyncRecordsDelivery>;

/** Delivery headers (lower-case, as Node presents them). */
export const DELIVERY_HEADERS = {
  signature: "polytomic-signature",
  signatureTimestamp: "polytomic-signature-timestamp",
} as const;
