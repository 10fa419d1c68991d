/**
 * Model syncs: `/api/syncs[/{id}]`, `/api/syncs/{id}/activate`.
 * Executions, status and cancellation live in executions.ts.
 */
import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import { fieldNames, syncs } from "../../contract";
import { readBody, readQuery } from "../http/body";
import type { AppEnv } from "../http/context";
import { badRequest, notFound, unprocessable, validationProblem } from "../http/errors";
import { servedAtLeast } from "../http/version";
import { newObjectFields, replacedObjectFields } from "../resources/actor";
import { checkOrganization } from "../resources/organization";
import { allOwnedBy, ownedBy } from "../resources/owned";
import { organizationOf } from "../http/caller";
import { checkSyncOptions } from "../resources/syncOptions";
import { deleteSyncs, findSync, syncShape } from "../resources/syncs";
import type { StoredSync } from "../store/state";
import { checkTableTarget } from "../postgres/tableTarget";
import { type RouteDeps, timestamp } from "./deps";
import { byUpdateDescending } from "./order";

/** Documented default and maximum page size of the 2025-09-18 sync list. */
export const SYNC_PAGE_LIMIT = 50;

type SyncRequest = syncs.CreateSyncRequest;

export function syncRoutes(deps: RouteDeps): Hono<AppEnv> {
  const { store } = deps;
  const app = new Hono<AppEnv>();

  app.get("/syncs", (c) => {
    const query = readQuery(c, syncs.SyncListQuery);
    const matching = allOwnedBy(store.state.syncs, organizationOf(c))
      .filter((s) => query.active === undefined || (s.active ?? false) === query.active)
      .filter((s) => query.mode === undefined || s.mode === query.mode)
      .filter((s) => query.target_connection_id === undefined || s.target.connection_id === query.target_connection_id)
      .sort(byUpdateDescending);
    if (!servedAtLeast(c.get("apiVersion"), "2025-09-18")) {
      // 2024-02-08 and earlier: every sync, in full, no pagination.
      return c.json({ data: matching.map((s) => syncShape(s, deps.answerFill)) });
    }
    const limit = pageLimit(query.limit);
    const after = query.page_token ? decodePageToken(query.page_token) : undefined;
    const start = after ? matching.findIndex((s) => byUpdateDescending(s, after) > 0) : 0;
    const page = start < 0 ? [] : matching.slice(start, start + limit);
    const more = start >= 0 && start + limit < matching.length;
    const last = page[page.length - 1];
    return c.json({
      data: page.map(listItemShape),
      pagination: more && last ? { next_page_token: encodePageToken(last) } : {},
    });
  });

  app.post("/syncs", async (c) => {
    const body = await readBody(c, syncs.CreateSyncRequest);
    const now = timestamp();
    const organizationId = organizationOf(c);
    await checkInDatabase(deps, organizationId, body);
    const sync: StoredSync = {
      ...replacement(deps, organizationId, body),
      ...newObjectFields(organizationId, randomUUID(), now),
    };
    store.state.syncs[sync.id] = sync;
    store.changed();
    return c.json({ data: syncShape(sync, deps.answerFill) }, 200);
  });

  app.get("/syncs/:id", (c) => c.json({ data: syncShape(findSync(store.state, c.req.param("id"), organizationOf(c)), deps.answerFill) }));

  app.put("/syncs/:id", async (c) => {
    const sync = findSync(store.state, c.req.param("id"), organizationOf(c));
    const body = await readBody(c, syncs.UpdateSyncRequest);
    await checkInDatabase(deps, sync.organization_id, body);
    const updated: StoredSync = {
      ...replacement(deps, sync.organization_id, body),
      ...replacedObjectFields(sync, timestamp()),
    };
    store.state.syncs[sync.id] = updated;
    store.changed();
    return c.json({ data: syncShape(updated, deps.answerFill) }, 200);
  });

  app.delete("/syncs/:id", (c) => {
    const sync = findSync(store.state, c.req.param("id"), organizationOf(c));
    deleteSyncs(store, deps.runs, [sync.id]);
    return c.json({}, 200);
  });

  app.post("/syncs/:id/activate", async (c) => {
    const sync = findSync(store.state, c.req.param("id"), organizationOf(c));
    const body = await readBody(c, syncs.ActivateSyncRequest);
    sync.active = body.active;
    sync.updated_at = timestamp();
    store.changed();
    return c.json({ data: { id: sync.id, active: sync.active } satisfies syncs.ActivateSyncResponse });
  });

  return app;
}

/**
 * The sync a create or full-replacement update describes, checked against the connections and
 * models it names. Optional fields are kept as sent: one the request omits is absent from the
 * answer (and cleared by a PUT), never filled with a value the client did not send.
 */
function replacement(
  deps: RouteDeps,
  organizationId: string,
  body: SyncRequest,
): Omit<StoredSync, "id" | "organization_id" | "created_at" | "updated_at"> {
  checkOrganization(body.organization_id, organizationId);
  checkTarget(deps, organizationId, body);
  checkSyncOptions(body, ownedBy(deps.store.state.connections, body.target.connection_id, organizationId)?.type ?? "");
  const modelIds = checkSources(deps, organizationId, body);
  const { organization_id: _organization, ...sent } = body;
  return { ...sent, model_ids: modelIds };
}

function checkTarget(deps: RouteDeps, organizationId: string, body: SyncRequest): void {
  const connection = ownedBy(deps.store.state.connections, body.target.connection_id, organizationId);
  if (!connection) {
    throw unprocessable(`target.connection_id: connection ${body.target.connection_id} not found`, { field: "target.connection_id" });
  }
  // A table target was checked in its database before (checkInDatabase).
  if (connection.type === "postgresql") return;
  if (connection.type !== "webhook") {
    throw unprocessable(`target.connection_id: the emulator syncs to webhook and postgresql connections only (this one is ${connection.type})`, {
      field: "target.connection_id",
    });
  }
  // Documented for webhook targets: the object is "http" and the mode is always updateOrCreate.
  if (body.target.object !== "http") {
    throw unprocessable('target.object: a webhook target\'s object must be "http"', { field: "target.object" });
  }
  if (body.mode !== "updateOrCreate") {
    throw unprocessable('mode: syncs to a webhook always use "updateOrCreate"', { field: "mode" });
  }
  body.fields.forEach((field, i) => {
    if (field.target !== fieldNames.WEBHOOK_FIELD_TARGET) {
      throw unprocessable(`fields.${i}.target: must be "record" (${fieldNames.WEBHOOK_TARGET_RULE})`, { field: `fields.${i}.target` });
    }
    if (!field.source) {
      throw unprocessable(`fields.${i}.source: a field of a webhook sync reads a model field (its name is the record key)`, {
        field: `fields.${i}.source`,
      });
    }
  });
  const configuration = syncs.HttpTargetConfiguration.safeParse(body.target.configuration ?? {});
  if (!configuration.success) throw validationProblem(configuration.error, ["target", "configuration"]);
}

/** A sync into a `postgresql` connection: its table and columns, checked in the database. */
async function checkInDatabase(deps: RouteDeps, organizationId: string, body: SyncRequest): Promise<void> {
  const connection = ownedBy(deps.store.state.connections, body.target.connection_id, organizationId);
  if (connection?.type === "postgresql") await checkTableTarget(connection, body);
}

/** Checks every model/field reference; returns the models the sync reads, in order of first use. */
function checkSources(deps: RouteDeps, organizationId: string, body: SyncRequest): string[] {
  const modelIds: string[] = [];
  const checkSource = (source: { model_id: string; field: string }, at: string) => {
    const model = ownedBy(deps.store.state.models, source.model_id, organizationId);
    if (!model) throw unprocessable(`${at}.model_id: model ${source.model_id} not found`, { field: `${at}.model_id` });
    if (!model.fields.some((f) => f.name === source.field || f.id === source.field)) {
      throw unprocessable(`${at}.field: "${source.field}" is not a field of model "${model.name}"`, { field: `${at}.field` });
    }
    if (!modelIds.includes(model.id)) modelIds.push(model.id);
  };

  body.fields.forEach((field, i) => {
    if (field.source) checkSource(field.source, `fields.${i}.source`);
    else if (field.override_value === undefined || field.override_value === null) {
      throw unprocessable(`fields.${i}: a field needs a source or an override_value`, { field: `fields.${i}` });
    }
  });
  if (body.identity) checkSource(body.identity.source, "identity.source");
  body.filters?.forEach((filter, i) => {
    if (filter.field && filter.field_type !== "Target") checkSource(filter.field, `filters.${i}.field`);
  });
  body.overrides?.forEach((override, i) => {
    if (override.field) checkSource(override.field, `overrides.${i}.field`);
  });

  if (modelIds.length === 0) throw unprocessable("fields: at least one field must read from a model", { field: "fields" });
  if (modelIds.length > 1) {
    throw unprocessable("fields: the emulator runs syncs that read from a single model", { field: "fields" });
  }
  // Only a webhook delivers records keyed by the source fields' names; a table has target columns.
  if (body.target.object === "http") checkRecordKeys(deps, body);
  return modelIds;
}

/**
 * A webhook sync delivers each source field under its normalized name: two fields that arrive
 * under one key would lose a value, and a name that normalizes to nothing has no key at all.
 */
function checkRecordKeys(deps: RouteDeps, body: SyncRequest): void {
  const names = body.fields.map((field) => sourceFieldName(deps, field.source));
  const problems = fieldNames.fieldNameProblems(names.filter((n): n is string => n !== undefined));
  if (problems.length > 0) {
    throw unprocessable(`fields: ${problems.map(fieldNames.describeFieldNameProblem).join("; ")}`, {
      field: "fields",
      problems,
    });
  }
}

/** A source's field name (a source may name the field by id). */
function sourceFieldName(deps: RouteDeps, source: { model_id: string; field: string } | undefined): string | undefined {
  if (!source) return undefined;
  const model = deps.store.state.models[source.model_id];
  return model?.fields.find((f) => f.id === source.field)?.name ?? source.field;
}

function listItemShape(sync: StoredSync) {
  return {
    id: sync.id,
    name: sync.name,
    active: sync.active ?? false,
    mode: sync.mode,
    model_ids: sync.model_ids,
    schedule: sync.schedule,
    target_connection_id: sync.target.connection_id,
    target_object: sync.target.object ?? "",
    organization_id: sync.organization_id,
    skip_initial_backfill: sync.skip_initial_backfill ?? false,
    sync_all_records: sync.sync_all_records ?? false,
    only_enrich_updates: sync.only_enrich_updates ?? false,
    created_at: sync.created_at,
    created_by: sync.created_by,
    updated_at: sync.updated_at,
    updated_by: sync.updated_by,
  };
}

/** `limit`: default and maximum 50; larger values are capped, non-positive or non-numeric ones mean the default. */
function pageLimit(raw: string | undefined): number {
  const limit = raw === undefined ? NaN : Number.parseInt(raw, 10);
  if (!Number.isFinite(limit) || limit <= 0) return SYNC_PAGE_LIMIT;
  return Math.min(limit, SYNC_PAGE_LIMIT);
}

/** Opaque to clients: the sort key of the last item of the page. */
function encodePageToken(sync: StoredSync): string {
  return Buffer.from(JSON.stringify([sync.updated_at, sync.id])).toString("base64url");
}

function decodePageToken(token: string): { updated_at: string; id: string } {
  try {
    const [updatedAt, id] = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as unknown[];
    if (typeof updatedAt === "string" && typeof id === "string") return { updated_at: updatedAt, id };
  } catch {
    // fall through
  }
  throw badRequest("page_token: not a token this API issued");
}
