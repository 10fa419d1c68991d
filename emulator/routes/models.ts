/**
 * Models over a file in a `gcs` connection's bucket or a SQL query on a `postgresql` connection
 * (emulator/postgres/model.ts): `/api/models[/{id}]`. The CSV's header row, or the query result's
 * columns, become the model's fields; the request's `fields` narrows them.
 */
import { randomUUID } from "node:crypto";
import { type Context, Hono } from "hono";
import type { z } from "zod";
import { models } from "../../contract";
import { readCsvHead } from "../gcs/csv";
import { readBody } from "../http/body";
import type { AppEnv } from "../http/context";
import { notFound, unprocessable, validationProblem } from "../http/errors";
import { API_ACTOR } from "../resources/actor";
import { modelDependents } from "../resources/dependents";
import { csvOptions, modelFile, modelObject, modelShape } from "../resources/models";
import { queryColumns } from "../postgres/model";
import type { QueryColumn } from "../postgres/query";
import { checkOrganization } from "../resources/organization";
import { allOwnedBy, ownedBy } from "../resources/owned";
import { organizationOf } from "../http/caller";
import type { StoredConnection, StoredModel } from "../store/state";
import { type RouteDeps, timestamp } from "./deps";
import { byCreation } from "./order";

type ModelRequest = z.output<typeof models.CreateModelRequest>;

export function modelRoutes(deps: RouteDeps): Hono<AppEnv> {
  const { store } = deps;
  const app = new Hono<AppEnv>();

  const find = (c: Context<AppEnv>, id: string): StoredModel => {
    const model = ownedBy(store.state.models, id, organizationOf(c));
    if (!model) throw notFound("model", id);
    return model;
  };

  const served = (model: StoredModel) => modelShape(model, deps.answerFill, store.state.connections[model.connection_id]?.type);

  /** Everything a create or a full-replacement update derives from the request. */
  const build = async (organizationId: string, body: ModelRequest, previous?: StoredModel) => {
    checkOrganization(body.organization_id, organizationId);
    const connection = ownedBy(store.state.connections, body.connection_id, organizationId);
    if (!connection) throw unprocessable(`connection_id: connection ${body.connection_id} not found`, { field: "connection_id" });
    if (connection.type !== "gcs" && connection.type !== "postgresql") {
      throw unprocessable(`connection_id: a ${connection.type} connection cannot be a model source (the emulator reads gcs files and postgresql queries)`, {
        field: "connection_id",
      });
    }
    const columns = connection.type === "postgresql" ? queryHead(await queryColumns(connection, body.configuration)) : await sourceColumns(deps, connection, body.configuration);
    const fields = modelFields(body, columns, previous);
    return { connection, fields };
  };

  app.get("/models", (c) => c.json({ data: allOwnedBy(store.state.models, organizationOf(c)).sort(byCreation).map((m) => served(m)) }));

  app.post("/models", async (c) => {
    const body = await readBody(c, models.CreateModelRequest);
    const organizationId = organizationOf(c);
    const { connection, fields } = await build(organizationId, body);
    const now = timestamp();
    const model: StoredModel = {
      id: randomUUID(),
      name: body.name,
      connection_id: connection.id,
      organization_id: organizationId,
      configuration: body.configuration,
      fields,
      requested_fields: body.fields,
      additional_fields: body.additional_fields ?? [],
      identifier: body.identifier,
      tracking_columns: body.tracking_columns,
      labels: body.labels,
      policies: body.policies,
      relations: body.relations,
      enricher: body.enricher,
      version: 1,
      created_at: now,
      updated_at: now,
    };
    store.state.models[model.id] = model;
    store.changed();
    return c.json({ data: served(model) }, 200);
  });

  app.get("/models/:id", (c) => c.json({ data: served(find(c, c.req.param("id"))) }));

  app.put("/models/:id", async (c) => {
    const model = find(c, c.req.param("id"));
    const body = await readBody(c, models.UpdateModelRequest);
    const { connection, fields } = await build(model.organization_id, body, model);
    // A full replacement: whatever the request omits is cleared.
    Object.assign(model, {
      name: body.name,
      connection_id: connection.id,
      configuration: body.configuration,
      fields,
      requested_fields: body.fields,
      additional_fields: body.additional_fields ?? [],
      identifier: body.identifier,
      tracking_columns: body.tracking_columns,
      labels: body.labels,
      policies: body.policies,
      relations: body.relations,
      enricher: body.enricher,
      updated_at: timestamp(),
    });
    store.changed();
    return c.json({ data: served(model) }, 200);
  });

  app.delete("/models/:id", (c) => {
    const model = find(c, c.req.param("id"));
    const usedBy = modelDependents(store.state, model.id);
    if (usedBy.length > 0) {
      throw unprocessable(`model in use: ${usedBy.length} sync(s) read from it; delete or reconfigure them first`, {
        used_by: usedBy,
      });
    }
    delete store.state.models[model.id];
    store.changed();
    return c.json({}, 200);
  });

  return app;
}

/** The columns of the model's file, checked against the bucket. */
async function sourceColumns(deps: RouteDeps, connection: StoredConnection, configuration: Record<string, unknown>) {
  const parsed = models.GcsModelConfiguration.safeParse(configuration);
  if (!parsed.success) throw validationProblem(parsed.error, ["configuration"]);
  const config = parsed.data;
  if (config.model_from !== "single_file") {
    throw unprocessable('configuration.model_from: the emulator serves "single_file" models only', { field: "configuration.model_from" });
  }
  if (config.file_format && config.file_format !== "csv") {
    throw unprocessable('configuration.file_format: the emulator reads "csv" files only', { field: "configuration.file_format" });
  }
  const file = modelFile(deps.buckets, connection, config);
  if (!file) {
    const { bucket, key } = modelObject(connection, config);
    throw unprocessable(`configuration.key: object "${key}" not found in bucket "${bucket}"`, { field: "configuration.key" });
  }
  const head = await readCsvHead(file, csvOptions(connection, config));
  if (head.problem) {
    throw unprocessable(`configuration.key: object "${config.key}" is not a CSV file this model can read: ${head.problem}`, {
      field: "configuration.key",
    });
  }
  if (head.columns.length === 0) {
    throw unprocessable(`configuration.key: object "${config.key}" has no header row`, { field: "configuration.key" });
  }
  return head;
}

/** What a model needs of a source's columns: names, the first row's values, types when the source has them. */
interface SourceHead {
  columns: string[];
  firstRow?: (string | undefined)[];
  types?: { type: string; remote_type: string }[];
}

/** A query's columns as a source head: typed, the first row as examples. */
const queryHead = (columns: QueryColumn[]): SourceHead => ({
  columns: columns.map((c) => c.name),
  firstRow: columns.map((c) => c.example),
  types: columns.map((c) => ({ type: c.type, remote_type: c.remote_type })),
});

function modelFields(
  body: ModelRequest,
  head: SourceHead,
  previous: StoredModel | undefined,
): models.ModelField[] {
  const wanted = body.fields;
  if (wanted) {
    const unknown = wanted.filter((name) => !head.columns.includes(name));
    if (unknown.length > 0) {
      throw unprocessable(`fields: unknown field(s) ${unknown.join(", ")}; the file has ${head.columns.join(", ")}`, {
        field: "fields",
        unknown,
      });
    }
  }
  // Field ids stay stable across updates, so syncs and filters keep pointing at the same field.
  const previousIds = new Map((previous?.fields ?? []).map((f) => [f.name, f.id]));
  const idFor = (name: string) => previousIds.get(name) ?? randomUUID();

  const source = head.columns
    .map((name, index) => ({ name, example: head.firstRow?.[index], types: head.types?.[index] }))
    .filter(({ name }) => !wanted || wanted.includes(name))
    .map(({ name, example, types }) => ({
      id: idFor(name),
      name,
      label: name,
      type: types?.type ?? "string",
      remote_type: types?.remote_type ?? "string",
      description: "",
      example: example ?? null,
      unique: name === body.identifier,
      user_added: false,
    }));

  const names = new Set(source.map((f) => f.name));
  for (const added of body.additional_fields ?? []) {
    if (names.has(added.name)) {
      throw unprocessable(`additional_fields: "${added.name}" is already a field of the model`, { field: "additional_fields" });
    }
    names.add(added.name);
  }
  const additional = (body.additional_fields ?? []).map((added) => ({
    id: idFor(added.name),
    name: added.name,
    label: added.label,
    type: added.type,
    remote_type: added.type,
    description: "",
    example: added.example ?? null,
    unique: added.name === body.identifier,
    user_added: true,
  }));

  if (body.identifier !== undefined && body.identifier !== "" && !names.has(body.identifier)) {
    throw unprocessable(`identifier: "${body.identifier}" is not a field of the model`, { field: "identifier" });
  }
  const unknownTracking = (body.tracking_columns ?? []).filter((name) => !names.has(name));
  if (unknownTracking.length > 0) {
    throw unprocessable(`tracking_columns: unknown field(s) ${unknownTracking.join(", ")}`, { field: "tracking_columns" });
  }
  return [...source, ...additional];
}
