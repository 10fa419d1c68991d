/**
 * Which CSV columns a sync sends, and under which names: the one piece of the pipeline users
 * most often change, kept as plain data so it can be checked before anything is registered.
 */

/** One mapped field: the CSV column `source` is delivered as the record key `target`. */
export interface FieldMapping {
  /** Key of the field in each delivered record's `fields`. */
  readonly target: string;
  /** Column of the CSV (a field of the model). */
  readonly source: string;
}

/**
 * Field mappings as a map `{ <target>: <source column> }` (what stack config holds) or as a list.
 * The list form keeps the order; the map form is sorted by target for a stable order.
 */
export type FieldMappings = Readonly<Record<string, string>> | readonly FieldMapping[];

/** The contacts CSV's columns, each delivered under its own name. */
export const DEFAULT_FIELD_MAPPINGS: readonly FieldMapping[] = [
  { target: "email_address", source: "email_address" },
  { target: "first_name", source: "first_name" },
  { target: "last_name", source: "last_name" },
];

/**
 * Normalizes either form into a list, rejecting an empty mapping, blank names and a target
 * mapped twice (the API would accept the last one silently, hiding the first).
 */
export function toFieldMappingList(fields: FieldMappings | undefined): FieldMapping[] {
  if (fields === undefined) return [...DEFAULT_FIELD_MAPPINGS];
  const list: FieldMapping[] = isMappingList(fields)
    ? fields.map(({ target, source }) => ({ target, source }))
    : Object.keys(fields)
        .sort()
        .map((target) => ({ target, source: fields[target] }));
  if (list.length === 0) throw new Error("fields: map at least one CSV column to a target field");
  const seen = new Set<string>();
  for (const { target, source } of list) {
    if (typeof target !== "string" || target.trim() === "") throw new Error("fields: a target field name is empty");
    if (typeof source !== "string" || source.trim() === "") {
      throw new Error(`fields: target "${target}" has no source column`);
    }
    if (seen.has(target)) throw new Error(`fields: target "${target}" is mapped more than once`);
    seen.add(target);
  }
  return list;
}

function isMappingList(fields: FieldMappings): fields is readonly FieldMapping[] {
  return Array.isArray(fields);
}
