/**
 * Errors of the API client. Messages name the operation, the HTTP status and the API's own
 * message and key; they never include request bodies, headers or anything else that may hold a secret.
 */
import { ApiError } from "../contract";

export class PolytomicApiError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly apiMessage: string | undefined,
    readonly key: string | undefined,
    readonly metadata: Record<string, unknown> | undefined,
  ) {
    const detail = [apiMessage, key ? `(key ${key})` : undefined].filter(Boolean).join(" ");
    super(`${operation}: HTTP ${status}${detail ? `: ${detail}` : ""}`);
    this.name = "PolytomicApiError";
  }

  /** Builds the error from a response body, which may not be an ApiError at all. */
  static fromBody(operation: string, status: number, bodyText: string): PolytomicApiError {
    let parsed: ApiError = {};
    try {
      const result = ApiError.safeParse(JSON.parse(bodyText));
      if (result.success) parsed = result.data;
    } catch {
      // Not JSON (a proxy's HTML page, say): the status alone has to do.
    }
    return new PolytomicApiError(operation, status, parsed.message, parsed.key, parsed.metadata);
  }
}

/** The request never got an HTTP answer (refused, dropped, timed out). */
export class PolytomicNetworkError extends Error {
  constructor(readonly operation: string, readonly cause: unknown) {
    super(`${operation}: no answer from the API (${cause instanceof Error ? cause.message : String(cause)})`);
    this.name = "PolytomicNetworkError";
  }
}

export const isNotFound = (err: unknown): boolean => err instanceof PolytomicApiError && err.status === 404;
