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
}

export const reject = (status: number, reason: string, message: string, closeConnection = false): Outcome => ({
  status,
  body: { error: reason, message },
  reason,
  closeConnection,
});

export type Json = { ok: true; value: unknown } | { ok: false };

export function parseJson(bytes: Buffer): Json {
  try {
    return { ok: true, value: JSON.parse(bytes.toString("utf8")) };
  } catch {
    return { ok: false };
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

/** `application/json` or `+json` (parameters ignored); an absent Content-Type is accepted. */
export function isJsonContentType(header: string | undefined): boolean {
  if (!header) return true;
  const type = header.split(";")[0].trim().toLowerCase();
  return type === "application/json" || type.endsWith("+json");
}
