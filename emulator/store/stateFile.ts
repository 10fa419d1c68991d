/**
 * `<data>/state.json`, written atomically: the new content goes to a temporary file in the
 * same folder, is flushed to disk, then renamed over the old file, so a crash leaves either
 * the old or the new state, never half of one.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { emptyState, type EmulatorState } from "./state";

export class StateFile {
  readonly path: string;

  constructor(dataDir: string) {
    this.path = path.join(dataDir, "state.json");
  }

  load(): EmulatorState {
    let text: string;
    try {
      text = fs.readFileSync(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return emptyState();
      throw error;
    }
    const loaded = JSON.parse(text) as Partial<EmulatorState>;
    if (loaded.format !== 1) throw new Error(`${this.path}: unknown state format ${String(loaded.format)}`);
    // Collections added in later versions of this file start empty.
    const state = { ...emptyState(), ...loaded } as EmulatorState;
    // Outcomes kept in clear by earlier versions (secrets included) are dropped, not carried on.
    state.idempotency = Object.fromEntries(Object.entries(state.idempotency).filter(([, record]) => record && "sealed" in record));
    return state;
  }

  save(state: EmulatorState): void {
    fs.mkdirSync(path.dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    const fd = fs.openSync(temporary, "w", 0o600);
    try {
      fs.writeFileSync(fd, JSON.stringify(state, null, 2));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, this.path);
  }
}
