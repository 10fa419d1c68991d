/**
 * Bulk-sync executions: `POST /api/bulk/syncs/{id}/executions` starts one, which runs in the
 * background (`created` -> `running` -> `completed` / `failed`) and is kept with the bulk sync
 * (`state.bulkExecutions`), newest last.
 *
 * What runs: `replicate` from a `postgresql` source to a `postgresql` destination copies the
 * enabled schemas for real (replicate.ts); the execution's `record_count` is the rows written and
 * each schema reports its own. Any other pairing has no data path in the emulator: its execution
 * fails at once with a status message that says so, as an API unable to reach the systems would.
 */
import { randomUUID } from "node:crypto";
import { bulkSyncs, type events } from "../../contract";
import type { StoredBulkSync, StoredConnection } from "../store/state";
import type { Store } from "../store/store";
import { copySchema, type CopyOutcome } from "./replicate";
import { postgresSettings, withPostgres } from "../postgres/connect";
import { readSchemas } from "../postgres/schemas";
import { describeTable } from "./postgres";
import { discover } from "./schemas";

const now = () => new Date().toISOString();

export interface StartOptions {
  /** Only these schemas (ids); all enabled schemas when empty. */
  schemas?: string[];
  /** A test execution checks the configuration and writes nothing (TS `StartBulkSyncRequest.test`). */
  test?: boolean;
}

/** Where a run's `bulk_sync.*` events go (the run engine's event log and the org webhook). */
export interface EventSink {
  publish(type: events.EventType, organizationId: string, syncName: string, payload: Record<string, unknown>): void;
}

/** The executions running now, by bulk sync id: a second start while one runs is refused (409). */
const running = new Map<string, { done: Promise<void>; controller: AbortController; execution: bulkSyncs.BulkExecution }>();

export const isRunning = (syncId: string) => running.has(syncId);

/**
 * The sync's executions, newest last. One left unfinished by an emulator that stopped (nothing
 * runs it any more) reads as `interrupted` (TS `BulkExecutionStatus`).
 */
export function executionsOf(store: Store, syncId: string): bulkSyncs.BulkExecution[] {
  const list = store.state.bulkExecutions[syncId] ?? [];
  if (!isRunning(syncId)) {
    for (const execution of list) {
      if (!bulkSyncs.TERMINAL_BULK_STATUSES.includes(execution.status)) finish(store, execution, "interrupted", "the emulator stopped during the run");
    }
  }
  return list;
}

/** Waits for every running execution (tests, shutdown). */
export const settled = () => Promise.all([...running.values()].map((r) => r.done)).then(() => undefined);

/**
 * Asks the running execution of a sync (or only `executionId`) to stop: it reads `canceling`, ends
 * the table it is copying (each table is one transaction), copies no other, and ends `canceled`
 * (TS `bulkSync.cancel`, `executions.cancel`: cancellation is asynchronous). Undefined when nothing runs.
 */
export function cancelExecution(store: Store, syncId: string, executionId?: string): bulkSyncs.BulkExecution | undefined {
  const current = running.get(syncId);
  if (!current || (executionId !== undefined && current.execution.id !== executionId)) return undefined;
  current.controller.abort();
  Object.assign(current.execution, { status: "canceling", updated_at: now() });
  store.changed();
  return structuredClone(current.execution);
}

/** Starts an execution and returns it as created; the work goes on in the background. */
export function startExecution(store: Store, sync: StoredBulkSync, options: StartOptions, sink?: EventSink): bulkSyncs.BulkExecution {
  const execution: bulkSyncs.BulkExecution = {
    id: randomUUID(),
    status: "created",
    type: "manual",
    is_test: options.test ?? false,
    is_resync: false,
    is_partial: (options.schemas?.length ?? 0) > 0,
    record_count: 0,
    error_count: 0,
    warning_count: 0,
    schemas: [],
    created_at: now(),
    started_at: null,
    completed_at: null,
    updated_at: now(),
  };
  (store.state.bulkExecutions[sync.id] ??= []).push(execution);
  store.changed();
  // `bulk_sync.*` events (docs /guides/events; payload: polytomic-api.md 2.5): running, then the outcome.
  const publish = (type: events.EventType, extra: Record<string, unknown> = {}) =>
    sink?.publish(type, sync.organization_id, sync.name, {
      execution_id: execution.id,
      sync_id: sync.id,
      source_connection_id: sync.source_connection_id,
      destination_connection_id: sync.destination_connection_id,
      trigger_source: "api",
      ...extra,
    });
  publish("bulk_sync.running");
  const controller = new AbortController();
  const work = run(store, sync, execution, options, controller.signal)
    .catch((error: unknown) => finish(store, execution, "failed", messageOf(error)))
    .then(() => {
      const error = execution.status_message ?? "";
      if (execution.status === "completed") publish("bulk_sync.completed");
      else if (execution.status === "canceled") publish("bulk_sync.canceled");
      else if (execution.status === "errors") publish("bulk_sync.completed_with_error", { error });
      else publish("bulk_sync.failed", { error });
    })
    .finally(() => running.delete(sync.id));
  running.set(sync.id, { done: work, controller, execution });
  return structuredClone(execution);
}

async function run(store: Store, sync: StoredBulkSync, execution: bulkSyncs.BulkExecution, options: StartOptions, signal: AbortSignal): Promise<void> {
  await Promise.resolve();
  if (signal.aborted) return finish(store, execution, "canceled");
  Object.assign(execution, { status: "running", started_at: now(), updated_at: now() });
  store.changed();
  const source = store.state.connections[sync.source_connection_id];
  const destination = store.state.connections[sync.destination_connection_id];
  const noPath = whyNoDataPath(sync, source, destination);
  if (noPath) return finish(store, execution, "failed", noPath);
  const destinationSchema = String(sync.destination_configuration?.schema ?? "public");
  const outcomes: CopyOutcome[] = await withPostgres(postgresSettings(source!.configuration), (from) =>
    withPostgres(postgresSettings(destination!.configuration), async (to) => {
      const offered = await readSchemas(from);
      if (discover(sync, offered)) store.changed();
      const selected = sync.schemas.filter((s) => s.enabled !== false && (!options.schemas?.length || options.schemas.includes(s.id)));
      const results: CopyOutcome[] = [];
      for (const schema of selected) {
        if (signal.aborted) break;
        const found = offered.find((t) => t.id === schema.id);
        const table = found ? await describeTable(from, found) : undefined;
        if (!table) {
          results.push({ schema: schema.id, output_name: schema.output_name ?? schema.id, record_count: 0, error: `schema ${schema.id}: no longer in the source` });
        } else if (options.test) {
          results.push({ schema: schema.id, output_name: schema.output_name ?? schema.id, record_count: 0 });
        } else {
          results.push(await copySchema(from, to, table, schema, destinationSchema));
        }
      }
      return results;
    }),
  );
  const at = now();
  execution.schemas = outcomes.map((o) => ({
    schema: o.schema,
    output_name: o.output_name,
    status: o.error ? "failed" : "completed",
    ...(o.error ? { status_message: o.error } : {}),
    record_count: o.record_count,
    error_count: o.error ? 1 : 0,
    warning_count: 0,
    created_at: execution.created_at,
    started_at: execution.started_at,
    completed_at: at,
  }));
  execution.record_count = outcomes.reduce((sum, o) => sum + o.record_count, 0);
  execution.error_count = outcomes.filter((o) => o.error).length;
  const failed = outcomes.filter((o) => o.error);
  // TS `BulkExecutionStatus`: "errors" when some schemas failed and others did not.
  const status = signal.aborted ? "canceled" : failed.length === 0 ? "completed" : failed.length === outcomes.length ? "failed" : "errors";
  finish(store, execution, status, failed.map((o) => o.error).join("; ") || undefined);
}

/** Why the emulator cannot run this bulk sync's data, or undefined when it can. */
function whyNoDataPath(sync: StoredBulkSync, source?: StoredConnection, destination?: StoredConnection): string | undefined {
  if (!source || !destination) return "the source or destination connection no longer exists";
  if (source.type !== "postgresql" || destination.type !== "postgresql") {
    return `the emulator runs bulk syncs between postgresql connections only (this one: ${source.type} to ${destination.type}); no data was moved`;
  }
  if ((sync.mode ?? "replicate") !== "replicate") return `the emulator runs mode "replicate" only (this sync: ${sync.mode}); no data was moved`;
  return undefined;
}

function finish(store: Store, execution: bulkSyncs.BulkExecution, status: bulkSyncs.BulkExecutionStatus, message?: string): void {
  Object.assign(execution, { status, completed_at: now(), updated_at: now(), ...(message ? { status_message: message } : {}) });
  store.changed();
}

/** The driver's message names hosts, users and databases, never a password. */
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
