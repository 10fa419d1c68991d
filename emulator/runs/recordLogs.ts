/**
 * Record logs: the JSON files a `sync.completed` event links to in `total_records` (the Events
 * doc's "Record logs"). Each execution that delivered records writes one log while it runs,
 * streamed to disk batch by batch so a run of a million rows holds none of them in memory.
 *
 * A log is `{"records": [{"hash", "fields"}, ...]}` (our choice: Polytomic documents the links,
 * not the files' layout). Logs live under `<dataDir>/runs/logs/<sync id>/<execution id>/`, or in
 * a temporary folder when the emulator keeps everything in memory.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { events } from "../../contract";

/** Log file names: letters, digits, '-' and '_' then `.json` (nothing that could climb out of the folder). */
const LOG_NAME = /^[A-Za-z0-9_-]{1,128}\.json$/;

export class RecordLogs {
  readonly #root: string;
  readonly #temporary: boolean;

  constructor(dataDir?: string) {
    this.#temporary = !dataDir;
    this.#root = dataDir ? path.join(dataDir, "logs") : fs.mkdtempSync(path.join(os.tmpdir(), "polytomic-emulator-logs-"));
  }

  #dir(syncId: string, executionId: string): string {
    return path.join(this.#root, safeSegment(syncId), safeSegment(executionId));
  }

  /** Starts the execution's log; append each delivered batch, then `close`. */
  open(syncId: string, executionId: string): RecordLogWriter {
    const name = `log${Math.floor(Date.now() / 1000)}-${executionId}.json`;
    const dir = this.#dir(syncId, executionId);
    fs.mkdirSync(dir, { recursive: true });
    return new RecordLogWriter(path.join(dir, name), name);
  }

  /** The file behind a log name, if the execution wrote it. */
  file(syncId: string, executionId: string, name: string): string | undefined {
    if (!LOG_NAME.test(name)) return undefined;
    const file = path.join(this.#dir(syncId, executionId), name);
    return fs.existsSync(file) ? file : undefined;
  }

  forget(syncId: string): void {
    fs.rmSync(path.join(this.#root, safeSegment(syncId)), { recursive: true, force: true });
  }

  dispose(): void {
    if (this.#temporary) fs.rmSync(this.#root, { recursive: true, force: true });
  }
}

export class RecordLogWriter {
  #count = 0;
  readonly #fd: number;

  constructor(
    readonly file: string,
    readonly name: string,
  ) {
    this.#fd = fs.openSync(file, "w");
    fs.writeSync(this.#fd, '{"records":[');
  }

  get count(): number {
    return this.#count;
  }

  append(records: readonly events.DeliveredRecord[]): void {
    if (records.length === 0) return;
    const text = records.map((r) => JSON.stringify(r)).join(",");
    fs.writeSync(this.#fd, this.#count === 0 ? text : `,${text}`);
    this.#count += records.length;
  }

  /** Ends the JSON document; a log with no record is removed (the event then links none). */
  close(): void {
    fs.writeSync(this.#fd, "]}");
    fs.closeSync(this.#fd);
    if (this.#count === 0) fs.rmSync(this.file, { force: true });
  }
}

function safeSegment(id: string): string {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(id)) throw new RangeError("invalid id in a record log path");
  return id;
}
