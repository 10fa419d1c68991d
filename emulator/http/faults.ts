/**
 * Fault injection for tests: rules that match method + path and, for the next N matching
 * requests, add latency, answer 429 with `Retry-After`, answer a 5xx, or drop the connection.
 * Off by default (no rules).
 *
 * Where each fault acts, and why:
 * - status and dropped-connection faults answer at the front door, before authentication and
 *   idempotency: like a proxy refusing the request, they are never recorded as the outcome of
 *   an `Idempotency-Key`, so a client retry with the same key reaches the handler;
 * - latency alone is spent just before the handler, while the request holds its idempotency
 *   key, which is how a slow server looks to a client (and how tests provoke the 409 lock).
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./context";
import { ApiProblem, sendProblem } from "./errors";

/** One fault rule. `status`, `drop` and `latencyMs` may be combined (latency comes first). */
export interface FaultRule {
  /** HTTP method to match (case-insensitive); any method when omitted. */
  method?: string;
  /** Path pattern (a RegExp, or its source text) tested against the URL path, e.g. `^/api/connections`. */
  path: RegExp | string;
  /** How many matching requests the rule applies to; 1 when omitted. */
  times?: number;
  /** Extra delay before the request is handled. */
  latencyMs?: number;
  /** Answer with this status instead: 429 or 500-599. */
  status?: number;
  /** `Retry-After` seconds for a 429 (1 when omitted); ignored for other statuses. */
  retryAfterSeconds?: number;
  /** Destroy the socket without answering. */
  drop?: boolean;
}

/** A rule as the controller reports it. */
export interface ActiveFaultRule {
  id: number;
  method?: string;
  path: string;
  remaining: number;
  latencyMs?: number;
  status?: number;
  retryAfterSeconds?: number;
  drop?: boolean;
}

interface Rule extends ActiveFaultRule {
  pattern: RegExp;
}

export class FaultController {
  #rules: Rule[] = [];
  #nextId = 1;

  /** Adds a rule (rules are tried in the order they were added). Returns its id. */
  set(rule: FaultRule): number {
    const status = rule.status;
    if (status !== undefined && status !== 429 && !(status >= 500 && status <= 599)) {
      throw new RangeError("fault status must be 429 or 500-599");
    }
    const times = rule.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new RangeError("fault times must be a positive integer");
    if (rule.latencyMs !== undefined && !(rule.latencyMs >= 0)) throw new RangeError("fault latencyMs must be >= 0");
    if (status === undefined && !rule.drop && !rule.latencyMs) {
      throw new RangeError("a fault rule needs status, drop or latencyMs");
    }
    const pattern = typeof rule.path === "string" ? new RegExp(rule.path) : rule.path;
    const id = this.#nextId++;
    this.#rules.push({
      id,
      pattern,
      path: pattern.source,
      method: rule.method?.toUpperCase(),
      remaining: times,
      latencyMs: rule.latencyMs,
      status,
      retryAfterSeconds: status === 429 ? (rule.retryAfterSeconds ?? 1) : undefined,
      drop: rule.drop,
    });
    return id;
  }

  /** Removes every rule. */
  clear(): void {
    this.#rules = [];
  }

  /** Rules still waiting for matching requests. */
  list(): ActiveFaultRule[] {
    return this.#rules.map(({ pattern: _pattern, ...rule }) => ({ ...rule }));
  }

  /** Consumes one use of the first rule matching this request, if any. */
  take(method: string, path: string): ActiveFaultRule | undefined {
    const rule = this.#rules.find((r) => (!r.method || r.method === method.toUpperCase()) && r.pattern.test(path));
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.#rules = this.#rules.filter((r) => r !== rule);
    const { pattern: _pattern, ...taken } = rule;
    return taken;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Front-door faults: status answers and dropped connections (see the module comment). */
export function injectFaults(faults: FaultController): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const rule = faults.take(c.req.method, c.req.path);
    if (!rule) return next();
    if (rule.status === undefined && !rule.drop) {
      c.set("injectedLatencyMs", rule.latencyMs);
      return next();
    }
    if (rule.latencyMs) await sleep(rule.latencyMs);
    if (rule.drop) {
      const socket = c.env?.incoming?.socket;
      if (!socket) throw new Error("a dropped-connection fault needs a real socket (start the emulator on a port)");
      socket.destroy();
      // Nothing reaches the client; the adapter's write into the destroyed socket is discarded.
      return c.body(null, 500);
    }
    const status = rule.status as number;
    if (status === 429) c.header("Retry-After", String(rule.retryAfterSeconds ?? 1));
    return sendProblem(c, new ApiProblem(status as 429, `injected fault: HTTP ${status}`));
  };
}

/** Spends injected latency right before the handler. */
export function delayHandling(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const ms = c.get("injectedLatencyMs");
    if (ms) await sleep(ms);
    await next();
  };
}
