/**
 * The journal of a stack's creates, kept with its notes where the state is (stackNotes.ts), so a
 * run that follows a killed one finds what the killed one made, however long after: it does not
 * depend on Polytomic still replaying Idempotency-Keys (kept "at least 24 hours").
 *
 * Each create writes two records under its Idempotency-Key (`creates/<key>`), each durable before
 * going on:
 * 1. before its POST: the intent (kind, name, when);
 * 2. after the answer: the same with the object's id.
 * A later create with the same key (the same declared inputs under the same salt: the retry of a
 * killed run's create) then
 * - finds an id: takes that object over (read, and one update if it differs) when it still exists,
 *   and creates anew when it is gone;
 * - finds only the intent: the POST may or may not have landed. Polytomic is asked for objects of
 *   the kind with the declared name, made since the intent (less ten minutes for clock skew), whose
 *   id no record of this journal holds; the oldest is taken over. Only when there is none is the
 *   create sent, with the same key (a replay, while Polytomic still has it).
 * The one case left open: another stack, or a person in the UI, makes an object of the same kind
 * and name in the minutes between a killed run's POST and its retry, and the killed POST never
 * landed: the retry takes that object over. providers/README.md lists the failure cases.
 *
 * A replacement whose declared inputs did not change (`pulumi up --replace <urn>`) reaches a create whose key has a record too, and must make a new object, not take over the one
 * it replaces. Told apart by the stack's last written state (`heldByLastState`): the object a
 * replacement replaces is still in it; what a killed run made is not (the killed run never wrote
 * it). A replacement overwrites the record with `replacing` (the old id) and sends its POST under
 * a key of its own (`replacementKey`), so its retry, in turn, finds its own record. A replacement
 * killed midway is finished by the next run even without `--replace` (`replacementBegun`: the
 * provider's diff then reports a replacement, and the create takes the new object over).
 *
 * Records go when their object is deleted (`forgetObject`), and a replacement overwrites its
 * key's record: the journal holds about one record per object the stack manages, plus what dead
 * runs made.
 */
import * as crypto from "node:crypto";
import type { StackNotes } from "./stackNotes";

export interface CreateRecord {
  kind: string;
  name?: string;
  /** When the intent was noted (ISO 8601, this machine's clock). */
  at: string;
  id?: string;
  /** The object this create replaces (it was in the stack's last written state). */
  replacing?: string;
  /** The organization it was made in, when declared (partner keys). */
  organizationId?: string;
}

/** How far a server's `created_at` may run behind this machine's clock. */
export const CLOCK_SKEW_MS = 10 * 60 * 1000;

const PREFIX = "creates/";

/** The Idempotency-Key a replacement of object `replacing` sends: its own, so it never replays the create it replaces. */
export function replacementKey(key: string, replacing: string): string {
  return `${key.slice(0, 40)}-r${crypto.createHash("sha256").update(`${key}\nreplacing ${replacing}`).digest("hex").slice(0, 16)}`;
}

/** What a checkpoint (Pulumi's stack file) says: the ids of its resources, and when it was written (`latest.manifest.time`). */
export interface LastState {
  ids: Set<string>;
  writtenAt?: number;
}

/** Reads a checkpoint (`{checkpoint: {latest: {manifest: {time}, resources}}}`); none: nothing written yet. */
export function readCheckpoint(text: string | undefined): LastState {
  if (text === undefined) return { ids: new Set() };
  const parsed = JSON.parse(text) as { checkpoint?: { latest?: { manifest?: { time?: unknown }; resources?: { id?: unknown }[] } } };
  const ids = new Set<string>();
  for (const resource of parsed.checkpoint?.latest?.resources ?? []) if (typeof resource.id === "string" && resource.id) ids.add(resource.id);
  const time = parsed.checkpoint?.latest?.manifest?.time;
  const writtenAt = typeof time === "string" ? Date.parse(time) : NaN;
  return { ids, ...(Number.isFinite(writtenAt) ? { writtenAt } : {}) };
}

export class CreateJournal {
  /** Record key by object id, and object id by record key: read once per run, kept current. */
  #index: Promise<{ byId: Map<string, string>; byKey: Map<string, string>; replaced: Set<string> }> | undefined;
  #lastState: Promise<LastState | undefined> | undefined;

  constructor(private readonly notes: StackNotes) {}

  /**
   * Whether object `id` is in the stack's state as the engine last wrote it (read once per run;
   * with checkpoints skipped that is the state before this run). Undefined when the state cannot
   * be read here: callers then take the record as a killed run's, as before this check existed.
   */
  async heldByLastState(id: string): Promise<boolean | undefined> {
    return (await this.lastState())?.ids.has(id);
  }

  /** The stack's state as last written (read once per run); undefined when it cannot be read. */
  lastState(): Promise<LastState | undefined> {
    this.#lastState ??= this.notes.lastWrittenState().then(readCheckpoint, () => undefined);
    return this.#lastState;
  }

  /**
   * The records of objects made by runs whose state was never written: each names an object the
   * last written state does not hold, noted after that state was written. What a `destroy` that
   * follows a killed `up` must delete too. An object removed from the state on purpose
   * (`pulumi state delete`, to hand it to another stack) was noted before that state was
   * written, so it is never among them. None when the state cannot be read.
   */
  async madeByDeadRuns(): Promise<CreateRecord[]> {
    const last = await this.lastState();
    if (!last) return [];
    const found: CreateRecord[] = [];
    for (const text of (await this.notes.list(PREFIX)).values()) {
      try {
        const record = JSON.parse(text) as CreateRecord;
        const notedAt = Date.parse(record.at);
        if (record.id && !last.ids.has(record.id) && (last.writtenAt === undefined || notedAt > last.writtenAt)) found.push(record);
      } catch {
        // A record cut short names no object.
      }
    }
    return found;
  }

  async find(key: string): Promise<CreateRecord | undefined> {
    const text = await this.notes.read(PREFIX + key);
    if (!text) return undefined;
    try {
      return JSON.parse(text) as CreateRecord;
    } catch {
      return undefined;
    }
  }

  /** Notes, durably, that a create with `key` is about to be sent. */
  intend(key: string, record: Omit<CreateRecord, "id">): Promise<void> {
    return this.notes.write(PREFIX + key, JSON.stringify(record));
  }

  /** Notes, durably, the object a create with `key` made (or took over). */
  async made(key: string, record: CreateRecord & { id: string }): Promise<void> {
    await this.notes.write(PREFIX + key, JSON.stringify(record));
    if (!this.#index) return;
    const { byId, byKey, replaced } = await this.#index;
    const before = byKey.get(key);
    if (before !== undefined && byId.get(before) === key) byId.delete(before);
    byId.set(record.id, key);
    byKey.set(key, record.id);
    if (record.replacing) replaced.add(record.replacing);
  }

  /** Whether some record notes `replacing: id` (the journal is listed once per run). */
  async isReplaced(id: string): Promise<boolean> {
    return (await this.index()).replaced.has(id);
  }

  /**
   * Whether a run killed before its state was written began replacing object `id` (in the last
   * written state) under `key`: the record of `key` notes `replacing: id`, and the new object it
   * names, if any, is not in that state. The next run then finishes the replacement, with or
   * without `--replace` (the provider's diff reports it; the create takes the new object over).
   * One listing per run: a diff of an object no record replaces reads nothing more.
   */
  async replacementBegun(key: string, id: string): Promise<boolean> {
    if (!(await this.isReplaced(id))) return false;
    const record = await this.find(key);
    if (record?.replacing !== id) return false;
    // No id: killed before the new object was noted; the create looks for it (or makes it).
    if (!record.id) return true;
    return (await this.heldByLastState(record.id)) === false;
  }

  /**
   * Drops the record of object `id`, deleted: no retry can need it any more (a create retried
   * after this finds no record and makes the object anew, as it should).
   */
  async forgetObject(id: string): Promise<void> {
    const { byId, byKey } = await this.index();
    const key = byId.get(id);
    if (key === undefined) return;
    byId.delete(id);
    byKey.delete(key);
    await this.notes.remove(PREFIX + key);
  }

  /** Every id a record of this journal holds (read once per run). */
  async claimedIds(): Promise<Set<string>> {
    return new Set((await this.index()).byId.keys());
  }

  private index() {
    this.#index ??= this.notes.list(PREFIX).then((records) => {
      const byId = new Map<string, string>();
      const byKey = new Map<string, string>();
      const replaced = new Set<string>();
      for (const [name, text] of records) {
        try {
          const { id, replacing } = JSON.parse(text) as CreateRecord;
          if (id) {
            byId.set(id, name.slice(PREFIX.length));
            byKey.set(name.slice(PREFIX.length), id);
          }
          if (replacing) replaced.add(replacing);
        } catch {
          // A record cut short holds no id.
        }
      }
      return { byId, byKey, replaced };
    });
    return this.#index;
  }
}

/** An object as a kind lists it: enough to recognise one a killed run made. */
export interface Listed {
  id: string;
  name?: string;
  created_at?: string;
}

/**
 * The object a killed run's create most likely made: same name, made since the intent (less the
 * clock skew), claimed by no record. The oldest, when several.
 */
export function madeByKilledRun(record: CreateRecord, listed: readonly Listed[], claimed: ReadonlySet<string>): Listed | undefined {
  const since = Date.parse(record.at) - CLOCK_SKEW_MS;
  return listed
    .filter((o) => o.name === record.name && !claimed.has(o.id))
    .filter((o) => !o.created_at || !Number.isFinite(since) || Date.parse(o.created_at) >= since)
    .sort((a, b) => (a.created_at ?? "").localeCompare(b.created_at ?? ""))[0];
}
