/**
 * What a connection's type schema (contract/connectionTypes: Polytomic's own, per type) tells the
 * connection kind: the preview check of `configuration`, where secrets go in the body, which
 * secrets an update may leave out, and the fields the server sets. A type the snapshot does not
 * know (newer than it) gets none of this: its configuration passes as declared.
 *
 * Schemas are read here, at check and write time, never when the package loads.
 */
import { connectionTypes } from "../../../contract";
import type { Failure } from "../kind";
import { issuesToFailures } from "../checkFailures";
import { sameValue } from "../shape";

type Config = Record<string, unknown>;

const isObject = (value: unknown): value is Config => !!value && typeof value === "object" && !Array.isArray(value);

/** `configuration` with the secrets laid in at their paths (objects merged, anything else replaced). */
export function mergeSecrets(configuration: Config, secrets: Config | undefined): Config {
  const merged: Config = { ...configuration };
  for (const [key, value] of Object.entries(secrets ?? {})) {
    merged[key] = isObject(value) && isObject(merged[key]) ? mergeSecrets(merged[key] as Config, value) : value;
  }
  return merged;
}

function valueAt(root: unknown, dotted: string): unknown {
  return dotted.split(".").reduce<unknown>((node, part) => (isObject(node) ? node[part] : undefined), root);
}

/**
 * The preview's failures for a type the snapshot knows: a secret declared in clear, then every
 * problem the type's schema finds (required, type, enum, unknown or read-only field), each naming
 * the field where it was declared.
 */
export function schemaFailures(type: string, configuration: Config, secrets: Config): Failure[] {
  const schema = connectionTypes.connectionTypeSchema(type);
  if (!schema) return [];
  const failures: Failure[] = [];
  for (const path of connectionTypes.secretPaths(type, schema)) {
    if (valueAt(configuration, path) !== undefined) {
      failures.push({ property: `configuration.${path}`, reason: `is a secret: move it to sensitiveConfiguration.${path} (kept encrypted in state), or use ${connectionTypes.connectionClassName(type)}, which does` });
    }
  }
  const merged = mergeSecrets(configuration, secrets);
  const issues = connectionTypes.configurationIssues(schema, merged, { type, undeclared: "reject" });
  for (const failure of issuesToFailures(issues, merged)) {
    const top = failure.property.split(/[.[]/)[0];
    const where = top in secrets && !(top in configuration) ? "sensitiveConfiguration" : "configuration";
    failures.push({ property: failure.property ? `${where}.${failure.property}` : where, reason: failure.reason });
  }
  return failures;
}

/**
 * The secrets an update sends: without the `sensitive` fields whose value is the one sent last
 * time. Polytomic keeps a sensitive value a PUT leaves out, and its Terraform provider relies on
 * it: `handleSensitiveValues` (provider/internal/connections/common.go, v2.0.0) deletes every
 * sensitive key equal to the prior state before each update. Only fields the schema flags, so only
 * top-level ones (every flag of the 226 schemas is): a credential it does not flag is an ordinary
 * field to Polytomic, cleared when left out, so it is always sent.
 */
export function secretsToSend(type: string, secrets: Config | undefined, previous: unknown): Config | undefined {
  const schema = connectionTypes.connectionTypeSchema(type);
  if (!schema || !secrets || !isObject(previous)) return secrets;
  const properties = schema.properties ?? {};
  return Object.fromEntries(
    Object.entries(secrets).filter(([key, value]) => !(Object.hasOwn(properties, key) && properties[key].sensitive === true && sameValue(value, previous[key]))),
  );
}

/**
 * What the server set, for a known type: its read-only fields, without the sensitive ones
 * (answered masked, except the webhook's generated `secret`, which has its own secret output).
 */
export function readOnlyConfiguration(type: string, configuration: Config): Config | undefined {
  const schema = connectionTypes.connectionTypeSchema(type);
  if (!schema) return undefined;
  const properties = schema.properties ?? {};
  const keys = connectionTypes.readOnlyKeys(schema).filter((key) => properties[key].sensitive !== true && configuration[key] !== undefined);
  return Object.fromEntries(keys.map((key) => [key, configuration[key]]));
}

/** Fields the server sets (read-only) of a known type: never read back as declared inputs. */
export function serverSetKeys(type: string): string[] {
  const schema = connectionTypes.connectionTypeSchema(type);
  return schema ? connectionTypes.readOnlyKeys(schema) : [];
}
