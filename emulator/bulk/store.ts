/** Stored bulk syncs as several routes need them: lookup, deletion with their executions, the served shape. */
import { answers, type bulkSyncs } from "../../contract";
import { notFound } from "../http/errors";
import { servedAtLeast } from "../http/version";
import type { EmulatorState, StoredBulkSync } from "../store/state";
import type { Store } from "../store/store";

/** The version that replaced `schedule` with `default_schedule` and `additional_schedules` (polytomic-api.md 1.3). */
export const SCHEDULES_VERSION = "2025-09-18";

/** The organization's bulk sync with this id, or a 404 (another organization's do not exist for it). */
export function findBulkSync(state: EmulatorState, id: string, organizationId: string): StoredBulkSync {
  const sync = state.bulkSyncs[id];
  if (!sync || sync.organization_id !== organizationId) throw notFound("bulk sync", id);
  return sync;
}

/** Deletes bulk syncs with their executions (a connection deleted with force=true takes its bulk syncs along). */
export function deleteBulkSyncs(store: Store, ids: readonly string[]): void {
  for (const id of ids) {
    delete store.state.bulkSyncs[id];
    delete store.state.bulkExecutions[id];
  }
  if (ids.length > 0) store.changed();
}

/**
 * The bulk sync as served at `version`: without its schemas (served by `/schemas`), its
 * schedules in that version's form, the server's defaults filled in (contract/answers.ts).
 */
export function bulkSyncShape(sync: StoredBulkSync, version: string, fill: answers.AnswerFill): bulkSyncs.BulkSync {
  const { schemas: _schemas, default_schedule, additional_schedules, ...rest } = sync;
  const filled = answers.fillAnswer("bulkSync", rest, fill);
  if (servedAtLeast(version, SCHEDULES_VERSION)) return { ...filled, default_schedule, additional_schedules };
  const { id: _id, ...schedule } = default_schedule;
  const { additional_schedules: _additional, ...older } = filled as typeof filled & { additional_schedules?: unknown };
  return { ...older, schedule };
}
