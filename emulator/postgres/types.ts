/**
 * PostgreSQL column types as Polytomic's field types (TS `src/api/types/UtilFieldType.ts`:
 * unknown, string, number, boolean, datetime, array, object, binary), and back to a column type
 * when a sync creates its target table. Types are named as `pg_type.typname` (which is also
 * information_schema's `udt_name`): `int4`, `_text` (an array of text), `timestamptz`.
 */

export type FieldType = "string" | "number" | "boolean" | "datetime" | "array" | "object" | "binary" | "unknown";

const BY_NAME: Record<string, FieldType> = {
  int2: "number",
  int4: "number",
  int8: "number",
  float4: "number",
  float8: "number",
  numeric: "number",
  money: "number",
  oid: "number",
  bool: "boolean",
  date: "datetime",
  time: "datetime",
  timetz: "datetime",
  timestamp: "datetime",
  timestamptz: "datetime",
  json: "object",
  jsonb: "object",
  bytea: "binary",
};

/** The field type of a column type (`_x` is an array of x). */
export function fieldType(typname: string): FieldType {
  if (typname.startsWith("_")) return "array";
  return BY_NAME[typname] ?? "string";
}

/** The column type a created table gives a field of `type` (arrays and objects as jsonb). */
export function columnType(type: string | undefined): string {
  switch (type) {
    case "number":
      return "numeric";
    case "boolean":
      return "boolean";
    case "datetime":
      return "timestamptz";
    case "array":
    case "object":
      return "jsonb";
    case "binary":
      return "bytea";
    default:
      return "text";
  }
}

/**
 * A value read by `pg` as JSON data: dates as RFC 3339 text, bytes as `\x` hex (PostgreSQL's own
 * text form), everything else as the driver gives it (int8 and numeric are already text).
 */
export function jsonValue(value: unknown): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Buffer.isBuffer(value)) return `\\x${value.toString("hex")}`;
  if (Array.isArray(value)) return value.map(jsonValue);
  return value;
}
