/** What route modules need from the emulator. */
import type { GcsBuckets } from "../gcs/buckets";
import type { RunEngine } from "../runs";
import type { Store } from "../store/store";
import type { answers } from "../../contract";
import type { AnswerForm } from "../answerForm";
import type { UrlMap } from "../csvUrl/source";

export interface RouteDeps {
  store: Store;
  buckets: GcsBuckets;
  runs: RunEngine;
  organizationId: string;
  /** How long a connection's schema stays "refreshing" after a create, update or refresh. */
  schemaReadyDelayMs: number;
  /** Where Polytomic's docs and SDK disagree, which one the answers follow. */
  answerForm: AnswerForm;
  /** What the answers fill in beyond the request: the rules of contract/answers.ts, or a superset of them. */
  answerFill: answers.AnswerFill;
  /** URL prefixes fetched from elsewhere (offline tests: a local copy of a public file); none when omitted. */
  urlMap?: UrlMap;
}

/** Timestamps as the API writes them (RFC 3339, UTC). */
export const timestamp = (at: number = Date.now()) => new Date(at).toISOString();
