/**
 * Organization events: kept 48 hours for `GET /api/events`, and POSTed to the org webhook signed
 * with `Polytomic-Signature: hex(HMAC-SHA256(secret, raw body))`, retried up to 5 times with
 * exponential backoff on failure, and never again after a 2xx.
 */
import * as crypto from "node:crypto";
import * as path from "node:path";
import type { events } from "../../contract";
import { readJsonFile, writeFileAtomic } from "./atomic";

const RETENTION_MS = 48 * 3600 * 1000;
const MAX_RETRIES = 5;

export interface OrgWebhookTarget {
  endpoint: string;
  secret: string;
  disabled: boolean;
}

export const signBody = (secret: string, body: string): string => crypto.createHmac("sha256", secret).update(body).digest("hex");

export class EventLog {
  #events: events.Event[];
  readonly #file?: string;

  constructor(dir?: string) {
    this.#file = dir ? path.join(dir, "events.json") : undefined;
    this.#events = this.#file ? readJsonFile<events.Event[]>(this.#file, []) : [];
  }

  add(event: events.Event): void {
    const cutoff = Date.now() - RETENTION_MS;
    this.#events = [...this.#events.filter((e) => Date.parse(e.created_at) >= cutoff), event];
    if (this.#file) writeFileAtomic(this.#file, JSON.stringify(this.#events));
  }

  /** Newest first; the window bounds are exclusive. */
  list(query: { type?: string; starting_after?: string; ending_before?: string; limit?: number; organization_id?: string }): events.Event[] {
    const cutoff = Date.now() - RETENTION_MS;
    const after = query.starting_after ? Date.parse(query.starting_after) : -Infinity;
    const before = query.ending_before ? Date.parse(query.ending_before) : Infinity;
    return this.#events
      .filter((e) => {
        const at = Date.parse(e.created_at);
        const inOrganization = !query.organization_id || e.organization_id === query.organization_id;
        return at >= cutoff && at > after && at < before && inOrganization && (!query.type || e.type === query.type);
      })
      .reverse()
      .slice(0, Math.min(query.limit ?? 10, 100));
  }
}

export class EventSender {
  readonly #inFlight = new Set<Promise<void>>();
  #stopped = false;

  constructor(private readonly opts: { retryBaseMs: number; userAgent: string; log: (line: string) => void }) {}

  /** Delivers in the background; a delivery never blocks or fails a sync. */
  send(target: OrgWebhookTarget | undefined, event: events.Event): void {
    if (!target || target.disabled) return;
    const task = this.#deliver(target, JSON.stringify(event), event.id).finally(() => this.#inFlight.delete(task));
    this.#inFlight.add(task);
  }

  async #deliver(target: OrgWebhookTarget, body: string, id: string): Promise<void> {
    for (let attempt = 0; attempt <= MAX_RETRIES && !this.#stopped; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, this.opts.retryBaseMs * 2 ** (attempt - 1)));
      try {
        const response = await fetch(target.endpoint, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            "Polytomic-Signature": signBody(target.secret, body),
            "User-Agent": this.opts.userAgent,
          },
          body,
          signal: AbortSignal.timeout(10_000),
        });
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) return;
        this.opts.log(`event ${id}: webhook answered HTTP ${response.status} (attempt ${attempt + 1})`);
      } catch (err) {
        this.opts.log(`event ${id}: webhook unreachable (attempt ${attempt + 1}): ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  /** Waits for deliveries under way (a stopped sender makes no further retries). */
  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.allSettled([...this.#inFlight]);
  }

  async idle(): Promise<void> {
    await Promise.allSettled([...this.#inFlight]);
  }
}
