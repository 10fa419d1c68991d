/**
 * Request bodies and query strings: JSON parsing (malformed -> 400) and zod validation
 * (invalid -> 422 naming the field path).
 */
import type { Context } from "hono";
import type { z } from "zod";
import { badRequest, validationProblem } from "./errors";

/** Parses the JSON body and validates it. An empty body counts as `{}` when `optional`. */
export async function readBody<T extends z.ZodType>(
  c: Context,
  schema: T,
  options: { optional?: boolean } = {},
): Promise<z.output<T>> {
  const text = await c.req.text();
  let value: unknown;
  if (text.trim() === "") {
    if (!options.optional) throw badRequest("request body is required (JSON)");
    value = {};
  } else {
    try {
      value = JSON.parse(text);
    } catch {
      throw badRequest("request body is not valid JSON");
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationProblem(parsed.error);
  return parsed.data;
}

/** Validates the query string (every value a string; the schema coerces). */
export function readQuery<T extends z.ZodType>(c: Context, schema: T): z.output<T> {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) throw validationProblem(parsed.error);
  return parsed.data;
}

/** A query boolean as clients write it (`true`/`false`/`1`/`0`); absent -> undefined; else 400. */
export function queryBoolean(c: Context, name: string): boolean | undefined {
  const value = c.req.query(name);
  if (value === undefined || value === "") return undefined;
  if (value === "true" || value === "1") return true;
  if (value === "false" || value === "0") return false;
  throw badRequest(`query parameter ${name} must be true or false`);
}
