/**
 * Bulk syncs: `/api/bulk/syncs[/{id}]`, `/activate`, `/schemas[/{schema_id}]`, `/schedules[/{id}]`,
 * `/executions[/{id}]`, `/status`, and a connection's `/bulksync/target` (its `/bulksync/source` is routes/schemas.ts).
 * Routes: polytomic-typescript `src/api/resources/bulkSync/**` (the same in the 1.18.1 SDK).
 *
 * Versions: before 2025-09-18 a bulk sync has one `schedule`; from 2025-09-18 it has
 * `default_schedule` (required) and `additional_schedules` (polytomic-api.md 1.3, the migration
 * guide). The emulator keeps both as `default_schedule` + `additional_schedules`: an update in the
 * older form (Polytomic's Terraform provider pins 2024-02-08) sets the default schedule and keeps
 * the additional ones, which that version cannot see.
 */
import { randomUUID } from "node:crypto";
import { type Context, Hono } from "hono";
import { z } from "zod";
import { bulkSyncs } from "../../contract";
import { queryBoolean, readBody } from "../http/body";
import { organizationOf } from "../http/caller";
import type { AppEnv } from "../http/context";
import { conflict, notFound, unprocessable } from "../http/errors";
import { servedAtLeast } from "../http/version";
import { newObjectFields, replacedObjectFields } from "../resources/actor";
import { connectionType } from "../resources/connectionTypes";
import { checkOrganization } from "../resources/organization";
import { allOwnedBy, ownedBy } from "../resources/owned";
import type { StoredBulkSync, StoredConnection } from "../store/state";
import { bulkDestination, destinationModes, sourceSchemas } from "../bulk/endpoints";
import { cancelExecution, executionsOf as executionsOfSync, isRunning, startExecution } from "../bulk/runner";
import { listedSchema, resolveSchemas } from "../bulk/schemas";
import { bulkSyncShape, deleteBulkSyncs, findBulkSync, SCHEDULES_VERSION } from "../bulk/store";
import { type RouteDeps, timestamp } from "./deps";
import { byUpdateDescending } from "./order";

const Activate = z.object({ active: z.boolean() });
const PatchSchemas = z.object({ schemas: z.array(bulkSyncs.SchemaConfiguration).optional() });

export function bulkSyncRoutes(deps: RouteDeps): Hono<AppEnv> {
  const { store } = deps;
  const app = new Hono<AppEnv>();
  const newest = (c: Context<AppEnv>) => servedAtLeast(c.get("apiVersion"), SCHEDULES_VERSION);
  const shape = (c: Context<AppEnv>, sync: StoredBulkSync) => bulkSyncShape(sync, c.get("apiVersion"), deps.answerFill);
  const find = (c: Context<AppEnv>) => findBulkSync(store.state, c.req.param("id") ?? "", organizationOf(c));
  const connection = (c: Context<AppEnv>) => {
    const found = ownedBy(store.state.connections, c.req.param("id") ?? "", organizationOf(c));
    if (!found) throw notFound("connection", c.req.param("id") ?? "");
    return found;
  };

  app.get("/bulk/syncs", (c) => {
    const active = queryBoolean(c, "active");
    const matching = allOwnedBy(store.state.bulkSyncs, organizationOf(c))
      .filter((s) => active === undefined || (s.active ?? false) === active)
      .sort(byUpdateDescending)
      .map((s) => shape(c, s));
    // One page: the emulator's organizations are small (2025-09-18 answers a pagination object).
    return c.json(newest(c) ? { data: matching, pagination: {} } : { data: matching });
  });

  app.post("/bulk/syncs", async (c) => {
    const body = await readBody(c, bulkSyncs.BulkSyncRequest);
    const organizationId = organizationOf(c);
    const sync: StoredBulkSync = {
      ...(await replacement(deps, c, organizationId, body, undefined)),
      ...newObjectFields(organizationId, randomUUID(), timestamp()),
    };
    store.state.bulkSyncs[sync.id] = sync;
    store.changed();
    return c.json({ data: shape(c, sync) }, 200);
  });

  app.get("/bulk/syncs/:id", (c) => c.json({ data: shape(c, find(c)) }));

  app.put("/bulk/syncs/:id", async (c) => {
    const sync = find(c);
    const body = await readBody(c, bulkSyncs.BulkSyncRequest);
    const updated: StoredBulkSync = {
      ...(await replacement(deps, c, sync.organization_id, body, sync)),
      ...replacedObjectFields(sync, timestamp()),
    };
    store.state.bulkSyncs[sync.id] = updated;
    store.changed();
    return c.json({ data: shape(c, updated) }, 200);
  });

  app.delete("/bulk/syncs/:id", (c) => {
    deleteBulkSyncs(store, [find(c).id]);
    return c.json({}, 200);
  });

  app.post("/bulk/syncs/:id/activate", async (c) => {
    const sync = find(c);
    const body = await readBody(c, Activate);
    Object.assign(sync, { active: body.active, updated_at: timestamp() });
    store.changed();
    return c.json({ data: { id: sync.id, active: body.active } });
  });

  // ---- schemas -------------------------------------------------------------------------------
  app.get("/bulk/syncs/:id/schemas", (c) => {
    const enabled = queryBoolean(c, "filters[enabled]");
    const schemas = find(c).schemas.filter((s) => enabled === undefined || (s.enabled ?? true) === enabled);
    return c.json({ data: schemas.map((s) => listedSchema(s)) });
  });

  const findSchema = (c: Context<AppEnv>) => {
    const sync = find(c);
    const schemaId = c.req.param("schema_id") ?? "";
    const index = sync.schemas.findIndex((s) => s.id === schemaId);
    if (index < 0) throw notFound("schema", schemaId);
    return { sync, index };
  };

  app.get("/bulk/syncs/:id/schemas/:schema_id", (c) => {
    const { sync, index } = findSchema(c);
    return c.json({ data: sync.schemas[index] });
  });

  /** One schema's configuration, replaced (TS `schemas.update`, `UpdateBulkSchema`). */
  app.put("/bulk/syncs/:id/schemas/:schema_id", async (c) => {
    const { sync, index } = findSchema(c);
    const body = await readBody(c, bulkSyncs.UpdateBulkSchema);
    await reconfigure(sync, [{ ...body, id: sync.schemas[index].id }]);
    return c.json({ data: sync.schemas[index] });
  });

  /** Several schemas' configurations, matched by id; schemas not listed are left as they are (TS `schemas.patch`). */
  app.patch("/bulk/syncs/:id/schemas", async (c) => {
    const sync = find(c);
    const body = await readBody(c, PatchSchemas);
    await reconfigure(sync, body.schemas ?? []);
    return c.json({ data: sync.schemas.map((s) => listedSchema(s)) });
  });

  /** Lays schema configurations over the sync's, checked against the source as on create. */
  const reconfigure = async (sync: StoredBulkSync, changes: bulkSyncs.SchemaConfiguration[]) => {
    for (const change of changes) {
      if (!sync.schemas.some((s) => s.id === change.id)) throw notFound("schema", change.id);
    }
    const source = store.state.connections[sync.source_connection_id];
    const tables = source ? await sourceSchemas(source) : undefined;
    const resolved = resolveSchemas(changes, tables?.filter((t) => changes.some((ch) => ch.id === t.id)));
    sync.schemas = sync.schemas.map((s) => resolved.find((r) => r.id === s.id) ?? s);
    sync.updated_at = timestamp();
    store.changed();
  };

  // ---- additional schedules (2025-09-18; Terraform does not manage them) ----------------------
  app.get("/bulk/syncs/:id/schedules", (c) => c.json({ data: find(c).additional_schedules }));

  app.post("/bulk/syncs/:id/schedules", async (c) => {
    const sync = find(c);
    const body = await readBody(c, bulkSyncs.AdditionalSchedule);
    const schedule = scheduleAnswer(body, undefined);
    sync.additional_schedules.push(schedule);
    store.changed();
    return c.json({ data: schedule }, 200);
  });

  const findSchedule = (c: Context<AppEnv>) => {
    const sync = find(c);
    const index = sync.additional_schedules.findIndex((s) => s.id === c.req.param("schedule_id"));
    if (index < 0) throw notFound("schedule", c.req.param("schedule_id") ?? "");
    return { sync, index };
  };
  app.get("/bulk/syncs/:id/schedules/:schedule_id", (c) => {
    const { sync, index } = findSchedule(c);
    return c.json({ data: sync.additional_schedules[index] });
  });
  app.put("/bulk/syncs/:id/schedules/:schedule_id", async (c) => {
    const { sync, index } = findSchedule(c);
    const body = await readBody(c, bulkSyncs.AdditionalSchedule);
    sync.additional_schedules[index] = scheduleAnswer(body, sync.additional_schedules[index]);
    store.changed();
    return c.json({ data: sync.additional_schedules[index] });
  });
  app.delete("/bulk/syncs/:id/schedules/:schedule_id", (c) => {
    const { sync, index } = findSchedule(c);
    sync.additional_schedules.splice(index, 1);
    store.changed();
    return c.json({}, 200);
  });

  // ---- executions ----------------------------------------------------------------------------
  app.post("/bulk/syncs/:id/executions", async (c) => {
    const sync = find(c);
    const body = await readBody(c, bulkSyncs.StartBulkSyncRequest, { optional: true });
    if (isRunning(sync.id)) throw conflict(`bulk sync ${sync.id} is already running`);
    for (const [i, id] of (body.schemas ?? []).entries()) {
      if (!sync.schemas.some((s) => s.id === id)) throw unprocessable(`schemas.${i}: bulk sync ${sync.id} has no schema "${id}"`, { field: `schemas.${i}` });
    }
    return c.json({ data: startExecution(store, sync, { schemas: body.schemas, test: body.test }, deps.runs) }, 200);
  });

  const executionsOf = (sync: StoredBulkSync) => executionsOfSync(store, sync.id);
  // Cancelling: the answer is a message (TS CancelBulkSyncResponse); nothing running is a 404 naming the execution.
  app.post("/bulk/syncs/:id/cancel", (c) => {
    const sync = find(c);
    if (!cancelExecution(store, sync.id)) throw notFound("running execution of bulk sync", sync.id);
    return c.json({ data: { message: "cancellation requested" } });
  });
  app.post("/bulk/syncs/:id/executions/:execution_id/cancel", (c) => {
    const sync = find(c);
    const executionId = c.req.param("execution_id");
    if (!cancelExecution(store, sync.id, executionId)) throw notFound("running execution", executionId);
    return c.json({ data: { message: "cancellation requested" } });
  });
  app.get("/bulk/syncs/:id/executions", (c) => c.json({ data: [...executionsOf(find(c))].reverse(), pagination: {} }));
  app.get("/bulk/syncs/:id/executions/:execution_id", (c) => {
    const execution = executionsOf(find(c)).find((e) => e.id === c.req.param("execution_id"));
    if (!execution) throw notFound("execution", c.req.param("execution_id"));
    return c.json({ data: execution });
  });
  app.get("/bulk/syncs/:id/status", (c) => {
    const list = executionsOf(find(c));
    const current = [...list].reverse().find((e) => !bulkSyncs.TERMINAL_BULK_STATUSES.includes(e.status));
    const last = [...list].reverse().find((e) => bulkSyncs.TERMINAL_BULK_STATUSES.includes(e.status));
    return c.json({ data: { current_execution: current ?? null, last_execution: last ?? null, next_execution_time: null } });
  });

  // ---- a connection's bulk-sync metadata -----------------------------------------------------
  app.get("/connections/:id/bulksync/target", (c) => c.json({ data: bulkDestination(connection(c)) }));

  return app;
}

/**
 * The bulk sync a create or full-replacement update describes, checked against the connections
 * it names and the source's schemas. Optional fields are kept as sent: one the request omits is
 * absent from the answer (or filled by the answer rules of contract/answers.ts).
 */
async function replacement(
  deps: RouteDeps,
  c: Context<AppEnv>,
  organizationId: string,
  body: bulkSyncs.BulkSyncRequest,
  previous: StoredBulkSync | undefined,
): Promise<Omit<StoredBulkSync, "id" | "organization_id" | "created_at" | "updated_at">> {
  checkOrganization(body.organization_id, organizationId);
  const source = connectionFor(deps, organizationId, body.source_connection_id, "source_connection_id", "bulksync_source");
  const destination = connectionFor(deps, organizationId, body.destination_connection_id, "destination_connection_id", "bulksync_target");
  const mode = body.mode ?? "replicate";
  if (!destinationModes(destination.type).includes(mode)) {
    throw unprocessable(`mode: a ${destination.type} destination does not support mode "${mode}" (it takes ${destinationModes(destination.type).join(", ")})`, {
      field: "mode",
    });
  }
  const newest = servedAtLeast(c.get("apiVersion"), SCHEDULES_VERSION);
  const schedule = newest ? body.default_schedule : body.schedule;
  if (!schedule) {
    const [name, other] = newest ? ["default_schedule", "schedule"] : ["schedule", "default_schedule"];
    const hint = body[other as "schedule"] ? ` (\`${other}\` is the other API version's name: ${SCHEDULES_VERSION} replaced schedule with default_schedule)` : "";
    throw unprocessable(`${name}: required${hint}`, { field: name });
  }
  const schemas = resolveSchemas(body.schemas, await sourceSchemas(source));
  const {
    organization_id: _organization,
    schedule: _schedule,
    default_schedule: _default,
    additional_schedules: additional,
    schemas: _schemas,
    ...sent
  } = body;
  return {
    ...sent,
    // An override of 0 is no override: Terraform sends the value of an unset Optional+Computed
    // Int64 (0) (TF resource_bulk_sync.go Create: `int(data.ConcurrencyLimit.ValueInt64())`).
    concurrency_limit: sent.concurrency_limit || undefined,
    resync_concurrency_limit: sent.resync_concurrency_limit || undefined,
    default_schedule: { ...schedule, id: previous?.default_schedule.id ?? randomUUID() },
    additional_schedules: newest
      ? (additional ?? []).map((s) => scheduleAnswer(s, previous?.additional_schedules.find((p) => p.id === s.id)))
      : (previous?.additional_schedules ?? []),
    schemas,
  };
}

/**
 * The connection a bulk sync names, of a type that can play that part: its type's `operations`
 * list `bulksync_source` or `bulksync_target` (TS `ConnectionType.operations`; a webhook, for one,
 * is a model-sync target only).
 */
function connectionFor(deps: RouteDeps, organizationId: string, id: string, field: string, operation: string): StoredConnection {
  const found = ownedBy(deps.store.state.connections, id, organizationId);
  if (!found) throw unprocessable(`${field}: connection ${id} not found`, { field });
  const operations = connectionType(found.type)?.operations;
  if (operations && !operations.includes(operation)) {
    throw unprocessable(`${field}: a ${found.type} connection cannot be a bulk sync's ${operation === "bulksync_source" ? "source" : "destination"}`, { field });
  }
  return found;
}

/** An additional schedule as answered: the server's id (kept when the request names an existing one) and timestamps. */
function scheduleAnswer(schedule: bulkSyncs.AdditionalSchedule, previous: bulkSyncs.AdditionalScheduleAnswer | undefined): bulkSyncs.AdditionalScheduleAnswer {
  const now = timestamp();
  return { ...schedule, id: previous?.id ?? randomUUID(), created_at: previous?.created_at ?? now, updated_at: now };
}
