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
 */
import type { StackNotes } from "./stackNotes";

export interface CreateRecord {
  kind: string;
  name?: string;
  /** When the intent was noted (ISO 8601, this machine's clock). */
  at: string;
  id?: string;
}

/** How far a server's `created_at` may run behind this machine's clock. */
export const CLOCK_SKEW_MS = 10 * 60 * 1000;

const PREFIX = "creates/";

export class CreateJournal {
  #claimed: Promise<Set<string>> | undefined;

  constructor(private readonly notes: StackNotes) {}

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
    (await this.#claimed)?.add(record.id);
  }

  /** Every id a record of this journal holds (read once per run). */
  claimedIds(): Promise<Set<string>> {
    this.#claimed ??= this.notes.list(PREFIX).then((records) => {
      const ids = new Set<string>();
      for (const text of records.values()) {
        try {
          const id = (JSON.parse(text) as CreateRecord).id;
          if (id) ids.add(id);
        } catch {
          // A record cut short holds no id.
        }
      }
      return ids;
    });
    return this.#claimed;
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
