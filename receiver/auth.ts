/**
 * Credential checks, all constant-time. Results are values, not exceptions: the caller turns a
 * failed check into a 401 without anything secret reaching a log or a response.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export type Check = { ok: true } | { ok: false; reason: string };

const sha256 = (value: string | Buffer): Buffer => createHash("sha256").update(value).digest();

/**
 * Compares two strings in time that depends on neither their content nor their length:
 * both are hashed first, so `timingSafeEqual` always sees two 32-byte buffers.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}

const BEARER = /^Bearer +(\S+) *$/i;

/** Checks `Authorization: Bearer <secret>` (the webhook connection's static secret). */
export function checkBearer(header: string | undefined, secret: string | undefined): Check {
  if (!secret) return { ok: false, reason: "no_secret_configured" };
  if (!header) return { ok: false, reason: "missing_bearer" };
  const match = BEARER.exec(header);
  if (!match) return { ok: false, reason: "malformed_authorization" };
  return constantTimeEqual(match[1], secret) ? { ok: true } : { ok: false, reason: "bad_bearer" };
}

/** Lower-case hex HMAC-SHA256 of `body`: what Polytomic sends as `Polytomic-Signature`. */
export function signBody(secret: string, body: string | Buffer): string {
  return createHmac("sha256", secret).update(body).digest("hex");
}

const HEX_SHA256 = /^[0-9a-f]{64}$/i;

export type SignatureHeader = { ok: true; digest: Buffer } | { ok: false; reason: string };

/** Reads `Polytomic-Signature` (64 hex digits) before any body is read. */
export function parseSignatureHeader(header: string | undefined): SignatureHeader {
  if (!header) return { ok: false, reason: "missing_signature" };
  const given = header.trim();
  if (!HEX_SHA256.test(given)) return { ok: false, reason: "malformed_signature" };
  return { ok: true, digest: Buffer.from(given, "hex") };
}

/**
 * Checks a signature digest against the HMAC of each candidate body (the exact bytes, never
 * re-serialized JSON). Both sides are 32-byte digests, so `timingSafeEqual` never throws.
 */
export function verifySignature(digest: Buffer, secret: string | undefined, bodies: readonly Buffer[]): Check {
  if (!secret) return { ok: false, reason: "no_secret_configured" };
  // Evaluate every candidate: how many matched must not show in the timing.
  let matched = false;
  for (const body of bodies) {
    const expected = createHmac("sha256", secret).update(body).digest();
    matched = timingSafeEqual(expected, digest) || matched;
  }
  return matched ? { ok: true } : { ok: false, reason: "bad_signature" };
}

/** Reads a secret that may be given as a function (rotation, a value known only later). */
export function resolveSecret(source: string | (() => string | undefined) | undefined): string | undefined {
  const value = typeof source === "function" ? source() : source;
  return value ? value : undefined;
}
