/**
 * The emulator's state and its persistence: handlers mutate `state` and call `changed()`;
 * the store writes state.json shortly after (coalescing bursts of mutations) and on `flush()`.
 * Without a data folder it keeps everything in memory.
 */
import { IDEMPOTENCY_RETENTION_MS } from "../defaults";
import type { IdempotencyRecord, IdempotencyRecords } from "../http/idempotency";
import { emptyState, type EmulatorState } from "./state";
import { StateFile } from "./stateFile";

/** Mutations within this window share one write. */
const WRITE_DELAY_MS = 20;

export class Store implements IdempotencyRecords {
  #timer: NodeJS.Timeout | undefined;

  private constructor(
    readonly state: EmulatorState,
    private readonly file: StateFile | undefined,
    private readonly idempotencyRetentionMs: number,
  ) {}

  /**
   * Loads `<dataDir>/state.json` (or starts empty); in memory when `dataDir` is omitted.
   * Idempotency outcomes are kept `idempotencyRetentionMs` (the docs' "at least 24 hours" by default).
   */
  static open(dataDir?: string, idempotencyRetentionMs = IDEMPOTENCY_RETENTION_MS): Store {
    const file = dataDir ? new StateFile(dataDir) : undefined;
    return new Store(file ? file.load() : emptyState(), file, idempotencyRetentionMs);
  }

  /** Records that the state changed; it reaches the disk within a few milliseconds. */
  changed(): void {
    if (!this.file || this.#timer) return;
    this.#timer = setTimeout(() => this.flush(), WRITE_DELAY_MS);
  }

  /** Writes pending changes now. */
  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.file?.save(this.state);
  }

  get(recordKey: string): IdempotencyRecord | undefined {
    const record = this.state.idempotency[recordKey];
    if (record && Date.now() - record.createdAt > this.idempotencyRetentionMs) {
      delete this.state.idempotency[recordKey];
      this.changed();
      return undefined;
    }
    return record;
  }

  put(recordKey: string, record: IdempotencyRecord): void {
    this.pruneIdempotency();
    this.state.idempotency[recordKey] = record;
    this.changed();
  }

  /** Forgets every idempotency outcome, as the API does once their retention has passed. */
  forgetIdempotency(): number {
    const forgotten = Object.keys(this.state.idempotency).length;
    this.state.idempotency = {};
    this.changed();
    return forgotten;
  }

  /** Forgets outcomes older than the retention period (a removed key counts as new). */
  private pruneIdempotency(): void {
    const cutoff = Date.now() - this.idempotencyRetentionMs;
    for (const [key, record] of Object.entries(this.state.idempotency)) {
      if (record.createdAt < cutoff) delete this.state.idempotency[key];
    }
  }
}
