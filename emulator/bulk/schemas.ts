/**
 * The schemas (tables) of a bulk sync: what a create or full-replacement update asks for, laid
 * over what the source offers.
 *
 * - `schemas` omitted: every schema of the source is selected ("List of schemas to sync; if
 *   omitted, all schemas will be selected for syncing", TS `CreateBulkSyncRequest.schemas`;
 *   Terraform sends none for `schemas = []`, `resource_bulk_sync.go` Create: "so the server applies
 *   its default behavior (select all schemas)").
 * - `schemas` given: those listed are selected (`enabled` defaults to true), the others are known
 *   and not enabled.
 * - A schema's `fields` given: those listed are configured (`enabled` true, `obfuscate` false by
 *   default), the others not enabled; omitted or empty: every field ("Supplying an empty list
 *   enables every field discovered on the source", TS `UpdateBulkSchema.fields`).
 * - Where the source's tables are known (a `postgresql` source), a schema, field, tracking field
 *   or partition key that is not there is refused (422) naming it: the emulator's choice, as a
 *   sync naming a missing model field is.
 *
 * Names in the destination (`output_name`): `<schema>_<table>` for a database table, so tables of
 * two source schemas never meet in one destination schema; `user_output_name` replaces it.
 * Polytomic documents no naming rule, so this one is the emulator's.
 */
import type { bulkSyncs } from "../../contract";
import { unprocessable } from "../http/errors";
import type { ConnectionSchema } from "../postgres/schemas";

type Requested = NonNullable<bulkSyncs.BulkSyncRequest["schemas"]>[number];

const asConfiguration = (item: Requested): bulkSyncs.SchemaConfiguration => (typeof item === "string" ? { id: item } : item);
const asField = (item: string | bulkSyncs.FieldConfiguration): bulkSyncs.FieldConfiguration => (typeof item === "string" ? { id: item } : item);

/** The destination name of a source schema id: letters, digits and `_` only. */
export const defaultOutputName = (schemaId: string) => schemaId.replace(/[^A-Za-z0-9_]+/g, "_");

/**
 * Every schema the bulk sync knows, configured. `tables` is what the source offers (undefined
 * where the emulator cannot look: then the request's schemas are taken as they are).
 */
export function resolveSchemas(requested: bulkSyncs.BulkSyncRequest["schemas"], tables: ConnectionSchema[] | undefined): bulkSyncs.BulkSchema[] {
  const wanted = (requested ?? []).map(asConfiguration);
  const selectAll = requested === undefined || requested === null || requested.length === 0;
  const seen = new Set<string>();
  wanted.forEach((schema, i) => {
    if (seen.has(schema.id)) throw unprocessable(`schemas.${i}.id: schema "${schema.id}" is listed twice`, { field: `schemas.${i}.id` });
    seen.add(schema.id);
    if (tables && !tables.some((t) => t.id === schema.id)) {
      throw unprocessable(`schemas.${i}.id: the source connection has no schema "${schema.id}"`, { field: `schemas.${i}.id` });
    }
  });
  if (!tables) return wanted.map((schema, i) => configured(schema, undefined, i));
  return tables.map((table) => {
    const i = wanted.findIndex((s) => s.id === table.id);
    if (i >= 0) return configured(wanted[i], table, i);
    return configured({ id: table.id, enabled: selectAll }, table, -1);
  });
}

function configured(schema: bulkSyncs.SchemaConfiguration, table: ConnectionSchema | undefined, index: number): bulkSyncs.BulkSchema {
  const at = `schemas.${index}`;
  const columns = table?.fields.map((f) => f.id);
  for (const key of ["tracking_field", "partition_key"] as const) {
    const field = schema[key];
    if (field && columns && !columns.includes(field)) {
      throw unprocessable(`${at}.${key}: "${field}" is not a field of schema "${schema.id}"`, { field: `${at}.${key}` });
    }
  }
  const listed = (schema.fields ?? []).map(asField);
  listed.forEach((field, j) => {
    if (columns && !columns.includes(field.id)) {
      throw unprocessable(`${at}.fields.${j}.id: "${field.id}" is not a field of schema "${schema.id}"`, { field: `${at}.fields.${j}.id` });
    }
  });
  const fieldIds = columns ?? listed.map((f) => f.id);
  const fields = fieldIds.map((id): bulkSyncs.BulkField => {
    const config = listed.find((f) => f.id === id);
    return {
      id,
      enabled: listed.length === 0 ? true : config !== undefined && (config.enabled ?? true),
      obfuscated: config?.obfuscate ?? false,
      output_name: id,
      user_output_name: "",
    };
  });
  return {
    id: schema.id,
    enabled: schema.enabled ?? true,
    output_name: schema.user_output_name || defaultOutputName(schema.id),
    user_output_name: schema.user_output_name ?? "",
    partition_key: schema.partition_key ?? "",
    tracking_field: schema.tracking_field ?? "",
    ...(schema.data_cutoff_timestamp === undefined ? {} : { data_cutoff_timestamp: schema.data_cutoff_timestamp }),
    disable_data_cutoff: schema.disable_data_cutoff ?? false,
    fields,
    filters: schema.filters ?? [],
  };
}

/**
 * A schema as the list answers it, without `fields` and `filters` (TS `BulkSchema`: "not populated
 * on the list endpoint"). Polytomic's Terraform provider relies on it in every version: it reads
 * the list, and a list with fields breaks its own conversion of them (`PopulateUnknownSet` over
 * `polytomic.BulkField`, whose `obfuscated` is `obfuscate` in its schema) in its acceptance tests.
 */
export function listedSchema(schema: bulkSyncs.BulkSchema): bulkSyncs.BulkSchema {
  const { fields: _fields, filters: _filters, ...rest } = schema;
  return rest;
}

/**
 * Schemas and fields that appeared at the source since the sync was saved, added to it as its
 * `automatically_add_new_objects` / `automatically_add_new_fields` say (TS `BulkDiscover`): the
 * emulator's runs are full copies, so `all` and `onlyNonIncremental` add them enabled, and
 * `onlyIncremental` and `none` (the default) add them known but not enabled. True when anything was added.
 */
export function discover(sync: Pick<bulkSyncs.BulkSync, "automatically_add_new_objects" | "automatically_add_new_fields"> & { schemas: bulkSyncs.BulkSchema[] }, offered: ConnectionSchema[]): boolean {
  const adds = (rule: bulkSyncs.BulkSync["automatically_add_new_objects"]) => rule === "all" || rule === "onlyNonIncremental";
  let added = false;
  for (const table of offered) {
    const known = sync.schemas.find((s) => s.id === table.id);
    if (!known) {
      sync.schemas.push(configured({ id: table.id, enabled: adds(sync.automatically_add_new_objects) }, table, -1));
      added = true;
      continue;
    }
    for (const field of table.fields) {
      if (known.fields?.some((f) => f.id === field.id)) continue;
      (known.fields ??= []).push({ id: field.id, enabled: adds(sync.automatically_add_new_fields), obfuscated: false, output_name: field.id, user_output_name: "" });
      added = true;
    }
  }
  return added;
}
