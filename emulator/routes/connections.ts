/**
 * Connections, their types and their schema cache:
 * `/api/connection_types[/{id}]`, `/api/connections[/{id}]`, `/api/connections/{id}/schemas/{status,refresh}`.
 */
import { randomUUID } from "node:crypto";
import { type Context, Hono } from "hono";
import { answers, connections, connectionTypes } from "../../contract";
import { queryBoolean, readBody } from "../http/body";
import type { AppEnv } from "../http/context";
import { badRequest, notFound, unprocessable } from "../http/errors";
import { API_ACTOR } from "../resources/actor";
import { prepareConfiguration, redactConfiguration } from "../resources/connectionConfig";
import { allConnectionTypes, connectionType, connectionTypeRef } from "../resources/connectionTypes";
import { connectionDependents } from "../resources/dependents";
import { checkOrganization } from "../resources/organization";
import { allOwnedBy, ownedBy } from "../resources/owned";
import { organizationOf } from "../http/caller";
import { deleteSyncs } from "../resources/syncs";
import { deleteBulkSyncs } from "../bulk/store";
import { reachUpstream } from "../resources/upstream";
import type { StoredConnection } from "../store/state";
import { type RouteDeps, timestamp } from "./deps";
import { byCreation } from "./order";


export function connectionRoutes(deps: RouteDeps): Hono<AppEnv> {
  const { store } = deps;
  const app = new Hono<AppEnv>();

  const find = (c: Context<AppEnv>, id: string): StoredConnection => {
    const connection = ownedBy(store.state.connections, id, organizationOf(c));
    if (!connection) throw notFound("connection", id);
    return connection;
  };

  /** The schema cache restarts whenever the configuration may have changed what it lists. */
  const startSchemaRefresh = (connection: StoredConnection, now: number) => {
    connection.schema = { refresh_started: timestamp(now), ready_at: timestamp(now + deps.schemaReadyDelayMs) };
  };

  // Items as the TS SDK's ConnectionType: id, name, use_oauth, and logo, capabilities where known.
  app.get("/connection_types", (c) =>
    c.json({
      data: allConnectionTypes().map((info) => ({
        ...connectionTypeRef(info),
        ...(info.capabilities === undefined ? {} : { capabilities: info.capabilities }),
        use_oauth: info.use_oauth,
      })),
    }),
  );

  app.get("/connection_types/:id", (c) => {
    const schema = connectionTypes.connectionTypeSchema(c.req.param("id"));
    if (!schema) throw notFound("connection type", c.req.param("id"));
    // Served bare, not in an envelope (the SDK types this response as the schema itself).
    return c.json(schema);
  });

  app.get("/connections", (c) =>
    c.json({ data: allOwnedBy(store.state.connections, organizationOf(c)).sort(byCreation).map((one) => readShape(one, deps.answerFill)) }),
  );

  app.post("/connections", async (c) => {
    const body = await readBody(c, connections.CreateConnectionRequest);
    const organizationId = organizationOf(c);
    checkOrganization(body.organization_id, organizationId);
    if (!connectionType(body.type)) throw unsupportedType(body.type);
    const prepared = await reachUpstream(body.type, prepareConfiguration(body.type, body.configuration, undefined, {
      buckets: deps.buckets,
      validate: body.validate ?? true,
    }), body.validate ?? true, deps.urlMap);
    const now = Date.now();
    const connection: StoredConnection = {
      id: randomUUID(),
      name: body.name,
      type: body.type,
      organization_id: organizationId,
      configuration: prepared.configuration,
      policies: body.policies,
      healthcheck_interval: body.healthcheck_interval,
      status: prepared.status,
      status_error: prepared.status_error,
      created_at: timestamp(now),
      updated_at: timestamp(now),
      schema: { refresh_started: "", ready_at: "" },
    };
    startSchemaRefresh(connection, now);
    store.state.connections[connection.id] = connection;
    store.changed();
    return c.json({ data: writeShape(connection, deps.answerFill) }, 200);
  });

  app.get("/connections/:id", (c) => c.json({ data: readShape(find(c, c.req.param("id")), deps.answerFill) }));

  app.put("/connections/:id", async (c) => {
    const connection = find(c, c.req.param("id"));
    const body = await readBody(c, connections.UpdateConnectionRequest);
    checkOrganization(body.organization_id, connection.organization_id);
    if (body.type !== undefined && body.type !== connection.type) {
      throw unprocessable(
        `type: a connection's type cannot change (it is "${connection.type}"); create a new connection instead`,
        { field: "type" },
      );
    }
    const prepared = await reachUpstream(connection.type, prepareConfiguration(connection.type, body.configuration, connection.configuration, {
      buckets: deps.buckets,
      validate: body.validate ?? true,
    }), body.validate ?? true, deps.urlMap);
    const now = Date.now();
    // A full replacement: whatever the request omits is cleared.
    Object.assign(connection, {
      name: body.name,
      configuration: prepared.configuration,
      policies: body.policies,
      healthcheck_interval: body.healthcheck_interval,
      status: prepared.status,
      status_error: prepared.status_error,
      updated_at: timestamp(now),
    });
    startSchemaRefresh(connection, now);
    store.changed();
    return c.json({ data: writeShape(connection, deps.answerFill) }, 200);
  });

  app.delete("/connections/:id", (c) => {
    const connection = find(c, c.req.param("id"));
    const force = queryBoolean(c, "force") ?? false;
    const usedBy = connectionDependents(store.state, connection.id);
    if (usedBy.length > 0 && !force) {
      throw unprocessable(
        `connection in use: ${usedBy.length} object(s) depend on it; delete them first or pass force=true`,
        { used_by: usedBy },
      );
    }
    // force=true removes the dependents first: syncs, then the models they read.
    deleteSyncs(store, deps.runs, usedBy.filter((d) => d.type === "sync").map((d) => d.id));
    for (const dependent of usedBy) if (dependent.type === "model") delete store.state.models[dependent.id];
    deleteBulkSyncs(store, usedBy.filter((d) => d.type === "bulk_sync").map((d) => d.id));
    delete store.state.connections[connection.id];
    store.changed();
    return c.json({}, 200);
  });

  app.get("/connections/:id/schemas/status", (c) => {
    const connection = find(c, c.req.param("id"));
    const ready = Date.now() >= Date.parse(connection.schema.ready_at);
    return c.json({
      data: {
        cache_status: deps.answerForm === "docs" ? ready : ready ? "fresh" : "refreshing",
        last_refresh_started: connection.schema.refresh_started,
        last_refresh_finished: ready ? connection.schema.ready_at : null,
      } satisfies connections.SchemaStatus,
    });
  });

  app.post("/connections/:id/schemas/refresh", (c) => {
    const connection = find(c, c.req.param("id"));
    if (connection.status !== "healthy") {
      throw badRequest("only connections whose health status is healthy may be refreshed", {
        status: connection.status,
      });
    }
    startSchemaRefresh(connection, Date.now());
    store.changed();
    c.header("Location", `/api/connections/${connection.id}/schemas/status`);
    return c.json({}, 202);
  });

  return app;
}

/** get/list shape: timestamps and actors, no `healthcheck_interval`. */
function readShape(connection: StoredConnection, fill: answers.AnswerFill): connections.Connection {
  return filled(connection.type, fill, {
    id: connection.id,
    name: connection.name,
    organization_id: connection.organization_id,
    configuration: redactConfiguration(connection.type, connection.configuration),
    type: typeRef(connection.type),
    status: connection.status,
    status_error: connection.status_error ?? "",
    saved: true,
    ...(connection.policies === undefined ? {} : { policies: connection.policies }),
    parent_connection_id: null,
    api_calls_last_24_hours: 0,
    created_at: connection.created_at,
    created_by: API_ACTOR,
    updated_at: connection.updated_at,
    updated_by: API_ACTOR,
  });
}

/** create/update shape: `healthcheck_interval`, no timestamps (as the API answers). */
function writeShape(connection: StoredConnection, fill: answers.AnswerFill): connections.Connection {
  return filled(connection.type, fill, {
    id: connection.id,
    name: connection.name,
    organization_id: connection.organization_id,
    configuration: redactConfiguration(connection.type, connection.configuration),
    type: typeRef(connection.type),
    status: connection.status,
    status_error: connection.status_error ?? "",
    saved: true,
    ...(connection.policies === undefined ? {} : { policies: connection.policies }),
    ...(connection.healthcheck_interval === undefined ? {} : { healthcheck_interval: connection.healthcheck_interval }),
  });
}

/** The rules of contract/answers.ts applied to a connection and to its type's configuration. */
function filled(type: string, fill: answers.AnswerFill, connection: connections.Connection): connections.Connection {
  const answer = answers.fillAnswer("connection", connection, fill);
  const rules = answers.CONFIGURATION_ANSWERS[type];
  if (rules) return { ...answer, configuration: answers.fillAnswer(rules, answer.configuration, fill) };
  const schema = connectionTypes.connectionTypeSchema(type);
  if (!schema) return answer;
  return { ...answer, configuration: answers.fillByRules(answers.schemaConfigurationRules(schema.properties ?? {}), answer.configuration, fill) };
}

function typeRef(type: string) {
  const info = connectionType(type);
  return info ? connectionTypeRef(info) : { id: type };
}

const unsupportedType = (type: string) =>
  unprocessable(`type: "${type}" is not a connection type (GET /api/connection_types lists them)`, { field: "type" });
