/**
 * Writes the typed connection classes (providers/connections/generated/) from the snapshot of
 * Polytomic's connection types (contract/connectionTypes/data/, see its NOTICE.md).
 *
 * `node dist/scripts/generateConnections.js [--from <folder>]`: with `--from`, first replaces the
 * snapshot with the folder's `connectiontypes.json` and `connectiontypes/<id>.json` (a checkout
 * of Polytomic's Terraform provider's provider/gen/connections, or answers saved from the API).
 *
 * What it writes, and why in that shape (the package root must load as fast as before):
 * - `types/<id>.ts`: the configuration types of one connection type. Types only: erased at
 *   compile time, never loaded at run time.
 * - `classes.ts`: one small class per type (its type id and its secret paths, nothing else), all in
 *   one module: one file to load rather than 226.
 * - `index.ts`: the exports.
 *
 * Naming: contract/connectionTypes/naming.ts (`amazon_keyspaces` -> `AmazonKeyspacesConnection`).
 * Two ids giving one name, or a name the package already uses, stop the generator.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { connectionTypes } from "../contract";
import type { ConnectionTypeEntry, ConnectionTypeSchema } from "../contract/connectionTypes";

const ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? "../.." : "..");
export const SNAPSHOT_DIR = path.join(ROOT, "contract", "connectionTypes", "data");
export const GENERATED_DIR = path.join(ROOT, "providers", "connections", "generated");

/** Names the package exports besides the generated classes: none may be taken. */
const RESERVED = new Set(["Connection", "TypedConnection"]);

const ORIGIN = "Polytomic's connection types (contract/connectionTypes/data, from polytomic/terraform-provider-polytomic v2.0.0, MPL-2.0; see its NOTICE.md)";

/** `amazon_keyspaces` -> `AmazonKeyspaces`: the class name (contract/connectionTypes/naming.ts) without `Connection`. */
export const pascalName = (id: string): string => connectionTypes.connectionClassName(id).replace(/Connection$/, "");

export const className = connectionTypes.connectionClassName;

const identifier = (key: string) => (/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key));

/** Text safe inside a TSDoc block. */
const docText = (text: string) => text.replace(/\*\//g, "*\\/").replace(/\s+$/g, "");

function docLines(schema: ConnectionTypeSchema, secret: boolean): string[] {
  const lines: string[] = [];
  const title = schema.title?.trim();
  if (title) lines.push(`${docText(title)}.`.replace(/\.\.$/, "."));
  if (schema.description?.trim()) lines.push(docText(schema.description.trim()));
  const labelled = (schema.enum ?? []).filter((e): e is { value: string; label: string } => typeof e === "object" && e !== null && "label" in e);
  if (labelled.length > 0) lines.push(`Values: ${labelled.map((e) => `\`${e.value}\` (${docText(String(e.label))})`).join(", ")}.`);
  if (schema.format === "json") lines.push("JSON text.");
  if (schema.examples?.length) lines.push(`Example: \`${docText(JSON.stringify(schema.examples[0]).replace(/`/g, "'"))}\`.`);
  if (schema.default !== undefined) lines.push(`Default: \`${docText(JSON.stringify(schema.default))}\` (Polytomic's, when left out).`);
  if (secret) lines.push("Secret: kept in `sensitiveConfiguration`, encrypted in state.");
  return lines;
}

function docBlock(lines: string[], indent: string): string {
  if (lines.length === 0) return "";
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((line) => `${indent} * ${line}`.replace(/\s+$/, "")).join(`\n`)}\n${indent} */\n`;
}

type Mode = "input" | "output";

/** The TypeScript type of a schema value: inputs wrap every level in `pulumi.Input`. */
function typeOf(schema: ConnectionTypeSchema, mode: Mode, secrets: connectionTypes.PathTree | undefined, indent: string): string {
  const wrap = (t: string) => (mode === "input" ? `pulumi.Input<${t}>` : t);
  const values = connectionTypes.enumValues(schema);
  if (values) return wrap(values.map((v) => JSON.stringify(v)).join(" | "));
  switch (schema.type) {
    case "string":
      return wrap("string");
    case "integer":
    case "number":
      return wrap("number");
    case "boolean":
      return wrap("boolean");
    case "array": {
      const item = schema.items ? typeOf(schema.items, mode, undefined, indent) : wrap("unknown");
      return wrap(`${item}[]`);
    }
    case "object": {
      if (connectionTypes.isMap(schema)) return wrap(`Record<string, ${mode === "input" ? "pulumi.Input<string>" : "string"}>`);
      return wrap(objectType(schema, mode, secrets, indent));
    }
    default:
      return wrap("unknown");
  }
}

function objectType(schema: ConnectionTypeSchema, mode: Mode, secrets: connectionTypes.PathTree | undefined, indent: string, topLevel = false): string {
  const inner = `${indent}  `;
  const required = new Set(schema.required ?? []);
  let body = "";
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    if (topLevel && !connectionTypes.isDeclarable(property)) continue;
    const secret = secrets?.[key];
    // Outputs show what is not secret; a secret's value is only in `sensitiveConfiguration`.
    if (mode === "output" && secret === true) continue;
    const optional = !required.has(key) || property.default !== undefined;
    body += docBlock(docLines(property, secret === true), inner);
    body += `${inner}${identifier(key)}${optional ? "?" : ""}: ${typeOf(property, mode, secret === true ? undefined : secret, inner)};\n`;
  }
  return body ? `{\n${body}${indent}}` : "Record<string, never>";
}

function readOnlyType(schema: ConnectionTypeSchema): string {
  let body = "";
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    if (!connectionTypes.isReadOnly(property) || property.sensitive === true) continue;
    body += docBlock(docLines(property, false), "  ");
    body += `  ${identifier(key)}?: ${typeOf(property, "output", undefined, "  ")};\n`;
  }
  return body ? `{\n${body}}` : "Record<string, never>";
}

const HEADER = (what: string) =>
  `// Generated by scripts/generateConnections.ts (npm run generate:connections) from ${what}.\n` +
  `// Do not edit: change the generator or refresh the data, then regenerate.\n`;

function typesFile(entry: ConnectionTypeEntry, schema: ConnectionTypeSchema): string {
  const name = pascalName(entry.id);
  const secrets = connectionTypes.secretPaths(entry.id, schema);
  const tree = connectionTypes.pathTree(secrets);
  const label = `${docText(entry.name)} (\`${entry.id}\`)`;
  return (
    HEADER(`contract/connectionTypes/data/connectiontypes/${entry.id}.json: ${ORIGIN}`) +
    `import type * as pulumi from "@pulumi/pulumi";\n` +
    `import type { TypedConnectionArgs } from "../../typedConnection";\n\n` +
    `/** The configuration of a ${label} connection, as you declare it (secrets included: the class keeps them secret). */\n` +
    `export type ${name}ConfigurationArgs = ${objectType(schema, "input", tree, "", true)};\n\n` +
    `/** The configuration of a ${label} connection as its outputs show it: without its secrets. */\n` +
    `export type ${name}Configuration = ${objectType(schema, "output", tree, "", true)};\n\n` +
    `/** What Polytomic sets in a ${label} connection's configuration (its read-only fields). */\n` +
    `export type ${name}ReadOnlyConfiguration = ${readOnlyType(schema)};\n\n` +
    `/** The inputs of {@link ${name}Connection}. */\n` +
    `export type ${name}ConnectionArgs = TypedConnectionArgs<${name}ConfigurationArgs>;\n`
  );
}

function classBlock(entry: ConnectionTypeEntry, schema: ConnectionTypeSchema): string {
  const name = pascalName(entry.id);
  const secrets = connectionTypes.secretPaths(entry.id, schema);
  const oauth = entry.use_oauth
    ? "\n * Polytomic's UI connects this type with OAuth: through the API, give the tokens its configuration lists, or connect it in the UI and adopt it with `adoptId`."
    : "";
  return (
    `/**\n * A Polytomic connection of type \`${entry.id}\` (${docText(entry.name)}). Secrets in \`configuration\` (${
      secrets.length ? secrets.map((s) => `\`${s}\``).join(", ") : "none"
    }) are kept as Pulumi secrets.${oauth}\n */\n` +
    `export class ${name}Connection extends TypedConnection<t.${name}ConfigurationArgs, t.${name}Configuration, t.${name}ReadOnlyConfiguration> {\n` +
    `  constructor(name: string, args: t.${name}ConnectionArgs, opts?: pulumi.CustomResourceOptions) {\n` +
    `    super(${JSON.stringify(entry.id)}, ${JSON.stringify(secrets)}, name, args, opts);\n` +
    `  }\n\n` +
    `  /** Reads an existing connection into the program (no adoption: the stack does not own it). */\n` +
    `  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): ${name}Connection {\n` +
    `    return new ${name}Connection(name, undefined as never, { ...opts, id });\n` +
    `  }\n}\n`
  );
}

/** Every generated file (path relative to the generated folder -> text), from a snapshot folder. */
export function generate(snapshotDir = SNAPSHOT_DIR): Map<string, string> {
  const entries = JSON.parse(fs.readFileSync(path.join(snapshotDir, "connectiontypes.json"), "utf8")) as ConnectionTypeEntry[];
  const sorted = [...entries].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const seen = new Map<string, string>();
  for (const entry of sorted) {
    const name = className(entry.id);
    if (RESERVED.has(name) || seen.has(name)) throw new Error(`connection type "${entry.id}" would be named ${name}, taken by ${seen.get(name) ?? "the package"}`);
    seen.set(name, entry.id);
  }
  const files = new Map<string, string>();
  const schemaOf = (id: string) => JSON.parse(fs.readFileSync(path.join(snapshotDir, "connectiontypes", `${id}.json`), "utf8")) as ConnectionTypeSchema;
  let classes =
    HEADER(`contract/connectionTypes/data: ${ORIGIN}`) +
    `import type * as pulumi from "@pulumi/pulumi";\n` +
    `import { TypedConnection } from "../typedConnection";\n` +
    `import type * as t from "./types";\n\n`;
  let typesIndex = HEADER(`contract/connectionTypes/data: ${ORIGIN}`);
  for (const entry of sorted) {
    const schema = schemaOf(entry.id);
    files.set(`types/${entry.id}.ts`, typesFile(entry, schema));
    typesIndex += `export type * from "./${entry.id}";\n`;
    classes += `\n${classBlock(entry, schema)}`;
  }
  files.set("types/index.ts", typesIndex);
  files.set("classes.ts", classes);
  files.set(
    "index.ts",
    HEADER(`contract/connectionTypes/data: ${ORIGIN}`) +
      `/** One class per Polytomic connection type (${sorted.length} types), and the types of their configurations. */\n` +
      `export * from "./classes";\nexport type * from "./types";\n`,
  );
  return files;
}

/** Every file under the generated folder, as it is on disk. */
export function onDisk(dir = GENERATED_DIR): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (sub: string) => {
    for (const d of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${d.name}` : d.name;
      if (d.isDirectory()) walk(rel);
      else files.set(rel, fs.readFileSync(path.join(dir, rel), "utf8"));
    }
  };
  if (fs.existsSync(dir)) walk("");
  return files;
}

/** Replaces the snapshot with a folder's copy (the list and one schema per listed type). */
export function refreshSnapshot(from: string, to = SNAPSHOT_DIR): number {
  const listFile = path.join(from, "connectiontypes.json");
  const entries = JSON.parse(fs.readFileSync(listFile, "utf8")) as ConnectionTypeEntry[];
  for (const entry of entries) {
    if (!/^[a-z0-9_]+$/.test(entry.id)) throw new Error(`unexpected connection type id ${JSON.stringify(entry.id)} in ${listFile}`);
    if (!fs.existsSync(path.join(from, "connectiontypes", `${entry.id}.json`))) throw new Error(`no schema for "${entry.id}" in ${from}/connectiontypes`);
  }
  fs.rmSync(path.join(to, "connectiontypes"), { recursive: true, force: true });
  fs.mkdirSync(path.join(to, "connectiontypes"), { recursive: true });
  fs.copyFileSync(listFile, path.join(to, "connectiontypes.json"));
  for (const entry of entries) fs.copyFileSync(path.join(from, "connectiontypes", `${entry.id}.json`), path.join(to, "connectiontypes", `${entry.id}.json`));
  return entries.length;
}

function main(argv: string[]): void {
  const fromAt = argv.indexOf("--from");
  if (fromAt >= 0) {
    const from = argv[fromAt + 1];
    if (!from) throw new Error("--from needs a folder holding connectiontypes.json and connectiontypes/");
    console.log(`snapshot: ${refreshSnapshot(path.resolve(from))} types copied from ${from} (update data/NOTICE.md with where they came from)`);
  }
  const files = generate();
  fs.rmSync(GENERATED_DIR, { recursive: true, force: true });
  for (const [rel, text] of files) {
    fs.mkdirSync(path.dirname(path.join(GENERATED_DIR, rel)), { recursive: true });
    fs.writeFileSync(path.join(GENERATED_DIR, rel), text);
  }
  console.log(`wrote ${files.size} files to ${path.relative(process.cwd(), GENERATED_DIR) || "."}`);
}

if (require.main === module) main(process.argv.slice(2));
