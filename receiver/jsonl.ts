/**
 * JSON Lines files: appends are queued so concurrent deliveries never interleave their lines,
 * and a file can be read back line by line (to remember what was already received).
 */
import * as fs from "node:fs";
import * as readline from "node:readline";

export class JsonlFile {
  private queue: Promise<void> = Promise.resolve();

  constructor(readonly file: string) {}

  /** Appends one line per value, as a single write, after every earlier append has finished. */
  append(values: readonly unknown[]): Promise<void> {
    const text = values.map((value) => `${JSON.stringify(value)}\n`).join("");
    const write = this.queue.then(() => fs.promises.appendFile(this.file, text));
    // Keep the queue alive after a failed write; the caller still sees the failure.
    this.queue = write.catch(() => undefined);
    return write;
  }

  /** Waits for every queued append. */
  flush(): Promise<void> {
    return this.queue;
  }

  /** Calls `onValue` for each parseable line of an existing file (a torn last line is skipped). */
  async readEach(onValue: (value: unknown) => void): Promise<void> {
    if (!fs.existsSync(this.file)) return;
    const lines = readline.createInterface({ input: fs.createReadStream(this.file), crlfDelay: Infinity });
    for await (const line of lines) {
      if (!line.trim()) continue;
      try {
        onValue(JSON.parse(line));
      } catch {
        // A line cut short by a crash mid-write: nothing to remember from it.
      }
    }
  }
}
