/**
 * Running syncs, delegated to the run engine: start, list and read executions, cancel,
 * status. `/api/syncs/{id}/executions[/{eid}[/cancel]]`, `/api/syncs/{id}/cancel`, `/api/syncs/{id}/status`.
 */
import * as fs from "node:fs";
import { Hono } from "hono";
import { models, syncs } from "../../contract";
import { readBody, readQuery } from "../http/body";
import type { AppEnv } from "../http/context";
import { badRequest, conflict, notFound, unprocessable } from "../http/errors";
import { RunAlreadyActiveError, type RunEngine } from "../runs";
import { csvOptions, modelFile, modelShape } from "../resources/models";
import { findSync, syncShape } from "../resources/syncs";
import { organizationOf } from "../http/caller";
import { modelQuery, modelRows } from "../postgres/model";
import { tableSink } from "../postgres/tableTarget";
import type { StoredConnection } from "../store/state";
import { type RouteDeps } from "./deps";

/** Executions per page (the docs give no size). */
export const EXECUTION_PAGE_SIZE = 50;

type StartInput = Parameters<RunEngine["start"]>[0];

export function executionRoutes(deps: RouteDeps): Hono<AppEnv> {
  const { runs } = deps;
  const app = new Hono<AppEnv>();

  app.post("/syncs/:id/executions", async (c) => {
    const sync = findSync(deps.store.state, c.req.param("id"), organizationOf(c));
    // identities / resync / test are accepted and validated; the emulator always runs a normal execution.
    await readBody(c, syncs.StartSyncRequest, { optional: true });
    if (!sync.active) throw unprocessable("sync is not active; activate it before starting it", { field: "active" });
    let execution;
    try {
      execution = runs.start(runInput(deps, sync.id));
    } catch (error) {
      if (error instanceof RunAlreadyActiveError) {
        throw conflict("sync is already running; wait for it to finish or cancel it");
      }
      throw error;
    }
    return c.json({ data: { id: execution.id, status: execution.status, created_at: execution.created_at } }, 200);
  });

  app.get("/syncs/:id/executions", (c) => {
    const sync = findSync(deps.store.state, c.req.param("id"), organizationOf(c));
    const query = readQuery(c, syncs.ExecutionListQuery);
    let list = runs.executions(sync.id);
    if (query.only_completed) list = list.filter((e) => syncs.TERMINAL_EXECUTION_STATUSES.includes(e.status));
    if (query.ascending) list = [...list].reverse();
    let start = 0;
    if (query.page_token) {
      const afterId = Buffer.from(query.page_token, "base64url").toString("utf8");
      const index = list.findIndex((e) => e.id === afterId);
      if (index < 0) throw badRequest("page_token: not a token this API issued");
      start = index + 1;
    }
    const page = list.slice(start, start + EXECUTION_PAGE_SIZE);
    const more = start + EXECUTION_PAGE_SIZE < list.length;
    const last = page[page.length - 1];
    return c.json({
      data: page,
      pagination: more && last ? { next_page_token: Buffer.from(last.id).toString("base64url") } : {},
    });
  });

  app.get("/syncs/:id/executions/:eid", (c) => {
    const sync = findSync(deps.store.state, c.req.param("id"), organizationOf(c));
    const execution = runs.execution(sync.id, c.req.param("eid"));
    if (!execution) throw notFound("execution", c.req.param("eid"));
    return c.json({ data: execution });
  });

  const cancelExecution = (organizationId: string, syncId: string, executionId: string) => {
    const sync = findSync(deps.store.state, syncId, organizationId);
    if (!runs.execution(sync.id, executionId)) throw notFound("execution", executionId);
    return runs.cancel(sync.id, executionId) ?? runs.execution(sync.id, executionId);
  };

  // 2025-09-18.
  app.post("/syncs/:id/executions/:eid/cancel", (c) =>
    c.json({ data: cancelExecution(organizationOf(c), c.req.param("id"), c.req.param("eid")) }),
  );

  // 2024-02-08: set an execution's status; only cancellation is something a client can ask for.
  app.put("/syncs/:id/executions/:eid", async (c) => {
    const body = await readBody(c, syncs.UpdateExecutionRequest);
    if (body.status !== "canceled") {
      throw unprocessable('status: the only status a client can set is "canceled"', { field: "status" });
    }
    return c.json({ data: cancelExecution(organizationOf(c), c.req.param("id"), c.req.param("eid")) });
  });

  app.post("/syncs/:id/cancel", (c) => {
    const sync = findSync(deps.store.state, c.req.param("id"), organizationOf(c));
    const execution = runs.cancel(sync.id);
    const message = execution ? `cancelling execution ${execution.id}` : "no execution is running";
    return c.json({ data: { message } satisfies syncs.CancelSyncResponse });
  });

  app.get("/syncs/:id/status", (c) => {
    const sync = findSync(deps.store.state, c.req.param("id"), organizationOf(c));
    const status = runs.status(sync.id);
    return c.json({ data: { ...status } });
  });

  // The JSON record logs a `sync.completed` event links to (authenticated like the rest of the API).
  app.get("/syncs/:id/executions/:eid/records/:name", async (c) => {
    const sync = findSync(deps.store.state, c.req.param("id"), organizationOf(c));
    const file = runs.recordLogFile(sync.id, c.req.param("eid"), c.req.param("name"));
    if (!file) throw notFound("record log", c.req.param("name"));
    return c.body(await fs.promises.readFile(file), 200, { "Content-Type": "application/json" });
  });

  return app;
}

/** What the run engine needs to run a sync: its model, the model's rows, and the target. */
function runInput(deps: RouteDeps, syncId: string): StartInput {
  const { state } = deps.store;
  const sync = state.syncs[syncId];
  const model = state.models[sync.model_ids[0]];
  if (!model) throw unprocessable("the sync's model no longer exists");
  const source = state.connections[model.connection_id];
  const target = state.connections[sync.target.connection_id];
  if (!source || !target) throw unprocessable("a connection the sync uses no longer exists");
  const served = { sync: syncShape(sync, "rules"), model: modelShape(model, "rules", source.type) };
  return {
    ...served,
    ...sourceOf(deps, source, model.configuration),
    // The stored target: `target.create` is write-only, so the served sync lacks it.
    target: target.type === "postgresql" ? tableSink(target, { ...served.sync, target: sync.target }, served.model) : webhookOf(target),
    trigger: "api",
  };
}

/** The model's rows: a SQL query on a postgresql connection, or a CSV file in a gcs bucket. */
function sourceOf(deps: RouteDeps, source: StoredConnection, configuration: Record<string, unknown>): Pick<StartInput, "rows" | "csvPath" | "csv"> {
  if (source.type === "postgresql") {
    const query = modelQuery(configuration);
    return { rows: (signal) => modelRows(source, query, signal) };
  }
  const config = models.GcsModelConfiguration.parse(configuration);
  const csvPath = modelFile(deps.buckets, source, config);
  if (!csvPath) throw unprocessable(`the model's file "${config.key}" is no longer in bucket "${String(source.configuration.bucket)}"`);
  return { csvPath, csv: csvOptions(source, config) };
}

function webhookOf(target: StoredConnection) {
  const headers = Array.isArray(target.configuration.headers) ? (target.configuration.headers as { name: string; value: string }[]) : [];
  return {
    url: String(target.configuration.url),
    secret: typeof target.configuration.secret === "string" ? target.configuration.secret : "",
    headers,
  };
}
