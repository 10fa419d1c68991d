/**
 * Runs the polling fallback over time: one poll at a time, each starting a little before the
 * previous one started (the first covers the API's whole retention), on a timer when asked.
 */
import { EVENT_RETENTION_MS, POLL_OVERLAP_MS, pollEventsOnce, type StoreListed } from "./poll";
import type { EventLister, PollResult } from "./types";

export class EventPoller {
  private lastStart: number | undefined;
  private chain: Promise<PollResult> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly opts: { store: StoreListed; now: () => number; log: (line: string) => void; list?: EventLister },
  ) {}

  /** One poll with `list` (default: the configured lister), after any poll under way. */
  poll(list: EventLister | undefined = this.opts.list): Promise<PollResult> {
    if (!list) return Promise.reject(new Error("receiver: no event lister configured (pollEvents.list)"));
    const run = async (): Promise<PollResult> => {
      const started = this.opts.now();
      const since = Math.max(started - EVENT_RETENTION_MS, (this.lastStart ?? -Infinity) - POLL_OVERLAP_MS);
      const result = await pollEventsOnce({ list, store: this.opts.store, since: new Date(since) });
      this.lastStart = started;
      return result;
    };
    const next = (this.chain ?? Promise.resolve()).catch(() => undefined).then(run);
    this.chain = next;
    return next;
  }

  /** Polls now and every `intervalSeconds`; a failed poll is logged (never a key) and tried again next time. */
  start(intervalSeconds: number): void {
    const pollAndLog = () =>
      this.poll().then(
        (r) => this.opts.log(`poll events since ${r.since}: listed ${r.listed}, stored ${r.stored}, already stored ${r.duplicates}, invalid ${r.invalid}`),
        (err: unknown) =>
          this.opts.log(`poll events failed (next try in ${intervalSeconds} s): ${err instanceof Error ? err.message : String(err)}`),
      );
    void pollAndLog();
    this.timer = setInterval(() => void pollAndLog(), intervalSeconds * 1000);
    this.timer.unref();
  }

  /** Stops the timer and waits for a poll under way. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.chain?.catch(() => undefined);
  }
}
