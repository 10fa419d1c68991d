/** Turning CSV rows into delivered records: field mapping, name normalization, the record hash. */
import * as crypto from "node:crypto";
import { canonicalJson, type syncs } from "../../contract";
import { normalizeFieldName } from "../../contract/fieldNames";

export { normalizeFieldName } from "../../contract/fieldNames";

/**
 * The record's `hash` (the emulator's choice; Polytomic does not document its algorithm): the
 * first 16 hex digits of SHA-256 over the canonical JSON of `fields`.
 */
export function recordHash(fields: Record<string, unknown>): string {
  return crypto.createHash("sha256").update(canonicalJson(fields)).digest("hex").slice(0, 16);
}

/**
 * The delivered `fields` of one source row: each field of a webhook sync (target `"record"`)
 * arrives under its source field's normalized name. `fieldNames` maps a source's `field` (a
 * field's name or id) to the model field's name.
 */
export function mapRecord(
  row: Record<string, unknown>,
  mappings: readonly syncs.SyncField[],
  fieldNames: ReadonlyMap<string, string>,
): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const mapping of mappings) {
    if (!mapping.source) continue;
    const name = fieldNames.get(mapping.source.field) ?? mapping.source.field;
    fields[normalizeFieldName(name)] = row[name] ?? null;
  }
  return fields;
}
