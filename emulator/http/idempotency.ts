/**
 * `Idempotency-Key` on POST/PUT/PATCH, as the docs describe it: the first request with a key
 * decides the outcome (errors included) and later requests with that key get the same status
 * and body back for at least 24 hours; while the first is in flight, the key is locked (409).
 *
 * Our choices where the docs are silent: keys are scoped per API key; a replay carries
 * `Idempotent-Replayed: true`; reusing a key for a different request (method, path, query or
 * body) is a 422 rather than a silent replay of an unrelated outcome.
 */
import { createHash } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { IdempotencyKey } from "../../contract";
import type { AppEnv } from "./context";
import { badRequest, conflict, sendProblem, unprocessable } from "./errors";

export const IDEMPOTENCY_HEADER = "Idempotency-Key";
export const REPLAYED_HEADER = "Idempotent-Replayed";

/** The first outcome for a key, as stored (and persisted). */
export interface IdempotencyRecord {
  /** Digest of method, path, query and body of the first request. */
  fingerprint: string;
  status: number;
  contentType?: string;
  location?: string;
  body: string;
  /** Epoch milliseconds. */
  createdAt: number;
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

    const recordKey = `${c.get("callerScope")}:${key}`;
    if (inFlight.has(recordKey)) {
      return sendProblem(c, conflict("a request with this Idempotency-Key is still in progress; retry later"));
    }
    // Locked before the first await, so two simultaneous requests cannot both run the handler.
    inFlight.add(recordKey);
    try {
      const url = new URL(c.req.url);
      const fingerprint = createHash("sha256")
        .update(`${c.req.method} ${url.pathname}${url.search}\n`)
        .update(await c.req.text())
        .digest("hex");

      const first = records.get(recordKey);
      if (first) {
        if (first.fingerprint === fingerprint) return replay(first);
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
        body: await res.clone().text(),
        createdAt: Date.now(),
      });
    } finally {
      inFlight.delete(recordKey);
    }
  };
}

function replay(record: IdempotencyRecord): Response {
  const headers = new Headers({ [REPLAYED_HEADER]: "true" });
  if (record.contentType) headers.set("Content-Type", record.contentType);
  if (record.location) headers.set("Location", record.location);
  return new Response(record.body === "" ? null : record.body, { status: record.status, headers });
}
