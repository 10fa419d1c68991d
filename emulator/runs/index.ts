/**
 * The emulator's run engine: what happens after `POST /api/syncs/{id}/executions`. A run streams
 * the model's rows (a CSV, or a SQL query's result), maps each row to the sync's fields, sends the
 * records that are new or changed since the last successful run in gzip batches to the webhook or
 * writes them through a sink (a table: emulator/postgres/tableTarget.ts), and reports `sync.*` events.
 */
import * as crypto from "node:crypto";
import * as path from "node:path";
import { syncs, type events, type models } from "../../contract";
import { readJsonFile, writeFileAtomic } from "./atomic";
import { readCsvRows, type CsvOptions } from "../gcs/csv";
import { deliverBatch, type DeliveryTarget } from "./delivery";
import { EventLog, EventSender, type OrgWebhookTarget } from "./events";
import { hashKey, HashStore, type HashSet } from "./hashes";
import { RecordLogs, type RecordLogWriter } from "./recordLogs";
import { mapRecord, recordHash } from "./records";
import type { AnswerForm } from "../answerForm";

export { normalizeFieldName, recordHash } from "./records";
export { signBody } from "./events";

export class RunAlreadyActiveError extends Error {
  constructor(syncId: string) {
    super(`sync ${syncId} is already running`);
  }
}

/**
 * Where a run's records go when it is not a webhook: a table (emulator/postgres/tableTarget.ts).
 * The sink maps each source row to its record and tells what each batch did.
 */
export interface RecordSink {
  /** The record a source row becomes (its keys are the target's fields). */
  mapRow(row: Record<string, unknown>): Record<string, unknown>;
  /** Every row goes every run (mode `replace`), not only the new or changed ones. */
  writesAll: boolean;
  /** Before the first batch (e.g. `replace` empties the table): answers the records it deleted. */
  open(): Promise<{ deleted: number }>;
  /** Writes one batch; `refused` lists the hashes of the records the target refused (sent again next run). */
  write(
    records: readonly events.DeliveredRecord[],
    signal: AbortSignal,
  ): Promise<{ inserted: number; updated: number; deleted: number; refused: string[] }>;
  /** After the last batch, or after a failure: `ok` says which (e.g. commit or roll back). */
  close(ok: boolean): Promise<void>;
}

export interface RunInput {
  sync: syncs.Sync;
  model: models.Model;
  /** The model's rows: a CSV file read with `csv`, or `rows` (a SQL query's result). */
  csvPath?: string;
  csv?: CsvOptions;
  rows?: (signal: AbortSignal) => AsyncIterable<Record<string, unknown>>;
  /** A webhook connection (deliveries of `sync.records`), or a sink that writes the records itself. */
  target: DeliveryTarget | RecordSink;
  trigger: "api";
}

const isSink = (target: RunInput["target"]): target is RecordSink => "write" in target;

/** The rows of a run's source. */
function sourceRows(input: RunInput, signal: AbortSignal): AsyncIterable<Record<string, unknown>> {
  if (input.rows) return input.rows(signal);
  if (input.csvPath && input.csv) return readCsvRows(input.csvPath, input.csv, signal);
  throw new Error(`sync ${input.sync.id}: the run has no source rows`);
}

export interface RunEngineDeps {
  /** Executions, events and hashes persist under <dataDir>/runs; in memory when omitted. */
  dataDir?: string;
  /** The event webhook of an organization, if it has one. */
  orgWebhook: (organizationId: string) => OrgWebhookTarget | undefined;
  log?: (line: string) => void;
  userAgent?: string;
  /** First retry delay of event deliveries (doubles each time). Default 1000 ms. */
  retryBaseMs?: number;
  /** Which form events name the sync in (`name` for the docs, `sync_name` for the SDK). Default docs. */
  answerForm?: AnswerForm;
  /** The API's public base URL, for the record-log links of `sync.completed`. */
  publicUrl?: () => string;
}

export type RunEngine = ReturnType<typeof createRunEngine>;

export function createRunEngine(deps: RunEngineDeps) {
  const dir = deps.dataDir ? path.join(deps.dataDir, "runs") : undefined;
  const log = deps.log ?? (() => undefined);
  const userAgent = deps.userAgent ?? "Polytomic-Emulator/1.0";
  const executionsFile = dir ? path.join(dir, "executions.json") : undefined;
  // Newest last, per sync.
  const executions: Record<string, syncs.Execution[]> = executionsFile ? readJsonFile(executionsFile, {}) : {};
  const hashes = new HashStore(dir);
  const eventLog = new EventLog(dir);
  const recordLogs = new RecordLogs(dir);
  const answerForm = deps.answerForm ?? "docs";
  const logUrl = (syncId: string, executionId: string, name: string) =>
    `${deps.publicUrl?.() ?? ""}/api/syncs/${syncId}/executions/${executionId}/records/${name}`;
  const sender = new EventSender({ retryBaseMs: deps.retryBaseMs ?? 1000, userAgent, log });
  const running = new Map<string, { controller: AbortController; done: Promise<void>; executionId: string }>();

  // A run cut short by a stop (or a crash) cannot go on after a restart.
  for (const list of Object.values(executions)) {
    for (const e of list) if (!syncs.TERMINAL_EXECUTION_STATUSES.includes(e.status)) Object.assign(e, { status: "interrupted", completed_at: now() });
  }

  const persist = () => {
    if (executionsFile) writeFileAtomic(executionsFile, JSON.stringify(executions));
  };

  const emit = (type: events.EventType, sync: syncs.Sync, execution: syncs.Execution, extra: Record<string, unknown>) => {
    // Syncs read over the API always carry their organization.
    const organizationId = sync.organization_id as string;
    const event: events.Event = {
      id: crypto.randomUUID(),
      type,
      organization_id: organizationId,
      created_at: now(),
      event: {
        execution_id: execution.id,
        organization_id: organizationId,
        sync_id: sync.id,
        ...(answerForm === "sdk" ? { sync_name: sync.name } : { name: sync.name }),
        target_connection_id: sync.target.connection_id,
        ...extra,
      },
    };
    eventLog.add(event);
    sender.send(deps.orgWebhook(organizationId), event);
  };

  async function execute(input: RunInput, execution: syncs.Execution, recordLog: RecordLogWriter, signal: AbortSignal): Promise<void> {
    const { sync } = input;
    // A source may name its field by id; rows are keyed by name.
    const fieldNames = new Map(input.model.fields.flatMap((f) => [[f.id, f.name] as const, [f.name, f.name] as const]));
    const counts = execution.counts as syncs.ExecutionCounts;
    const batchSize = Number(input.sync.target.configuration?.batch_size ?? syncs.DEFAULT_BATCH_SIZE);
    const metadata = input.sync.target.configuration?.metadata ?? null;
    const firstRun = !(executions[sync.id] ?? []).some((e) => e.status === "completed");
    const previous = hashes.load(sync.id);
    const seen: HashSet = new Set();
    const sink = isSink(input.target) ? input.target : undefined;
    const sendAll = sync.sync_all_records === true || sink?.writesAll === true;
    const backfill = !(firstRun && sync.skip_initial_backfill === true);
    let batch: events.DeliveredRecord[] = [];

    const flush = async () => {
      if (batch.length === 0) return;
      if (sink) {
        const done = await sink.write(batch, signal);
        counts.insert += done.inserted;
        counts.update += done.updated;
        counts.delete += done.deleted;
        counts.upserts += done.inserted + done.updated;
        counts.error += done.refused.length;
        // Not written: not remembered as sent, so the next run tries them again.
        for (const hash of done.refused) seen.delete(hashKey(hash));
      } else {
        const target = input.target as DeliveryTarget;
        await deliverBatch(target, { event: "sync.records", object: { id: sync.id, name: sync.name, records: batch, metadata } }, { userAgent, signal });
        counts.upserts += batch.length;
      }
      recordLog.append(batch);
      batch = [];
    };

    const readRows = async () => {
      for await (const row of sourceRows(input, signal)) {
        counts.total += 1;
        const fields = sink ? sink.mapRow(row) : mapRecord(row, sync.fields, fieldNames);
        const hash = recordHash(fields);
        const key = hashKey(hash);
        if (seen.has(key)) continue;
        seen.add(key);
        if (sendAll || (backfill && !previous.has(key))) {
          batch.push({ hash, fields });
          if (batch.length >= batchSize) await flush();
        }
      }
      if (signal.aborted) throw signal.reason;
      await flush();
    };

    let ok = false;
    try {
      if (sink) counts.delete += (await sink.open()).deleted;
      await readRows();
      ok = true;
    } finally {
      await sink?.close(ok);
    }
    hashes.save(sync.id, seen);
  }

  function finish(input: RunInput, execution: syncs.Execution, recordLog: RecordLogWriter, outcome: { error?: unknown; canceled?: boolean }) {
    const { sync } = input;
    recordLog.close();
    // Webhook records carry no identity, so none is told apart as inserted or updated: every
    // delivered record is in the total log, and the other two links are null.
    const totalRecords = recordLog.count > 0 ? [logUrl(sync.id, execution.id, recordLog.name)] : null;
    const counts = execution.counts as syncs.ExecutionCounts;
    execution.completed_at = now();
    if (outcome.canceled) {
      execution.status = "canceled";
      emit("sync.canceled", sync, execution, { status: "canceled" });
    } else if (outcome.error !== undefined) {
      const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
      execution.status = "failed";
      execution.errors = [message];
      emit("sync.failed", sync, execution, { error: message });
    } else {
      execution.status = "completed";
      // Records a target refused are counted, and the run says so (the documented event type).
      emit(counts.error > 0 ? "sync.completed_with_errors" : "sync.completed", sync, execution, {
        status: "completed",
        trigger: "api",
        record_count: counts.upserts,
        inserted_count: counts.insert,
        updated_count: counts.update,
        upserted_count: counts.upserts,
        error_count: counts.error,
        warning_count: counts.warnings,
        warnings: [],
        total_records: totalRecords,
        inserted_records: null,
        updated_records: null,
      });
    }
    persist();
    log(`run ${execution.id} of sync ${sync.id}: ${execution.status} (${counts.upserts} of ${counts.total} records sent)`);
  }

  return {
    start(input: RunInput): syncs.Execution {
      const syncId = input.sync.id;
      if (running.has(syncId)) throw new RunAlreadyActiveError(syncId);
      const startedAt = now();
      const execution: syncs.Execution = {
        id: crypto.randomUUID(),
        status: "running",
        type: "normal",
        created_at: startedAt,
        started_at: startedAt,
        completed_at: null,
        counts: { insert: 0, update: 0, delete: 0, upserts: 0, total: 0, error: 0, warnings: 0 },
        errors: [],
      };
      (executions[syncId] ??= []).push(execution);
      persist();
      emit("sync.running", input.sync, execution, {});
      const controller = new AbortController();
      const recordLog = recordLogs.open(syncId, execution.id);
      const done = execute(input, execution, recordLog, controller.signal).then(
        () => finish(input, execution, recordLog, {}),
        (error) => finish(input, execution, recordLog, controller.signal.aborted ? { canceled: true } : { error }),
      ).finally(() => running.delete(syncId));
      running.set(syncId, { controller, done, executionId: execution.id });
      return { ...execution };
    },

    execution(syncId: string, executionId: string): syncs.Execution | undefined {
      const found = executions[syncId]?.find((e) => e.id === executionId);
      return found && structuredClone(found);
    },

    executions(syncId: string): syncs.Execution[] {
      return structuredClone([...(executions[syncId] ?? [])].reverse());
    },

    status(syncId: string): { current_execution?: syncs.Execution; last_execution?: syncs.Execution } {
      const list = executions[syncId] ?? [];
      const current = list.find((e) => !syncs.TERMINAL_EXECUTION_STATUSES.includes(e.status));
      const last = [...list].reverse().find((e) => syncs.TERMINAL_EXECUTION_STATUSES.includes(e.status));
      return { current_execution: current && structuredClone(current), last_execution: last && structuredClone(last) };
    },

    cancel(syncId: string, executionId?: string): syncs.Execution | undefined {
      const run = running.get(syncId);
      if (!run || (executionId && run.executionId !== executionId)) return undefined;
      run.controller.abort(new Error("canceled"));
      const execution = executions[syncId]?.find((e) => e.id === run.executionId);
      if (execution) execution.status = "canceling";
      return execution && structuredClone(execution);
    },

    /**
     * Records an event that happened elsewhere (a bulk sync's run: emulator/bulk/runner.ts) and
     * sends it to the organization's webhook, as this engine's own are. `payload` names the sync
     * under `name` (docs) or `sync_name` (SDK), as the engine's answer form says.
     */
    publish(type: events.EventType, organizationId: string, syncName: string, payload: Record<string, unknown>): void {
      const event: events.Event = {
        id: crypto.randomUUID(),
        type,
        organization_id: organizationId,
        created_at: now(),
        event: { organization_id: organizationId, ...(answerForm === "sdk" ? { sync_name: syncName } : { name: syncName }), ...payload },
      };
      eventLog.add(event);
      sender.send(deps.orgWebhook(organizationId), event);
    },

    listEvents(query: { type?: string; starting_after?: string; ending_before?: string; limit?: number; organization_id?: string }): events.Event[] {
      return eventLog.list(query);
    },

    forgetSync(syncId: string): void {
      running.get(syncId)?.controller.abort(new Error("sync deleted"));
      delete executions[syncId];
      hashes.forget(syncId);
      recordLogs.forget(syncId);
      persist();
    },

    /** The file of a record log an execution of the sync wrote, if any. */
    recordLogFile(syncId: string, executionId: string, name: string): string | undefined {
      return recordLogs.file(syncId, executionId, name);
    },

    /** Tests: resolves once every started run has ended and every event delivery settled. */
    async idle(): Promise<void> {
      await Promise.allSettled([...running.values()].map((r) => r.done));
      await sender.idle();
    },

    async stop(): Promise<void> {
      for (const run of running.values()) run.controller.abort(new Error("emulator stopping"));
      await Promise.allSettled([...running.values()].map((r) => r.done));
      await sender.stop();
      persist();
      recordLogs.dispose();
    },
  };
}

const now = () => new Date().toISOString();
