/**
 * What a route decided: the status and JSON body to answer, plus what to log and count.
 */
export interface Outcome {
  status: number;
  body: Record<string, unknown>;
  /** Machine-readable reason of a rejection; counted in `summary().rejected`. */
  reason?: string;
  /** Extra words for the log line (never a secret). */
  detail?: string;
  /** The body was not read to the end: close the connection instead of draining it. */
  closeConnection?: boolean;
  /** Seconds for a `Retry-After` header (a 503 when the route is at its in-flight cap). */
  retryAfterSeconds?: number;
}

export const reject = (status: number, reason: string, message: string, closeConnection = false): Outcome => ({
  status,
  body: { error: reason, message },
  reason,
  closeConnection,
});

/** The route is at its cap of requests in flight: 503 with `Retry-After`, body left unread. */
export const busy = (route: string): Outcome => ({
  ...reject(503, "too_many_in_flight", `too many ${route} requests in flight: retry after 1 second`, true),
  retryAfterSeconds: 1,
});

export type Json = { ok: true; value: unknown } | { ok: false; outcome: Outcome };

// `fatal`: invalid bytes throw instead of becoming U+FFFD, which would silently change the data.
const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Decodes strict UTF-8 (JSON on the wire must be UTF-8, RFC 8259) and parses it. Invalid
 * UTF-8 and invalid JSON are both a 400, each with a message that says what was expected.
 */
export function parseJson(bytes: Buffer): Json {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, outcome: reject(400, "invalid_utf8", "body is not valid UTF-8: send JSON encoded as UTF-8 (RFC 8259)") };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, outcome: reject(400, "malformed_json", "body is not valid JSON: send one JSON object") };
  }
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A short, printable rendering of an untrusted string for logs and answers. */
export const quote = (value: string): string => JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);

/** Zod issues as `path: message` text; zod's messages name types, never the input's values. */
export const describeIssues = (issues: readonly { path: readonly PropertyKey[]; message: string }[]): string =>
  issues
    .slice(0, 5)
    .map((issue) => `${issue.path.map(String).join(".") || "(body)"}: ${issue.message}`)
    .join("; ");

/** `application/json` or `+json` (parameters ignored). An absent Content-Type is not JSON. */
export function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  const type = header.split(";")[0].trim().toLowerCase();
  return type === "application/json" || type.endsWith("+json");
}
