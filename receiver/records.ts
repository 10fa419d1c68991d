/**
 * `POST /records`: a model sync's `sync.records` delivery to a webhook connection.
 * Order matters: credentials and freshness are checked from the headers before a byte of the
 * body is read; the body is then read bounded, parsed, validated, and deduplicated by hash.
 */
import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { events } from "../contract";
import { checkBearer, resolveSecret } from "./auth";
import { readBody } from "./body";
import type { RouteContext } from "./context";
import { checkFreshness } from "./freshness";
import { busy, describeIssues, isJsonContentType, isObject, Outcome, parseJson, quote, reject } from "./outcome";

const FRESHNESS_MESSAGES = {
  missing_timestamp: "Polytomic-Signature-Timestamp header is required",
  malformed_timestamp: "Polytomic-Signature-Timestamp must be an RFC 3339 date-time",
  stale_timestamp: "Polytomic-Signature-Timestamp is older than the allowed tolerance (check the clocks)",
  future_timestamp: "Polytomic-Signature-Timestamp is further in the future than the allowed tolerance (check the clocks)",
} as const;

export async function receiveRecords(req: IncomingMessage, ctx: RouteContext): Promise<Outcome> {
  const auth = checkBearer(req.headers.authorization, resolveSecret(ctx.recordsSecret));
  if (!auth.ok) return reject(401, auth.reason, "missing or wrong bearer secret", true);

  const freshness = checkFreshness(
    req.headers[events.DELIVERY_HEADERS.signatureTimestamp] as string | undefined,
    ctx.now(),
    ctx.toleranceSeconds,
  );
  if (!freshness.ok) return reject(freshness.status, freshness.reason, FRESHNESS_MESSAGES[freshness.reason], true);

  // Polytomic: "delivers its webhooks payloads as json only. This header will always be present."
  const contentType = req.headers["content-type"];
  if (!isJsonContentType(contentType)) {
    const got = contentType ? `got ${quote(contentType)}` : "the header is missing";
    return reject(415, "unsupported_media_type", `Content-Type must be application/json (${got})`, true);
  }

  // Only now, with the sender authenticated, does the request take one of the route's slots.
  const release = ctx.recordsSlots.tryAcquire();
  if (!release) return busy("records");
  try {
    return await receiveBody(req, ctx, freshness.sentAt);
  } finally {
    release();
  }
}

/**
 * What identifies a delivery: SHA-256 over the instant in `Polytomic-Signature-Timestamp` ("when
 * the request was created") and the decoded body. Decoded, so a retry compressed differently is
 * still the same delivery; the instant parsed, so `Z` and `+00:00` spellings agree.
 */
export function deliveryKey(sentAtMs: number, decodedBody: Buffer): string {
  return createHash("sha256").update(`${sentAtMs}\n`).update(decodedBody).digest("hex");
}

async function receiveBody(req: IncomingMessage, ctx: RouteContext, sentAt: number): Promise<Outcome> {
  const body = await readBody(req, ctx.maxBodyBytes);
  if (!body.ok) return reject(body.status, body.reason, body.message, true);

  const json = parseJson(body.decoded);
  if (!json.ok) return json.outcome;

  // Forward compatible: an authenticated delivery of an event we do not know is acknowledged.
  if (isObject(json.value) && typeof json.value.event === "string" && json.value.event !== "sync.records") {
    ctx.counters.ignored++;
    return { status: 200, body: { ok: true, ignored: true }, detail: `ignored event=${quote(json.value.event)}` };
  }

  const parsed = events.SyncRecordsDelivery.safeParse(json.value);
  if (!parsed.success) return reject(400, "invalid_delivery", `not a sync.records delivery: ${describeIssues(parsed.error.issues)}`);
  const { id: syncId, name: syncName, records, metadata } = parsed.data.object;

  // A retry is the same request again: the same body created at the same time. A new delivery
  // is stored whole, even when a record in it equals one stored before (A -> B -> A is two
  // changes, and the hash of A repeats), and even when its whole body equals an earlier one's
  // (a one-record batch of A is byte for byte the same in the first and the third run).
  const delivery = deliveryKey(sentAt, body.decoded);
  if (ctx.deliveriesSeen.has(delivery)) {
    ctx.counters.duplicateDeliveries++;
    ctx.counters.duplicateRecords += records.length;
    return {
      status: 200,
      body: { ok: true, duplicate: true, received: 0, duplicates: records.length },
      detail: `sync=${quote(syncId)} records=${records.length} retried delivery, not stored again`,
    };
  }
  // Claimed before the handler is awaited, so a concurrent retry is caught too.
  ctx.deliveriesSeen.add(delivery);
  if (records.length > 0) {
    try {
      await ctx.deliverRecords({ syncId, syncName, records, metadata, delivery, receivedAt: new Date(ctx.now()) });
    } catch {
      // Nothing was kept: forget the claim so the sender's retry is taken as new.
      ctx.deliveriesSeen.delete(delivery);
      return reject(500, "handler_failed", "the records could not be stored");
    }
  }

  ctx.counters.deliveries++;
  ctx.counters.records += records.length;
  return {
    status: 200,
    body: { ok: true, received: records.length, duplicates: 0 },
    detail: `sync=${quote(syncId)} records=${records.length}`,
  };
}
