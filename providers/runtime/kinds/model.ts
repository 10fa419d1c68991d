/** Model: a query or file over a source connection; its fields feed the syncs. */
import { z } from "zod";
import { isNotFound, PolytomicApiError } from "../../../client";
import { models } from "../../../contract";
import type { Failure, KindSpec, ServerView } from "../kind";
import { collectionVerbs } from "./collectionVerbs";
import { compact, containsUnknown } from "../shape";

export const ModelArgs = z.object({
  name: z.string().min(1, "must not be empty"),
  connectionId: z.string().min(1, "must be a connection id"),
  configuration: z.record(z.string(), z.unknown()),
  fields: z.array(z.string().min(1)).optional(),
  additionalFields: z.array(models.AdditionalField).optional(),
  identifier: z.string().optional(),
  trackingColumns: z.array(z.string()).optional(),
  relations: z.array(z.object({ from: z.string().min(1), to: z.object({ modelId: z.string().min(1), field: z.string().min(1) }) })).optional(),
  enricher: z
    .object({
      connectionId: z.string().min(1, "must be a connection id"),
      enricherId: z.string().min(1).optional(),
      configuration: z.record(z.string(), z.unknown()).optional(),
      mappings: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
  labels: z.array(z.string()).optional(),
  policies: z.array(z.string()).optional(),
  organizationId: z.string().optional(),
  adoptId: z.string().min(1).optional(),
});
export type ModelArgs = z.infer<typeof ModelArgs>;

/**
 * Names that must be fields of the model, judged at preview when the model lists its fields:
 * the identifier and the tracking columns (the emulator's models route answers 422 for either,
 * as for a field the source does not have).
 */
function crossChecks(args: ModelArgs): Failure[] {
  if (!Array.isArray(args.fields) || containsUnknown(args.fields) || containsUnknown(args.additionalFields)) return [];
  const names = new Set([...args.fields, ...(args.additionalFields ?? []).map((f) => f.name)]);
  const known = (name: unknown) => typeof name !== "string" || containsUnknown(name) || names.has(name);
  const failures: Failure[] = [];
  const listed = [...names].join(", ");
  if (args.identifier && !known(args.identifier)) failures.push({ property: "identifier", reason: `must be one of the model's fields (${listed})` });
  (args.trackingColumns ?? []).forEach((name, i) => {
    if (!known(name)) failures.push({ property: `trackingColumns[${i}]`, reason: `must be one of the model's fields (${listed})` });
  });
  return failures;
}

function body(args: ModelArgs) {
  return compact({
    name: args.name,
    connection_id: args.connectionId,
    configuration: args.configuration,
    fields: args.fields,
    additional_fields: args.additionalFields,
    identifier: args.identifier,
    tracking_columns: args.trackingColumns,
    relations: args.relations?.map((r) => ({ from: r.from, to: { model_id: r.to.modelId, field: r.to.field } })),
    enricher: args.enricher
      ? compact({
          connection_id: args.enricher.connectionId,
          enricher_id: args.enricher.enricherId,
          configuration: args.enricher.configuration,
          mappings: args.enricher.mappings,
        })
      : undefined,
    labels: args.labels,
    policies: args.policies,
    organization_id: args.organizationId,
  });
}

/** Label ids from an answer's label objects (TS LabelLabel; ids when a server answers them so). */
function labelIds(labels: unknown[] | null | undefined): string[] | undefined {
  if (!labels) return undefined;
  return labels.flatMap((label) => {
    if (typeof label === "string") return [label];
    const id = (label as { id?: unknown } | null)?.id;
    return typeof id === "string" ? [id] : [];
  });
}

function view(server: models.Model): ServerView {
  const sourceFields = server.fields.filter((f) => !f.user_added).map((f) => f.name);
  // Additional fields come back among the fields, marked `user_added` (TF resource_model.go reads them so).
  const additionalFields = server.fields
    .filter((f) => f.user_added)
    .map((f) => compact({ name: f.name, label: f.label, type: f.type, example: typeof f.example === "string" ? f.example : undefined }));
  const enricher = server.enricher;
  return {
    asInputs: {
      name: server.name,
      connectionId: server.connection_id,
      configuration: server.configuration,
      fields: sourceFields,
      identifier: server.identifier ?? undefined,
      additionalFields,
      trackingColumns: server.tracking_columns ?? undefined,
      relations: (server.relations ?? []).map((r) => ({ from: r.from, to: { modelId: r.to?.model_id, field: r.to?.field } })),
      enricher: enricher
        ? compact({
            connectionId: enricher.connection_id,
            enricherId: enricher.enricher_id,
            configuration: enricher.configuration,
            mappings: enricher.mappings,
          })
        : null, // none answered: one declared was removed elsewhere (drift), not unknown
      labels: labelIds(server.labels),
      policies: server.policies ?? undefined,
      organizationId: server.organization_id,
    },
    extras: { fieldNames: server.fields.map((f) => f.name), version: server.version },
  };
}

export const modelKind: KindSpec<ModelArgs> = {
  name: "Model",
  schema: ModelArgs,
  replaceKeys: ["connectionId", "organizationId"],
  providerOnlyKeys: ["adoptId"],
  writeOnlyKeys: [],
  deleteBeforeReplace: false,
  crossChecks,
  body,
  async list(ctx) {
    return (await ctx.client.models.list()).map((o) => ({ id: o.id, name: o.name, created_at: o.created_at }));
  },
  ...collectionVerbs((client) => client.models, body, view),
  // A model still read by a sync cannot go (422): say so instead of the API's bare answer.
  async delete(ctx, id) {
    try {
      await ctx.client.models.delete(id);
    } catch (err) {
      if (isNotFound(err)) return;
      if (err instanceof PolytomicApiError && err.status === 422) {
        throw new Error(`model ${id} is still used by a sync: ${err.apiMessage ?? "remove or repoint the syncs first"}`);
      }
      throw err;
    }
  },
};
