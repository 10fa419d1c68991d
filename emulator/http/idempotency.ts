/**
 * `Idempotency-Key` on POST/PUT/PATCH, as the docs describe it: the first request with a key
 * decides the outcome (errors included) and later requests with that key get the same status
 * and body back for at least 24 hours; while the first is in flight, the key is locked (409).
 *
 * Our choices where the docs are silent: keys are scoped per API key; a replay carries
 * `Idempotent-Replayed: true`; reusing a key for a different request (method, path, query or
 * body) is a 422 rather than a silent replay of an unrelated outcome.
 *
 * What is kept holds no secret in clear: outcomes (a created webhook's secret, say) are sealed
 * with AES-256-GCM under a key derived from the Idempotency-Key itself, records are found by a
 * digest of it, and the request fingerprint is an HMAC under that derived key. Only a client that
 * presents the key again can open its outcome; the state file alone reveals nothing, nor lets
 * anyone test guesses of a secret a request carried.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { IdempotencyKey } from "../../contract";
import type { AppEnv } from "./context";
import { badRequest, conflict, sendProblem, unprocessable } from "./errors";

export const IDEMPOTENCY_HEADER = "Idempotency-Key";
export const REPLAYED_HEADER = "Idempotent-Replayed";

/** The first outcome for a key, as stored (and persisted). */
export interface IdempotencyRecord {
  /** HMAC of method, path, query and body of the first request, under the key's derived secret. */
  fingerprint: string;
  status: number;
  contentType?: string;
  location?: string;
  /** The response body, sealed under the key's derived secret (base64 of iv, tag and ciphertext). */
  sealed: { iv: string; tag: string; data: string };
  /** Epoch milliseconds. */
  createdAt: number;
}

/** Lookup id and sealing key of one Idempotency-Key in one caller scope: neither reveals the other. */
function deriveSecrets(scope: string, key: string): { recordKey: string; secret: Buffer } {
  const derive = (purpose: string) => createHmac("sha256", key).update(`${purpose}\n${scope}`).digest();
  return { recordKey: `${scope}:${derive("record-id").toString("hex").slice(0, 32)}`, secret: derive("seal") };
}

function seal(secret: Buffer, text: string): IdempotencyRecord["sealed"] {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", secret, iv);
  const data = Buffer.concat([cipher.update(text, "utf8"), cipher.final()]);
  return { iv: iv.toString("base64"), tag: cipher.getAuthTag().toString("base64"), data: data.toString("base64") };
}

function open(secret: Buffer, sealed: IdempotencyRecord["sealed"]): string {
  const decipher = createDecipheriv("aes-256-gcm", secret, Buffer.from(sealed.iv, "base64"));
  decipher.setAuthTag(Buffer.from(sealed.tag, "base64"));
  return Buffer.concat([decipher.update(Buffer.from(sealed.data, "base64")), decipher.final()]).toString("utf8");
}

/** Where outcomes live; the store persists them with the rest of the state. */
export interface IdempotencyRecords {
  get(recordKey: string): IdempotencyRecord | undefined;
  put(recordKey: string, record: IdempotencyRecord): void;
}

const GUARDED_METHODS = new Set(["POST", "PUT", "PATCH"]);

export function idempotency(records: IdempotencyRecords): MiddlewareHandler<AppEnv> {
  // Locks live in memory only: an in-flight request does not survive a restart anyway.
  const inFlight = new Set<string>();
  return async (c, next) => {
    const key = c.req.header(IDEMPOTENCY_HEADER);
    if (key === undefined || !GUARDED_METHODS.has(c.req.method)) return next();

    const valid = IdempotencyKey.safeParse(key);
    if (!valid.success) return sendProblem(c, badRequest(valid.error.issues[0]?.message ?? "invalid Idempotency-Key"));

    const { recordKey, secret } = deriveSecrets(c.get("callerScope"), key);
    if (inFlight.has(recordKey)) {
      return sendProblem(c, conflict("a request with this Idempotency-Key is still in progress; retry later"));
    }
    // Locked before the first await, so two simultaneous requests cannot both run the handler.
    inFlight.add(recordKey);
    try {
      const url = new URL(c.req.url);
      const fingerprint = createHmac("sha256", secret)
        .update(`${c.req.method} ${url.pathname}${url.search}\n`)
        .update(await c.req.text())
        .digest("hex");

      const first = records.get(recordKey);
      if (first) {
        if (first.fingerprint === fingerprint) return replay(first, open(secret, first.sealed));
        return sendProblem(
          c,
          unprocessable("this Idempotency-Key was already used for a different request; use a new key for a new request"),
        );
      }

      await next();
      const res = c.res;
      records.put(recordKey, {
        fingerprint,
        status: res.status,
        contentType: res.headers.get("content-type") ?? undefined,
        location: res.headers.get("location") ?? undefined,
        sealed: seal(secret, await res.clone().text()),
        createdAt: Date.now(),
      });
    } finally {
      inFlight.delete(recordKey);
    }
  };
}

function replay(record: IdempotencyRecord, body: string): Response {
  const headers = new Headers({ [REPLAYED_HEADER]: "true" });
  if (record.contentType) headers.set("Content-Type", record.contentType);
  if (record.location) headers.set("Location", record.location);
  return new Response(body === "" ? null : body, { status: record.status, headers });
}
