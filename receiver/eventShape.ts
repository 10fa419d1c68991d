/**
 * What an organization event may look like when it reaches us, and the one key it is
 * deduplicated by, whichever way it came (webhook or the `GET /api/events` fallback).
 *
 * Two shapes are documented: the Events doc's `{"type": ..., "event": {...}}` (no id, no
 * timestamp, the sync's name in `event.name`) and the SDK's `{id, type, organization_id,
 * created_at, event}` (`event.sync_name`). Both are accepted, as is anything in between: every
 * top-level field but `type` is optional. The contract's `Event` (contract/events.ts) is the API
 * list's shape; this one is deliberately looser, since losing a validly signed event to a schema
 * is worse than storing one field more.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { canonicalJson, events } from "../contract";

const Text = z.string().min(1);

/** An incoming event: a JSON object with a string `type`; other top-level fields are kept. */
export const IncomingEvent = z.looseObject({
  type: Text,
  event: z.record(z.string(), z.unknown()).nullish(),
  id: z.string().nullish(),
  organization_id: z.string().nullish(),
  created_at: z.string().nullish(),
});

/** An event as the receiver stores it: one shape, whichever shape arrived. */
export interface StoredEvent {
  /** The dedupe key (see `eventKey`). */
  key: string;
  type: string;
  /** Whether `type` is one of the documented event types. Unknown types are stored too. */
  known_type: boolean;
  id: string | null;
  organization_id: string | null;
  created_at: string | null;
  /** The payload exactly as delivered (`null` when the event carried none). */
  event: Record<string, unknown> | null;
  /** Top-level fields beyond the documented ones, kept rather than dropped. */
  extra?: Record<string, unknown>;
}

const KNOWN_TYPES: ReadonlySet<string> = new Set(events.EVENT_TYPES);
const DOCUMENTED = new Set(["type", "event", "id", "organization_id", "created_at"]);

const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);

/**
 * The dedupe key of an event. Sync and bulk-sync events name their run: type + sync id +
 * execution id identify the event in both shapes (a run emits each type once), so a doc-shaped
 * webhook delivery, an SDK-shaped one and the same event listed by the API all get one key.
 * Without an execution id: the event id; without that either: a digest of the whole event.
 */
export function eventKey(value: z.infer<typeof IncomingEvent>): string {
  const payload = value.event ?? {};
  const execution = text(payload.execution_id);
  if (execution) return `run\n${value.type}\n${text(payload.sync_id) ?? ""}\n${execution}`;
  const id = text(value.id);
  if (id) return `id\n${id}`;
  return `sha256\n${createHash("sha256").update(canonicalJson(value)).digest("hex")}`;
}

export type Normalized = { ok: true; event: StoredEvent } | { ok: false; issues: z.core.$ZodIssue[] };

/** Checks an incoming event's shape and brings it to the stored form. */
export function normalizeEvent(value: unknown): Normalized {
  const parsed = IncomingEvent.safeParse(value);
  if (!parsed.success) return { ok: false, issues: parsed.error.issues };
  const e = parsed.data;
  const payload = e.event ?? null;
  const extraEntries = Object.entries(e).filter(([k]) => !DOCUMENTED.has(k));
  return {
    ok: true,
    event: {
      key: eventKey(e),
      type: e.type,
      known_type: KNOWN_TYPES.has(e.type),
      id: text(e.id) ?? null,
      // The doc's shape carries the organization only inside the payload.
      organization_id: text(e.organization_id) ?? text(payload?.organization_id) ?? null,
      created_at: text(e.created_at) ?? null,
      event: payload,
      ...(extraEntries.length > 0 ? { extra: Object.fromEntries(extraEntries) } : {}),
    },
  };
}
