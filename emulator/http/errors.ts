/**
 * Errors as the API reports them: an `ApiError` body `{status, message, key, metadata}`.
 * Handlers throw an `ApiProblem`; the app's error handler turns it into the response.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ZodError } from "zod";
import type { ApiError } from "../../contract";

/** A failure a handler reports to the caller. Its message must never contain a secret. */
export class ApiProblem extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    readonly key: string = defaultKey(status),
    readonly metadata?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "ApiProblem";
  }

  toBody(): ApiError {
    return { status: this.status, message: this.message, key: this.key, ...(this.metadata ? { metadata: this.metadata } : {}) };
  }
}

export const badRequest = (message: string, metadata?: Record<string, unknown>) =>
  new ApiProblem(400, message, "bad_request", metadata);
export const notFound = (what: string, id: string) => new ApiProblem(404, `${what} ${id} not found`, "not_found");
export const conflict = (message: string, metadata?: Record<string, unknown>) =>
  new ApiProblem(409, message, "conflict", metadata);
export const unprocessable = (message: string, metadata?: Record<string, unknown>) =>
  new ApiProblem(422, message, "unprocessable_entity", metadata);

/**
 * A 422 naming each invalid field by its path, e.g. `configuration.bucket: must be a bucket name`.
 * zod messages never quote the rejected value, so secrets cannot leak through them.
 */
export function validationProblem(error: Pick<ZodError, "issues"> | { issues: readonly { path: readonly PropertyKey[]; message: string }[] }, prefix: readonly (string | number)[] = []): ApiProblem {
  const fields = error.issues.map((issue) => ({
    field: [...prefix, ...issue.path].map(String).join(".") || "(body)",
    message: issue.message,
  }));
  const message = fields.map((f) => `${f.field}: ${f.message}`).join("; ");
  return unprocessable(message, { fields });
}

/** Sends an `ApiError` body with the given status. */
export function sendProblem(c: Context, problem: ApiProblem): Response {
  return c.json(problem.toBody(), problem.status);
}

function defaultKey(status: number): string {
  switch (status) {
    case 400:
      return "bad_request";
    case 401:
      return "unauthorized";
    case 403:
      return "forbidden";
    case 404:
      return "not_found";
    case 409:
      return "conflict";
    case 422:
      return "unprocessable_entity";
    case 429:
      return "too_many_requests";
    default:
      return status >= 500 ? "internal_error" : "error";
  }
}
