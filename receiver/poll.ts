/**
 * The polling fallback the Events doc asks for: webhook delivery is at most once, so what the
 * webhook missed is listed from `GET /api/events` (kept 48 hours) and stored under the same key
 * as a webhook delivery would have been, which makes the two paths store each event once.
 */
import { createClient } from "../client";
import type { EventLister, PollResult } from "./types";

/** The API keeps events for 48 hours. */
export const EVENT_RETENTION_MS = 48 * 3600 * 1000;
/** The API's largest page. */
export const EVENT_PAGE_SIZE = 100;
/** How far before the previous poll's start a poll looks again (clocks, late-listed events). */
export const POLL_OVERLAP_MS = 10 * 60 * 1000;
/** A poll never asks for more pages than this (a guard against a lister that never ends). */
const MAX_PAGES = 10_000;

export type StoreListed = (value: unknown) => Promise<"stored" | "duplicate" | "invalid">;

const createdAt = (value: unknown): number => {
  const text = value !== null && typeof value === "object" ? (value as { created_at?: unknown }).created_at : undefined;
  return typeof text === "string" ? Date.parse(text) : Number.NaN;
};

/**
 * Lists every event created after `since`, page by page from the newest, and hands each to
 * `store`. The API's bounds are exclusive, so each next page ends 1 ms after the oldest event
 * seen: events sharing that millisecond are listed again (and found duplicate) rather than missed.
 */
export async function pollEventsOnce(opts: { list: EventLister; store: StoreListed; since: Date; pageSize?: number }): Promise<PollResult> {
  const pageSize = opts.pageSize ?? EVENT_PAGE_SIZE;
  const result: PollResult = { listed: 0, stored: 0, duplicates: 0, invalid: 0, pages: 0, since: opts.since.toISOString() };
  let endingBefore: number | undefined;
  while (result.pages < MAX_PAGES) {
    const page = await opts.list({
      starting_after: result.since,
      limit: pageSize,
      ...(endingBefore === undefined ? {} : { ending_before: new Date(endingBefore).toISOString() }),
    });
    result.pages++;
    for (const value of page) {
      result.listed++;
      const outcome = await opts.store(value);
      if (outcome === "stored") result.stored++;
      else if (outcome === "duplicate") result.duplicates++;
      else result.invalid++;
    }
    if (page.length < pageSize) break;
    const oldest = Math.min(...page.map(createdAt).filter((t) => !Number.isNaN(t)));
    if (!Number.isFinite(oldest)) break;
    // A full page inside one millisecond cannot be paged past with ms bounds: step over it.
    const next = endingBefore !== undefined && oldest + 1 >= endingBefore ? oldest : oldest + 1;
    if (next <= Date.parse(result.since)) break;
    endingBefore = next;
  }
  return result;
}

/**
 * A lister over the project's API client (retries, `Retry-After`, timeouts). The key is read
 * by the client only; it never appears in what this module logs or throws.
 */
export function clientEventLister(baseUrl: string, apiKey: string): EventLister {
  const client = createClient({ baseUrl, apiKey });
  return (query) => client.events.list(query);
}
