/**
 * The API client against a scripted local server: headers, which requests are retried, how long
 * it waits, and what its errors say.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createClient, isNotFound, PolytomicApiError, PolytomicNetworkError } from "../../client";
import { backoffMs, retryAfterMs } from "../../client/retry";
import { API_VERSION } from "../../contract";

type Reply = (req: http.IncomingMessage, res: http.ServerResponse) => void;
const seen: { method: string; url: string; headers: http.IncomingHttpHeaders; at: number }[] = [];
let replies: Reply[] = [];
let server: http.Server;
let baseUrl: string;

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => (_req, res) => {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(JSON.stringify(body));
};
const webhook = { id: "w1", endpoint: "http://127.0.0.1:9/e", disabled: false };

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, at: Date.now() });
    req.resume();
    req.on("end", () => (replies.shift() ?? json(500, { message: "no scripted reply" }))(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen.length = 0;
  replies = [];
});

const client = (opts: Partial<Parameters<typeof createClient>[0]> = {}) =>
  createClient({ baseUrl, apiKey: "secret-api-key-xyz", retry: { baseDelayMs: 10 }, ...opts });

describe("requests", () => {
  it("sends the key, the pinned version and the idempotency key of a create", async () => {
    replies = [json(200, { data: webhook })];
    await client().webhooks.create({ endpoint: webhook.endpoint, secret: "hmac-secret" }, { idempotencyKey: "pulumi-key-0001" });
    expect(seen[0].headers).toMatchObject({
      authorization: "Bearer secret-api-key-xyz",
      "x-polytomic-version": API_VERSION,
      "idempotency-key": "pulumi-key-0001",
      "content-type": "application/json",
    });
  });

  it("waits as long as Retry-After says on a 429, then succeeds", async () => {
    replies = [json(429, { message: "slow down" }, { "Retry-After": "1" }), json(200, { data: webhook })];
    const result = await client().webhooks.get("w1");
    expect(result.id).toBe("w1");
    expect(seen).toHaveLength(2);
    expect(seen[1].at - seen[0].at).toBeGreaterThanOrEqual(950);
  });

  it("retries 5xx on reads, and a POST only when it carries an idempotency key", async () => {
    replies = [json(502, {}), json(503, {}), json(200, { data: webhook })];
    await client().webhooks.get("w1");
    expect(seen).toHaveLength(3);

    seen.length = 0;
    replies = [json(500, { message: "boom" })];
    await expect(client().webhooks.create({ endpoint: webhook.endpoint, secret: "hmac-secret" })).rejects.toBeInstanceOf(PolytomicApiError);
    expect(seen).toHaveLength(1);

    seen.length = 0;
    replies = [json(500, {}), json(200, { data: webhook })];
    await client().webhooks.create({ endpoint: webhook.endpoint, secret: "hmac-secret" }, { idempotencyKey: "pulumi-key-0002" });
    expect(seen.map((s) => s.headers["idempotency-key"])).toEqual(["pulumi-key-0002", "pulumi-key-0002"]);
  });

  it("times out a request that hangs and retries it", async () => {
    replies = [() => undefined /* never answers */, json(200, { data: webhook })];
    const result = await client({ timeoutMs: 200 }).webhooks.get("w1");
    expect(result.id).toBe("w1");
    expect(seen).toHaveLength(2);
  });

  it("gives up after the last attempt with a network error naming the operation", async () => {
    const error = await createClient({ baseUrl: "http://127.0.0.1:9", apiKey: "k", retry: { attempts: 2, baseDelayMs: 1 } })
      .webhooks.get("w1")
      .catch((e) => e);
    expect(error).toBeInstanceOf(PolytomicNetworkError);
    expect(error.message).toMatch(/^get webhook w1: no answer from the API/);
  });
});

describe("errors", () => {
  it("name the operation, status, message and key, and never the request", async () => {
    replies = [json(422, { status: 422, message: "secret must be at most 32 characters", key: "unprocessable_entity" })];
    const error = await client().webhooks.create({ endpoint: webhook.endpoint, secret: "a-very-secret-value" }).catch((e) => e);
    expect(error.message).toBe("create the organization webhook: HTTP 422: secret must be at most 32 characters (key unprocessable_entity)");
    expect(error.message).not.toContain("a-very-secret-value");
    expect(error.message).not.toContain("secret-api-key-xyz");
    expect(isNotFound(error)).toBe(false);
  });

  it("tell a 404 apart, even without a JSON body", async () => {
    replies = [(_req, res) => { res.writeHead(404, { "Content-Type": "text/html" }); res.end("<h1>nope</h1>"); }];
    const error = await client().webhooks.get("missing").catch((e) => e);
    expect(isNotFound(error)).toBe(true);
    expect(error.message).toBe("get webhook missing: HTTP 404");
  });
});

describe("backoff", () => {
  it("reads Retry-After as seconds or a date, and caps it", () => {
    expect(retryAfterMs("3")).toBe(3000);
    expect(retryAfterMs(new Date(Date.UTC(2030, 0, 1, 0, 0, 10)).toUTCString(), Date.UTC(2030, 0, 1))).toBe(10_000);
    expect(retryAfterMs("soon")).toBeUndefined();
    expect(backoffMs(1, { attempts: 5, baseDelayMs: 100, maxDelayMs: 1000 }, 60_000)).toBe(1000);
  });

  it("grows exponentially with full jitter under the cap", () => {
    const policy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffMs(1, policy, undefined, () => 0.999)).toBeLessThanOrEqual(100);
    expect(backoffMs(3, policy, undefined, () => 0.999)).toBe(400);
    expect(backoffMs(9, policy, undefined, () => 0.999)).toBe(999);
    expect(backoffMs(3, policy, undefined, () => 0)).toBe(0);
  });
});
