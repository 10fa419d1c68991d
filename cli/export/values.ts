/**
 * The values an exported resource's arguments are made of: plain JSON, plus pieces of code
 * (a reference to another resource, a stack-config secret) that the renderer writes verbatim.
 */

/** TypeScript written as is, e.g. `gcsProdConnection.id` or `config.requireSecret("…")`. */
export class Code {
  constructor(public text: string) {}
}

export type Value = null | boolean | number | string | Code | Value[] | { [key: string]: Value | undefined };

/** A plain object of values (not an array, not code). */
export type Fields = { [key: string]: Value | undefined };

export const isFields = (value: unknown): value is Fields =>
  !!value && typeof value === "object" && !Array.isArray(value) && !(value instanceof Code);

/** Where a value sits in an object, for messages: `configuration.headers[0].value`. */
export const pathText = (path: readonly (string | number)[]): string =>
  path.map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? part : `.${part}`)).join("");

/** Rewrites one node of API JSON (a mask, an id to reference); `undefined` keeps the node. */
export type Visitor = (value: unknown, path: readonly (string | number)[]) => Value | undefined;

/**
 * JSON from the API as a Value: object keys sorted (free-form maps such as `configuration` or
 * `metadata` then print the same way on every export, whatever order the API used), nulls
 * dropped, and each node offered to `visit` first.
 */
export function fromJson(json: unknown, visit?: Visitor, path: (string | number)[] = []): Value | undefined {
  const replaced = visit?.(json, path);
  if (replaced !== undefined) return replaced;
  if (json === null || json === undefined) return undefined;
  if (Array.isArray(json)) return json.map((item, i) => fromJson(item, visit, [...path, i]) ?? null);
  if (typeof json === "object") {
    const out: Fields = {};
    for (const key of Object.keys(json).sort(compareText)) {
      const value = fromJson((json as Record<string, unknown>)[key], visit, [...path, key]);
      if (value !== undefined) out[key] = value;
    }
    return out;
  }
  if (typeof json === "string" || typeof json === "number" || typeof json === "boolean") return json;
  return undefined;
}

/** Code-unit order: the same on every machine and locale, unlike localeCompare. */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** True for what adds nothing when declared: undefined, null, "", [] and {}. */
export function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isFields(value)) return Object.keys(value).length === 0;
  return false;
}

/** An object without its empty members, in the order given; `required` keys are kept even when empty. */
export function fields(entries: [string, Value | undefined][], required: readonly string[] = []): Fields {
  const out: Fields = {};
  for (const [key, value] of entries) {
    if (!isEmpty(value)) out[key] = value;
    else if (required.includes(key)) out[key] = value ?? null;
  }
  return out;
}
