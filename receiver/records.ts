/**
 * `POST /records`: a model sync's `sync.records` delivery to a webhook connection.
 * Order matters: credentials and freshness are checked from the headers before a byte of the
 * body is read; the body is then read bounded, parsed, validated, and deduplicated by hash.
 */
import type { IncomingMessage } from "node:http";
import { events } from "../contract";
import { checkBearer, resolveSecret } from "./auth";
import { readBody } from "./body";
import type { RouteContext } from "./context";
import { checkFreshness } from "./freshness";
import { describeIssues, isJsonContentType, isObject, Outcome, parseJson, quote, reject } from "./outcome";

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

  if (!isJsonContentType(req.headers["content-type"])) {
    return reject(415, "unsupported_media_type", "Content-Type must be application/json", true);
  }

  const body = await readBody(req, ctx.maxBodyBytes);
  if (!body.ok) return reject(body.status, body.reason, body.message, true);

  const json = parseJson(body.decoded);
  if (!json.ok) return reject(400, "malformed_json", "body is not valid JSON");

  // Forward compatible: an authenticated delivery of an event we do not know is acknowledged.
  if (isObject(json.value) && typeof json.value.event === "string" && json.value.event !== "sync.records") {
    ctx.counters.ignored++;
    return { status: 200, body: { ok: true, ignored: true }, detail: `ignored event=${quote(json.value.event)}` };
  }

  const parsed = events.SyncRecordsDelivery.safeParse(json.value);
  if (!parsed.success) return reject(400, "invalid_delivery", `not a sync.records delivery: ${describeIssues(parsed.error.issues)}`);
  const { id: syncId, name: syncName, records, metadata } = parsed.data.object;

  // Claim each new hash before awaiting the handler, so a concurrent replay is caught too.
  const claimed: string[] = [];
  const fresh: events.DeliveredRecord[] = [];
  for (const record of records) {
    const key = `${syncId}\n${record.hash}`;
    if (ctx.recordsSeen.has(key)) continue;
    ctx.recordsSeen.add(key);
    claimed.push(key);
    fresh.push(record);
  }
  const duplicates = records.length - fresh.length;

  if (fresh.length > 0) {
    try {
      await ctx.deliverRecords({ syncId, syncName, records: fresh, metadata, duplicates, receivedAt: new Date(ctx.now()) });
    } catch {
      // Nothing was kept: forget the claims so the sender's retry is not taken for a duplicate.
      for (const key of claimed) ctx.recordsSeen.delete(key);
      return reject(500, "handler_failed", "the records could not be stored");
    }
  }

  ctx.counters.deliveries++;
  ctx.counters.records += fresh.length;
  ctx.counters.duplicateRecords += duplicates;
  return {
    status: 200,
    body: { ok: true, received: fresh.length, duplicates },
    detail: `sync=${quote(syncId)} records=${records.length} new=${fresh.length} duplicates=${duplicates}`,
  };
}
