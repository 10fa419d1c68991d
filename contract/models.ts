/**
 * Models: a query or file over a source connection; its fields feed syncs.
 * Facts: ../shared/reference/polytomic-api.md section 2.2.
 */
import { z } from "zod";
import { CommonOutputActor, envelope, listEnvelope, Timestamp } from "./common";

/** `configuration` of a model over a file in a `gcs` connection's bucket. */
export const GcsModelConfiguration = z.object({
  model_from: z.enum(["single_file", "multi_file_archive"]),
  key: z.string().min(1, "must name the object key of the file in the bucket"),
  file_format: z.enum(["csv", "json", "parquet"]).optional(),
  skip_lines: z.number().int().min(0).optional(),
  subfolder: z.string().optional(),
});
export type GcsModelConfiguration = z.infer<typeof GcsModelConfiguration>;

export const AdditionalField = z.object({
  name: z.string().min(1),
  label: z.string().min(1),
  type: z.string().min(1),
  example: z.string().optional(),
});

/**
 * A join from one of this model's fields to a field of another model (TF resource_model.go
 * `relations`: `from`, `to.model_id`, `to.field`; TS ModelRelation).
 */
export const ModelRelation = z.object({
  from: z.string().min(1).optional(),
  to: z.object({ model_id: z.string().min(1).optional(), field: z.string().min(1).optional() }).optional(),
});
export type ModelRelation = z.infer<typeof ModelRelation>;

/**
 * An enrichment of the model by an enricher connection (TS Enrichment): `configuration` per
 * enricher (e.g. `{object: "people"}`), `mappings` from this model's fields to the enricher's
 * inputs (`{work_email: "email"}`); `fields` are the enrichment's fields as answered.
 */
export const Enrichment = z.object({
  connection_id: z.string().min(1).optional(),
  enricher_id: z.string().min(1).optional(),
  configuration: z.record(z.string(), z.unknown()).optional(),
  mappings: z.record(z.string(), z.string()).optional(),
  fields: z.array(z.record(z.string(), z.unknown())).optional(),
});
export type Enrichment = z.infer<typeof Enrichment>;

export const CreateModelRequest = z.object({
  name: z.string().min(1),
  connection_id: z.string().min(1),
  configuration: z.record(z.string(), z.unknown()),
  /** Source field names to include; all of the source's fields when omitted. */
  fields: z.array(z.string()).optional(),
  additional_fields: z.array(AdditionalField).optional(),
  identifier: z.string().optional(),
  tracking_columns: z.array(z.string()).optional(),
  labels: z.array(z.string()).optional(),
  policies: z.array(z.string()).optional(),
  relations: z.array(ModelRelation).optional(),
  enricher: Enrichment.nullable().optional(),
  organization_id: z.string().nullable().optional(),
});
export type CreateModelRequest = z.infer<typeof CreateModelRequest>;

export const UpdateModelRequest = CreateModelRequest.extend({ refresh: z.boolean().optional() });
export type UpdateModelRequest = z.infer<typeof UpdateModelRequest>;

export const ModelField = z.object({
  id: z.string(),
  name: z.string(),
  label: z.string().optional(),
  type: z.string().optional(),
  remote_type: z.string().optional(),
  description: z.string().optional(),
  example: z.unknown().optional(),
  unique: z.boolean().optional(),
  user_added: z.boolean().optional(),
});
export type ModelField = z.infer<typeof ModelField>;

export const Model = z.object({
  id: z.string(),
  name: z.string(),
  connection_id: z.string(),
  organization_id: z.string().optional(),
  configuration: z.record(z.string(), z.unknown()).nullable().transform((c) => c ?? {}),
  type: z.string().optional(),
  version: z.number().int().optional(),
  identifier: z.string().nullable().optional(),
  tracking_columns: z.array(z.string()).nullable().optional(),
  fields: z.array(ModelField).nullable().transform((f) => f ?? []),
  labels: z.array(z.unknown()).nullable().optional(),
  policies: z.array(z.string()).nullable().optional(),
  relations: z.array(ModelRelation).nullable().optional(),
  enricher: Enrichment.nullable().optional(),
  created_at: Timestamp.optional(),
  created_by: CommonOutputActor.nullable().optional(),
  updated_at: Timestamp.optional(),
  updated_by: CommonOutputActor.nullable().optional(),
});
export type Model = z.infer<typeof Model>;
export const ModelEnvelope = envelope(Model);
export const ModelListEnvelope = listEnvelope(Model);
