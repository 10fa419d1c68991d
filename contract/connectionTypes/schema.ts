/**
 * The JSON Schema dialect of Polytomic's connection types (`GET /api/connection_types/{id}`), as
 * the snapshot in data/ uses it, and how to read its keywords. Besides JSON Schema's own
 * (`type`, `properties`, `required`, `enum`, `default`, `items`, `additionalProperties`,
 * `readOnly`), Polytomic adds `sensitive` (a secret: masked in answers), `readonly` (a second
 * spelling of `readOnly`), `hidden` and `api_field` (a field the UI hides; without `api_field` it
 * is the server's internal state, which Polytomic's Terraform provider leaves out:
 * `isInternalHidden` in its provider/gen/connections/connections.go), and enums of
 * `{value, label}` objects next to plain ones.
 */

/** One property (or the whole configuration) of a connection type's schema. */
export interface ConnectionTypeSchema {
  type?: "object" | "string" | "integer" | "number" | "boolean" | "array";
  title?: string;
  description?: string;
  examples?: unknown[];
  default?: unknown;
  enum?: (string | number | { value: string | number; label?: string })[];
  properties?: Record<string, ConnectionTypeSchema>;
  required?: string[];
  items?: ConnectionTypeSchema;
  additionalProperties?: boolean | ConnectionTypeSchema;
  readOnly?: boolean;
  readonly?: boolean;
  sensitive?: boolean;
  hidden?: boolean;
  api_field?: boolean;
  format?: string;
  [keyword: string]: unknown;
}

/** An entry of `GET /api/connection_types`, as the snapshot keeps it. */
export interface ConnectionTypeEntry {
  id: string;
  name: string;
  use_oauth: boolean;
}

/** The values an enum allows (`{value, label}` entries give their `value`). */
export function enumValues(schema: ConnectionTypeSchema): (string | number)[] | undefined {
  return schema.enum?.map((entry) => (typeof entry === "object" && entry !== null ? entry.value : entry));
}

/** Set by Polytomic, never by a client (`readOnly` or `readonly`). */
export const isReadOnly = (schema: ConnectionTypeSchema): boolean => schema.readOnly === true || schema.readonly === true;

/** The server's internal state: hidden in the UI and not settable through the API. */
export const isInternal = (schema: ConnectionTypeSchema): boolean => schema.hidden === true && schema.api_field !== true;

/** What a client may declare: neither read-only nor internal. */
export const isDeclarable = (schema: ConnectionTypeSchema): boolean => !isReadOnly(schema) && !isInternal(schema);

/** Object properties without listed properties, or with typed `additionalProperties`: a map of strings. */
export function isMap(schema: ConnectionTypeSchema): boolean {
  if (schema.type !== "object") return false;
  return typeof schema.additionalProperties === "object" || Object.keys(schema.properties ?? {}).length === 0;
}
