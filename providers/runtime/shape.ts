/**
 * Value helpers the providers' diff, check and read share: the preview's unknown marker,
 * canonical comparison, and laying a server object over what the user declared.
 */
import * as crypto from "node:crypto";
import { canonicalJson, REDACTED } from "../../contract";

/** What the engine sends during preview for a value that is not known yet. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/** JSON with sorted keys and no undefined members: equal values give equal text. */
export const canonical = canonicalJson;

export const sameValue = (a: unknown, b: unknown): boolean => canonical(a ?? null) === canonical(b ?? null);

/**
 * The server's view of what the user declared: each declared key takes the server's value, so an
 * edit made elsewhere shows as drift; keys the user did not declare (server defaults, echoes) are
 * left out, and masked secrets keep the declared value.
 */
export function projectOnto(declared: unknown, server: unknown): unknown {
  if (server === undefined || server === REDACTED) return declared;
  if (Array.isArray(declared) && Array.isArray(server)) {
    return server.map((item, i) => (i < declared.length ? projectOnto(declared[i], item) : item));
  }
  if (isPlainObject(declared) && isPlainObject(server)) {
    return Object.fromEntries(Object.entries(declared).map(([k, v]) => [k, projectOnto(v, server[k])]));
  }
  // A declared primitive absent on the server (null) reads as cleared.
  return server === null && declared !== null && declared !== undefined && !isPlainObject(declared) ? undefined : server;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === "object" && !Array.isArray(value);
}

/**
 * Idempotency-Key of a create: an HMAC keyed by the state's salt (see salt.ts) over the kind and
 * the declared object. The same object declared in the same state gives the same key, so a create
 * retried after a crash or a lost answer replays the first outcome instead of making a duplicate;
 * another state (another salt) never gets that key, so it never receives this state's objects.
 * Without the salt nobody can compute a key, nor test guesses of a secret input against one.
 */
export function idempotencyKey(kind: string, body: unknown, salt: string): string {
  if (salt.length < 16) throw new Error("idempotency salt missing or too short");
  const mac = crypto.createHmac("sha256", salt).update(`${kind}\n${canonical(body)}`).digest("hex");
  return `pulumi-${kind}-${mac.slice(0, 40)}`;
}

/** Drops undefined members (the API treats absent and null differently from "not sent"). */
export function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Removes undefined members at every depth: the engine's protobuf Struct rejects them. */
export function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : withoutUndefined(v))) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, withoutUndefined(v)]),
    ) as T;
  }
  return value;
}
