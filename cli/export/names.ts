/**
 * Names in the generated program: Pulumi resource names, TypeScript variables and stack-config
 * keys, derived from the objects' names. They must be unique and must not move between two
 * exports of the same organization, so every choice depends only on the objects themselves.
 */
import { compareText as compare } from "./values";

/** What an object of each kind is called in the export's comments and in `--check`'s report. */
export const KIND_NOUN = {
  Role: "role",
  Policy: "policy",
  User: "user",
  GlobalErrorSubscribers: "global error subscribers",
  Connection: "connection",
  ConnectionSchemaPrimaryKeys: "primary keys",
  Model: "model",
  ModelSync: "sync",
  BulkSync: "bulk sync",
  OrgWebhook: "org webhook",
  Organization: "organization",
} as const;

/**
 * How one object is named to a person: `sync "Contacts"`, or by its id when it has no name; the
 * organization's one list of error subscribers by its kind alone.
 */
export function objectLabel(kind: keyof typeof KIND_NOUN, name: unknown, id: string): string {
  if (kind === "GlobalErrorSubscribers") return KIND_NOUN[kind];
  return typeof name === "string" ? `${KIND_NOUN[kind]} ${JSON.stringify(name)}` : `${KIND_NOUN[kind]} ${id}`;
}

/** `"GCS – prod (EU)"` -> `"gcs-prod-eu"`: lower-case letters, digits and single dashes. */
export function slug(text: string, maxLength = 48): string {
  const ascii = text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  const dashed = ascii
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return dashed.slice(0, maxLength).replace(/-+$/, "");
}

export interface Nameable {
  id: string;
  /** The wanted name, before collisions are resolved. */
  base: string;
  /** Orders objects that want the same name: the first keeps it (e.g. the creation time). */
  rank: string;
}

/**
 * One unique name per object (returned by id). The first object of a group wanting the same
 * name (by rank, then id) keeps it; the others get `-<start of their id>`, as short as stays unique.
 * So adding a namesake later never renames the existing object.
 */
export function uniqueNames(items: readonly Nameable[]): Map<string, string> {
  const sorted = [...items].sort((a, b) => compare(a.base, b.base) || compare(a.rank, b.rank) || compare(a.id, b.id));
  const taken = new Set<string>();
  const names = new Map<string, string>();
  // Plain names first, so a suffixed name can never take a plain one from an object sorted later.
  const firsts = sorted.filter((item, i) => i === 0 || sorted[i - 1].base !== item.base);
  for (const item of firsts) {
    if (!taken.has(item.base)) {
      taken.add(item.base);
      names.set(item.id, item.base);
    }
  }
  for (const item of sorted) {
    if (names.has(item.id)) continue;
    const idPart = slug(item.id, 64) || "x";
    let name = "";
    for (let length = 6; ; length++) {
      name = `${item.base}-${idPart.slice(0, length)}`;
      if (!taken.has(name)) break;
      if (length >= idPart.length) {
        // Ids are unique, so only a pathological set of names gets here: count up from the full id.
        for (let n = 2; taken.has(name); n++) name = `${item.base}-${idPart}-${n}`;
        break;
      }
    }
    taken.add(name);
    names.set(item.id, name);
  }
  return names;
}

/**
 * `"gcs-prod"` + `"Connection"` -> `"gcsProdConnection"`, `"v2-1"` -> `"v2_1…"`: a valid
 * identifier, never a keyword. One-to-one on slugs (no upper case, no `_`, single dashes), and
 * the suffixes end differently, so unique resource names give unique variables.
 */
export function variableName(resourceName: string, suffix: string): string {
  const camel = resourceName.replace(/-([a-z0-9])/g, (_, c: string) => (/[0-9]/.test(c) ? `_${c}` : c.toUpperCase()));
  return /^[0-9]/.test(camel) ? `_${camel}${suffix}` : `${camel}${suffix}`;
}
