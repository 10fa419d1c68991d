/**
 * A connection's `configuration` checked against its type's JSON Schema: required fields, types,
 * enums, nested objects and arrays, fields the type does not have. One issue per problem, naming
 * the field by its path; messages never quote a value (it may be a secret).
 *
 * The same rules serve the providers' preview check and the emulator's requests; they differ only
 * in what they do with fields a client may not set ({@link ValidateOptions}).
 */
import { type ConnectionTypeSchema, enumValues, isDeclarable, isMap } from "./schema";

/** A problem with one field: where (inside `configuration`) and what, e.g. `["port"]`, "must be an integer". */
export interface ConfigurationIssue {
  path: (string | number)[];
  message: string;
}

export interface ValidateOptions {
  /** The type's id, for messages. */
  type: string;
  /**
   * Top-level fields the schema does not list, and read-only or internal ones: `reject` (the
   * providers: a typo would otherwise be dropped silently) or `ignore` (the emulator, see
   * configurationOf in emulator/resources/typedConfiguration.ts).
   */
  undeclared: "reject" | "ignore";
}

/** Every problem of `value` as the `configuration` of a connection of this type; empty when it passes. */
export function configurationIssues(schema: ConnectionTypeSchema, value: unknown, options: ValidateOptions): ConfigurationIssue[] {
  const issues: ConfigurationIssue[] = [];
  if (!isObject(value)) return [{ path: [], message: "must be an object" }];
  const properties = schema.properties ?? {};
  for (const key of schema.required ?? []) {
    // Required with a `default` (postgresql's `port`, webhook's `auth_method`): left out, the server
    // takes the default (the emulator fills it in, contract/answers.ts `typedConfiguration.default`).
    const hasDefault = Object.hasOwn(properties, key) && properties[key].default !== undefined;
    if ((value[key] === undefined || value[key] === null) && !hasDefault) issues.push({ path: [key], message: "is required" });
  }
  for (const [key, field] of Object.entries(value)) {
    const property = Object.hasOwn(properties, key) ? properties[key] : undefined;
    if (!property) {
      if (options.undeclared === "reject") issues.push({ path: [key], message: `is not a field of connection type "${options.type}": remove it or check its spelling` });
      continue;
    }
    if (!isDeclarable(property)) {
      if (options.undeclared === "reject" && field !== undefined) issues.push({ path: [key], message: "is set by Polytomic, not by you: remove it" });
      continue;
    }
    checkValue(property, field, [key], issues);
  }
  return issues;
}

function checkValue(schema: ConnectionTypeSchema, value: unknown, path: (string | number)[], issues: ConfigurationIssue[]): void {
  // An optional field sent as null reads as not set (Terraform sends null for what it leaves unset).
  if (value === undefined || value === null) return;
  const wrong = (message: string) => issues.push({ path, message });
  switch (schema.type) {
    case "string":
      if (typeof value !== "string") return void wrong("must be a string");
      break;
    case "integer":
      if (typeof value !== "number" || !Number.isInteger(value)) return void wrong("must be an integer");
      break;
    case "number":
      if (typeof value !== "number" || !Number.isFinite(value)) return void wrong("must be a number");
      break;
    case "boolean":
      if (typeof value !== "boolean") return void wrong("must be true or false");
      break;
    case "array":
      if (!Array.isArray(value)) return void wrong("must be a list");
      if (schema.items) value.forEach((item, i) => checkValue(schema.items!, item, [...path, i], issues));
      return;
    case "object":
      if (!isObject(value)) return void wrong("must be an object");
      checkObject(schema, value, path, issues);
      return;
  }
  const allowed = enumValues(schema);
  if (allowed && !allowed.includes(value as string | number)) wrong(`must be one of ${allowed.map((v) => JSON.stringify(v)).join(", ")}`);
}

function checkObject(schema: ConnectionTypeSchema, value: Record<string, unknown>, path: (string | number)[], issues: ConfigurationIssue[]): void {
  if (isMap(schema)) {
    const values = typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined;
    if (values) for (const [key, item] of Object.entries(value)) checkValue(values, item, [...path, key], issues);
    return;
  }
  const properties = schema.properties ?? {};
  for (const key of schema.required ?? []) {
    if (value[key] === undefined || value[key] === null) issues.push({ path: [...path, key], message: "is required" });
  }
  for (const [key, item] of Object.entries(value)) {
    if (Object.hasOwn(properties, key)) checkValue(properties[key], item, [...path, key], issues);
    // Every nested object of the schemas says `additionalProperties: false`.
    else if (schema.additionalProperties === false) issues.push({ path: [...path, key], message: "is not a field here: remove it or check its spelling" });
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === "object" && !Array.isArray(value);
}
