/**
 * Polytomic's connection types: the list (`GET /api/connection_types`) and the JSON Schema of each
 * type's configuration (`GET /api/connection_types/{id}`), from the snapshot in data/ (its origin
 * and licence: data/NOTICE.md), and what follows from a schema: which fields are secrets, which
 * the server sets, whether a configuration is valid.
 *
 * Read from disk on first use, never at load: the package root and the providers' runtime load
 * without them, and a check reads only the schemas of the types it meets.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { UNFLAGGED_CREDENTIALS } from "./credentials";
import { type ConnectionTypeEntry, type ConnectionTypeSchema, isDeclarable, isReadOnly } from "./schema";

export * from "./schema";
export { UNFLAGGED_CREDENTIALS } from "./credentials";
export { pathTree, type PathTree } from "./paths";
export { connectionClassName } from "./naming";
export { configurationIssues, type ConfigurationIssue, type ValidateOptions } from "./validate";

/** Where the snapshot is: next to this module, in the sources and in dist/ alike (tsconfig copies it). */
export const DATA_DIR = path.join(__dirname, "data");

let list: readonly ConnectionTypeEntry[] | undefined;
let byId: ReadonlyMap<string, ConnectionTypeEntry> | undefined;
const schemas = new Map<string, ConnectionTypeSchema>();

/** Every type of the snapshot, in its order. */
export function connectionTypeList(): readonly ConnectionTypeEntry[] {
  list ??= JSON.parse(fs.readFileSync(path.join(DATA_DIR, "connectiontypes.json"), "utf8")) as ConnectionTypeEntry[];
  return list;
}

/** The type with this id, or undefined for a type newer than the snapshot (or none at all). */
export function connectionTypeEntry(id: string): ConnectionTypeEntry | undefined {
  byId ??= new Map(connectionTypeList().map((entry) => [entry.id, entry]));
  return byId.get(id);
}

/** The JSON Schema of a known type's configuration; undefined for a type the snapshot lacks. */
export function connectionTypeSchema(id: string): ConnectionTypeSchema | undefined {
  // Only ids of the list reach the file system: no path can be made of a type name.
  if (!connectionTypeEntry(id)) return undefined;
  let schema = schemas.get(id);
  if (!schema) {
    schema = JSON.parse(fs.readFileSync(path.join(DATA_DIR, "connectiontypes", `${id}.json`), "utf8")) as ConnectionTypeSchema;
    schemas.set(id, schema);
  }
  return schema;
}

/**
 * The dotted paths of a type's secrets a client sends: its declarable `sensitive` fields, then the
 * credentials its schema forgets to flag (credentials.ts).
 */
export function secretPaths(id: string, schema: ConnectionTypeSchema): string[] {
  const flagged = Object.entries(schema.properties ?? {})
    .filter(([, property]) => property.sensitive === true && isDeclarable(property))
    .map(([key]) => key);
  return [...flagged, ...(UNFLAGGED_CREDENTIALS[id] ?? [])];
}

/** Top-level fields the server sets (`readOnly`): outputs, never inputs. */
export function readOnlyKeys(schema: ConnectionTypeSchema): string[] {
  return Object.entries(schema.properties ?? {})
    .filter(([, property]) => isReadOnly(property))
    .map(([key]) => key);
}
