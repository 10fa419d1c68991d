/** Stored syncs as several routes need them: lookup, deletion with their runs, the served shape. */
import { answers, type syncs } from "../../contract";
import { notFound } from "../http/errors";
import type { RunEngine } from "../runs";
import type { EmulatorState, StoredSync } from "../store/state";
import type { Store } from "../store/store";

/** The organization's sync with this id, or a 404 (another organization's syncs do not exist for it). */
export function findSync(state: EmulatorState, id: string, organizationId: string): StoredSync {
  const sync = state.syncs[id];
  if (!sync || sync.organization_id !== organizationId) throw notFound("sync", id);
  return sync;
}

/** Deletes syncs, cancelling a running execution first and dropping their history. */
export function deleteSyncs(store: Store, runs: RunEngine, ids: readonly string[]): void {
  for (const id of ids) {
    if (!store.state.syncs[id]) continue;
    runs.cancel(id);
    runs.forgetSync(id);
    delete store.state.syncs[id];
  }
  if (ids.length > 0) store.changed();
}

/**
 * The sync as served: never the passphrase, never `target.create` (both write-only), the override
 * fields after the sent fields, without a source (answers.ts `override_fields`), the server's
 * defaults filled in (contract/answers.ts).
 */
export function syncShape(sync: StoredSync, fill: answers.AnswerFill): syncs.Sync {
  const { encryption_passphrase: _passphrase, override_fields: overrideFields, ...served } = sync;
  const { create: _create, ...target } = sync.target;
  const fields = [...sync.fields, ...(overrideFields ?? [])];
  return answers.fillAnswer("sync", { ...served, target, fields }, fill);
}
