/**
 * `POST /events`: the organization's event webhook. `Polytomic-Signature` is the hex
 * HMAC-SHA256 of the body; it covers the body only (no id or time outside it), so replays are
 * stopped by deduplicating on the event id, not by the signature.
 */
import type { IncomingMessage } from "node:http";
import { events } from "../contract";
import { parseSignatureHeader, resolveSecret, verifySignature } from "./auth";
import { readBody } from "./body";
import type { RouteContext } from "./context";
import { describeIssues, isObject, Outcome, parseJson, quote, reject } from "./outcome";

const KNOWN_TYPES: ReadonlySet<string> = new Set(events.EVENT_TYPES);

export async function receiveEvent(req: IncomingMessage, ctx: RouteContext): Promise<Outcome> {
  const header = parseSignatureHeader(req.headers[events.DELIVERY_HEADERS.signature] as string | undefined);
  if (!header.ok) return reject(401, header.reason, "missing or malformed Polytomic-Signature", true);

  const body = await readBody(req, ctx.maxBodyBytes);
  if (!body.ok) return reject(body.status, body.reason, body.message, true);

  // The MAC is over the JSON bytes; for a compressed body the bytes as sent are accepted too.
  const candidates = body.wire === body.decoded ? [body.decoded] : [body.decoded, body.wire];
  const verified = verifySignature(header.digest, resolveSecret(ctx.eventsSecret), candidates);
  if (!verified.ok) {
    return reject(401, verified.reason, "signature does not match: sign the raw request body with the webhook secret (HMAC-SHA256, hex)");
  }

  const json = parseJson(body.decoded);
  if (!json.ok) return reject(400, "malformed_json", "body is not valid JSON");

  if (isObject(json.value) && typeof json.value.type === "string" && !KNOWN_TYPES.has(json.value.type)) {
    ctx.counters.ignored++;
    return { status: 200, body: { ok: true, ignored: true }, detail: `ignored type=${quote(json.value.type)}` };
  }

  const parsed = events.Event.safeParse(json.value);
  if (!parsed.success) return reject(400, "invalid_event", `not an event: ${describeIssues(parsed.error.issues)}`);
  const event = parsed.data;

  if (ctx.eventsSeen.has(event.id)) {
    ctx.counters.duplicateEvents++;
    return { status: 200, body: { ok: true, duplicate: true }, detail: `event=${quote(event.id)} type=${event.type} duplicate` };
  }
  ctx.eventsSeen.add(event.id);
  try {
    await ctx.deliverEvent(event, new Date(ctx.now()));
  } catch {
    ctx.eventsSeen.delete(event.id);
    return reject(500, "handler_failed", "the event could not be stored");
  }
  ctx.counters.events++;
  return { status: 200, body: { ok: true }, detail: `event=${quote(event.id)} type=${event.type}` };
}
