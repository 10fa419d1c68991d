/**
 * A connection's schemas (the tables, objects or files it exposes) and their primary keys:
 * `GET /api/connections/{id}/schemas/{schema_id}`, `PUT|DELETE .../schemas/{schema_id}/primary_keys`,
 * `GET /api/connections/{id}/bulksync/source`. Shapes: polytomic-typescript `src/api/types/Schema.ts`,
 * `SchemaField.ts`, `BulkSyncSource.ts`, `SchemaPrimaryKeyOverrideInput.ts`,
 * `src/api/resources/schemas/client/requests/SetPrimaryKeysRequest.ts`.
 */
import { z } from "zod";
import { envelope } from "./common";

/** Polytomic's field types (TS `UtilFieldType`). */
export const FIELD_TYPES = ["unknown", "string", "number", "boolean", "datetime", "array", "object", "binary"] as const;

export const SchemaField = z.object({
  id: z.string(),
  name: z.string().optional(),
  type: z.string().optional(),
  remote_type: z.string().optional(),
  /** Whether this field is part of the schema's primary key (overrides included). */
  is_primary_key: z.boolean().optional(),
});
export type SchemaField = z.infer<typeof SchemaField>;

export const Schema = z.object({
  id: z.string(),
  name: z.string().optional(),
  fields: z.array(SchemaField).nullable().optional().transform((f) => f ?? []),
});
export type Schema = z.infer<typeof Schema>;
export const SchemaEnvelope = envelope(Schema);

/** `GET /api/connections/{id}/bulksync/source`: the connection's schemas (fields with `include_fields=true`). */
export const BulkSyncSource = z.object({
  schemas: z.array(Schema).nullable().optional().transform((s) => s ?? []),
});
export const BulkSyncSourceEnvelope = envelope(BulkSyncSource);

export const PrimaryKeyOverride = z.object({
  field_id: z.string().min(1),
  is_primary_key: z.boolean(),
});

/** A full replacement of the schema's primary-key override; an empty list clears it. */
export const SetPrimaryKeysRequest = z.object({
  fields: z.array(PrimaryKeyOverride).optional(),
});
export type SetPrimaryKeysRequest = z.infer<typeof SetPrimaryKeysRequest>;
