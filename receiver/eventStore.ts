/**
 * The one way an event is stored, for the webhook route and the polling fallback alike: claim
 * its key, write it, release the key if writing failed. Because both paths share the key and
 * the window, an event arriving both ways (or twice either way) is stored exactly once.
 */
import type { DedupeWindow } from "./dedupe";
import type { StoredEvent } from "./eventShape";
import type { EventSource, ReceiverSummary } from "./types";

export type StoreResult = "stored" | "duplicate";

export class EventStore {
  constructor(
    private readonly seen: DedupeWindow,
    private readonly write: (event: StoredEvent, source: EventSource, receivedAt: Date) => Promise<void>,
    private readonly counters: ReceiverSummary,
    private readonly now: () => number,
  ) {}

  /** Stores `event` unless its key was stored within the window. A failed write throws. */
  async store(event: StoredEvent, source: EventSource): Promise<StoreResult> {
    if (this.seen.has(event.key)) {
      // Polls list stored events again by design (their windows overlap): not worth counting.
      if (source === "webhook") this.counters.duplicateEvents++;
      return "duplicate";
    }
    // Claimed before the write is awaited: a concurrent copy (a retry, the poller) is caught too.
    this.seen.add(event.key);
    try {
      await this.write(event, source, new Date(this.now()));
    } catch (err) {
      this.seen.delete(event.key);
      throw err;
    }
    this.counters.events++;
    if (source === "poll") this.counters.polledEvents++;
    return "stored";
  }
}
