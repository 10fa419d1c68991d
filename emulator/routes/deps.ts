/** What route modules need from the emulator. */
import type { GcsBuckets } from "../gcs/buckets";
import type { RunEngine } from "../runs";
import type { Store } from "../store/store";
import type { AnswerForm } from "../answerForm";

export interface RouteDeps {
  store: Store;
  buckets: GcsBuckets;
  runs: RunEngine;
  organizationId: string;
  /** How long a connection's schema stays "refreshing" after a create, update or refresh. */
  schemaReadyDelayMs: number;
  /** Where Polytomic's docs and SDK disagree, which one the answers follow. */
  answerForm: AnswerForm;
}

/** Timestamps as the API writes them (RFC 3339, UTC). */
export const timestamp = (at: number = Date.now()) => new Date(at).toISOString();
