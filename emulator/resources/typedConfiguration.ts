/**
 * The `configuration` of a connection of any type the emulator has no data path for (every type of
 * the snapshot but `gcs` and `webhook`): checked against the type's schema (Polytomic's own,
 * contract/connectionTypes), stored, answered by the rules of contract/answers.ts
 * (`SCHEMA_CONFIGURATION_RULES`), and never connected.
 */
import { randomUUID } from "node:crypto";
import { connectionTypes, REDACTED } from "../../contract";
import { unprocessable, validationProblem } from "../http/errors";
import type { PreparedConfiguration } from "./connectionConfig";
import { reachesUpstream } from "./upstream";

type Config = Record<string, unknown>;

/**
 * Validates and builds the configuration to store. Fields the schema lacks, and those the server
 * sets, are dropped (rule `undeclared`, `readOnly`); a sensitive field left out or sent masked
 * keeps its stored value (rule `sensitive`); read-only fields are filled, once. Then the status:
 * the emulator reaches no upstream of these types, so a connection whose `validate` is true
 * (the API's default) is refused as Polytomic refuses one it cannot connect to (422, like gcs
 * with a bucket it cannot read), and one saved with `validate: false` (what Polytomic's Terraform
 * provider and this project's providers send) is saved "unhealthy" with the reason in
 * `status_error`, as the emulator answers a gcs connection it cannot reach.
 */
export function prepareTypedConfiguration(type: string, requested: Config, stored: Config | undefined, validate: boolean): PreparedConfiguration | undefined {
  const schema = connectionTypes.connectionTypeSchema(type);
  if (!schema) return undefined;
  const properties = schema.properties ?? {};
  // Secrets first: one left out or sent masked is the stored one, so it counts as sent.
  const sent: Config = { ...requested };
  for (const [key, property] of Object.entries(properties)) {
    if (property.sensitive !== true || connectionTypes.isReadOnly(property)) continue;
    if (sent[key] === undefined || sent[key] === null || sent[key] === REDACTED) {
      if (stored?.[key] !== undefined) sent[key] = stored[key];
      else delete sent[key];
    }
  }
  const issues = connectionTypes.configurationIssues(schema, sent, { type, undeclared: "ignore" });
  if (issues.length > 0) throw validationProblem({ issues }, ["configuration"]);
  const configuration: Config = {};
  for (const [key, value] of Object.entries(sent)) {
    if (Object.hasOwn(properties, key) && connectionTypes.isDeclarable(properties[key]) && value !== null && value !== undefined) configuration[key] = value;
  }
  for (const [key, property] of Object.entries(properties)) {
    if (connectionTypes.isReadOnly(property)) configuration[key] = stored?.[key] ?? serverValue(property);
  }
  // Types the emulator reaches (postgresql, csv) get their status from reaching them (upstream.ts).
  if (reachesUpstream(type)) return { configuration, status: "healthy" };
  const reason = `cannot connect to ${connectionTypes.connectionTypeEntry(type)?.name ?? type}: the emulator has no data path for connection type "${type}" (it stores and answers the configuration only)`;
  if (validate) throw unprocessable(`configuration: ${reason}; save it unchecked with validate: false`);
  return { configuration, status: "unhealthy", status_error: reason };
}

/** A value for a field the server sets: a fresh id for text (an external id, a key), false, 0. */
function serverValue(property: connectionTypes.ConnectionTypeSchema): unknown {
  switch (property.type) {
    case "boolean":
      return false;
    case "integer":
    case "number":
      return 0;
    case "array":
      return [];
    case "object":
      return {};
    default:
      return randomUUID();
  }
}

/** A copy with the schema's sensitive fields masked (rule `sensitive`, read-only ones included). */
export function redactTypedConfiguration(type: string, configuration: Config): Config {
  const schema = connectionTypes.connectionTypeSchema(type);
  const copy = { ...configuration };
  for (const [key, property] of Object.entries(schema?.properties ?? {})) {
    if (property.sensitive === true && copy[key] !== undefined && copy[key] !== null && copy[key] !== "") copy[key] = REDACTED;
  }
  return copy;
}

