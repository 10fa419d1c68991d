/** Turning CSV rows into delivered records: field mapping, name normalization, the record hash. */
import * as crypto from "node:crypto";
import type { syncs } from "../../contract";

/** Field names keep letters, digits, `_`, `-` and `.` (`$first_name` becomes `first_name`). */
export function normalizeFieldName(name: string): string {
  return name.replace(/[^\p{L}\p{N}_.-]/gu, "");
}

/** JSON with sorted keys: the same fields always give the same text. */
function canonicalJson(fields: Record<string, unknown>): string {
  return JSON.stringify(Object.fromEntries(Object.keys(fields).sort().map((k) => [k, fields[k]])));
}

/**
 * The record's `hash` (the emulator's choice; Polytomic does not document its algorithm): the
 * first 16 hex digits of SHA-256 over the canonical JSON of `fields`.
 */
export function recordHash(fields: Record<string, unknown>): string {
  return crypto.createHash("sha256").update(canonicalJson(fields)).digest("hex").slice(0, 16);
}

/** The delivered `fields` of one source row. */
export function mapRecord(row: Record<string, string>, mappings: readonly syncs.SyncField[]): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const mapping of mappings) {
    const value = mapping.override_value ?? (mapping.source ? row[mapping.source.field] : undefined);
    fields[normalizeFieldName(mapping.target)] = value ?? null;
  }
  return fields;
}
