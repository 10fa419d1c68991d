/**
 * The freshness check of `Polytomic-Signature-Timestamp`. The timestamp is not signed (Polytomic
 * only sends it), so this bounds how long a captured delivery can be replayed; deduplication
 * covers replays inside the window.
 */
export type Freshness =
  | { ok: true; sentAt: number }
  | { ok: false; status: 400 | 401; reason: "missing_timestamp" | "malformed_timestamp" | "stale_timestamp" | "future_timestamp" };

/** RFC 3339 date-time: `2021-06-01T22:55:36Z`, optional fraction, `Z` or a numeric offset. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Missing or outside the window (too old or too far in the future) -> 401: the request is not
 * accepted as coming from a live sender. Malformed -> 400: a sender bug, worth telling apart.
 */
export function checkFreshness(header: string | undefined, nowMs: number, toleranceSeconds: number): Freshness {
  if (!header) return { ok: false, status: 401, reason: "missing_timestamp" };
  const text = header.trim();
  const sentAt = RFC3339.test(text) ? Date.parse(text.replace(" ", "T")) : Number.NaN;
  if (Number.isNaN(sentAt)) return { ok: false, status: 400, reason: "malformed_timestamp" };
  const skewMs = nowMs - sentAt;
  if (skewMs > toleranceSeconds * 1000) return { ok: false, status: 401, reason: "stale_timestamp" };
  if (-skewMs > toleranceSeconds * 1000) return { ok: false, status: 401, reason: "future_timestamp" };
  return { ok: true, sentAt };
}
