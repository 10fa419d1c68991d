/**
 * One HTTP request to the Polytomic API, with the retries, timeouts and headers every call needs.
 */
import type { z } from "zod";
import { API_VERSION, organizations } from "../contract";
import { PolytomicApiError, PolytomicNetworkError } from "./errors";
import { backoffMs, DEFAULT_RETRY, isRetryableStatus, retryAfterMs, RetryPolicy, sleep } from "./retry";

export interface ClientOptions {
  baseUrl: string;
  /** An organization's API key, or a partner key (organization endpoints only, unless `organizationId` is set). */
  apiKey: string;
  /**
   * Act inside this organization with a partner key: requests then carry
   * `Authorization: Basic base64(<organizationId>:<apiKey>)`, as Polytomic documents for partners.
   */
  organizationId?: string;
  /** Per attempt. Default 30 s. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  fetch?: typeof fetch;
  /** Called before every attempt (request counting in tests and benchmarks). */
  onRequest?: (info: { method: string; path: string; attempt: number }) => void;
  log?: (message: string) => void;
}

export interface RequestSpec<T extends z.ZodType> {
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string;
  /** Names the call in errors, e.g. `create connection "crm"`. */
  operation: string;
  schema: T;
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent on creates; makes a POST safe to retry. */
  idempotencyKey?: string;
}

const USER_AGENT = "polytomic-pulumi/0.1 (+dynamic providers)";

export type Requester = <T extends z.ZodType>(spec: RequestSpec<T>) => Promise<z.output<T>>;

export function createRequester(options: ClientOptions): Requester {
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const authorization = options.organizationId
    ? organizations.organizationScopedAuthorization(options.organizationId, options.apiKey)
    : `Bearer ${options.apiKey}`;

  return async function request<T extends z.ZodType>(spec: RequestSpec<T>): Promise<z.output<T>> {
    const url = new URL(baseUrl + spec.path);
    for (const [key, value] of Object.entries(spec.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = {
      Authorization: authorization,
      "X-Polytomic-Version": API_VERSION,
      Accept: "application/json",
      "User-Agent": USER_AGENT,
    };
    if (spec.body !== undefined) headers["Content-Type"] = "application/json";
    if (spec.idempotencyKey) headers["Idempotency-Key"] = spec.idempotencyKey;
    // A POST without an idempotency key may have taken effect before a failure: never repeat it.
    const retryable = spec.method !== "POST" || !!spec.idempotencyKey;

    for (let attempt = 1; ; attempt++) {
      options.onRequest?.({ method: spec.method, path: spec.path, attempt });
      let response: Response;
      try {
        response = await doFetch(url, {
          method: spec.method,
          headers,
          body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (cause) {
        if (retryable && attempt < policy.attempts) {
          const delay = backoffMs(attempt, policy);
          options.log?.(`${spec.operation}: no answer (${describe(cause)}), retrying in ${delay} ms`);
          await sleep(delay);
          continue;
        }
        throw new PolytomicNetworkError(spec.operation, cause);
      }

      const text = await response.text();
      if (response.ok) {
        const parsed = spec.schema.safeParse(text ? JSON.parse(text) : {});
        if (!parsed.success) {
          throw new Error(`${spec.operation}: unexpected response shape: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`);
        }
        return parsed.data;
      }
      if (retryable && isRetryableStatus(response.status) && attempt < policy.attempts) {
        const delay = backoffMs(attempt, policy, retryAfterMs(response.headers.get("retry-after")));
        options.log?.(`${spec.operation}: HTTP ${response.status}, retrying in ${delay} ms`);
        await sleep(delay);
        continue;
      }
      throw PolytomicApiError.fromBody(spec.operation, response.status, text);
    }
  };
}

function describe(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as { cause?: unknown }).cause;
    return inner instanceof Error ? `${cause.message}: ${inner.message}` : cause.message;
  }
  return String(cause);
}
