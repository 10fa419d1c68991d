/**
 * `POST /events`: the organization's event webhook. `Polytomic-Signature` is the hex
 * HMAC-SHA256 of the body; it covers the body only, so replays are stopped by deduplication.
 *
 * Order: signature header (before reading), the body under a small limit (events are a few KiB;
 * checked while inflating, so a gzip bomb costs at most that), the HMAC, and only then UTF-8,
 * JSON and shape. A validly signed object with a string `type` is stored, in either documented
 * shape, with or without an id, of a known type or not: Polytomic does not send it again.
 */
import type { IncomingMessage } from "node:http";
import { events } from "../contract";
import { parseSignatureHeader, resolveSecret, verifySignature } from "./auth";
import { readBody } from "./body";
import type { RouteContext } from "./context";
import { normalizeEvent } from "./eventShape";
import { busy, describeIssues, Outcome, parseJson, quote, reject } from "./outcome";

export async function receiveEvent(req: IncomingMessage, ctx: RouteContext): Promise<Outcome> {
  const header = parseSignatureHeader(req.headers[events.DELIVERY_HEADERS.signature] as string | undefined);
  if (!header.ok) return reject(401, header.reason, "missing or malformed Polytomic-Signature: expected 64 hex digits (HMAC-SHA256 of the body)", true);

  // The body must be read before the signature can be checked: a slot bounds how many at once.
  const release = ctx.eventsSlots.tryAcquire();
  if (!release) return busy("events");
  try {
    return await receiveSigned(req, header.digest, ctx);
  } finally {
    release();
  }
}

async function receiveSigned(req: IncomingMessage, digest: Buffer, ctx: RouteContext): Promise<Outcome> {
  const body = await readBody(req, ctx.maxEventBytes, { timeoutMs: ctx.eventBodyTimeoutMs });
  if (!body.ok) return reject(body.status, body.reason, body.message, true);

  // The MAC is over the JSON bytes; for a compressed body the bytes as sent are accepted too.
  const candidates = body.wire === body.decoded ? [body.decoded] : [body.decoded, body.wire];
  const verified = verifySignature(digest, resolveSecret(ctx.eventsSecret), candidates);
  if (!verified.ok) {
    return reject(401, verified.reason, "signature does not match: sign the raw request body with the webhook secret (HMAC-SHA256, hex)");
  }

  const json = parseJson(body.decoded);
  if (!json.ok) return json.outcome;

  const normalized = normalizeEvent(json.value);
  if (!normalized.ok) {
    return reject(400, "invalid_event", `expected an event object with a string "type": ${describeIssues(normalized.issues)}`);
  }
  const event = normalized.event;
  const what = `type=${quote(event.type)}${event.id ? ` id=${quote(event.id)}` : ""}`;

  let stored;
  try {
    stored = await ctx.events.store(event, "webhook");
  } catch {
    return reject(500, "handler_failed", "the event could not be stored");
  }
  if (stored === "duplicate") return { status: 200, body: { ok: true, duplicate: true }, detail: `${what} duplicate` };
  return { status: 200, body: { ok: true }, detail: what };
}
