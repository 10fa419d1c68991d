/**
 * Expected failures (bad credentials, an unreachable API, a 4xx, a timeout we chose) print as one
 * message; anything else is a bug and keeps its stack trace.
 *
 * How: an expected failure is rethrown with an empty stack. For check, diff, read and delete,
 * Pulumi's dynamic-provider host logs every thrown error as `${err}: ${err.stack}` to stderr
 * before returning its message; with no stack that line repeats the message once, instead of
 * adding a dozen `at ...` lines. (Dropping that line too would mean patching the console of the
 * host's whole process, which a library must not do.)
 */
import { PolytomicApiError, PolytomicNetworkError } from "../../client";

/** A failure the user fixes (config, input, credentials, the API's answer), not a bug. */
export class ExpectedFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "Error";
  }
}

const EXPECTED_TYPES = [ExpectedFailure, PolytomicApiError, PolytomicNetworkError];

/** True for failures a user fixes; the rest are bugs. */
export function isExpected(err: unknown): err is Error {
  return EXPECTED_TYPES.some((type) => err instanceof type);
}

/**
 * Rethrows an expected failure without its stack; a bug is rethrown as it is. Extra fields (`id`,
 * `properties`, `reasons` of a half-made create) are kept.
 */
export function rethrowQuietly(err: unknown): never {
  if (!isExpected(err)) throw err;
  const quietErr = Object.assign(new ExpectedFailure(err.message), pickExtras(err));
  quietErr.stack = "";
  throw quietErr;
}

function pickExtras(err: Error): Record<string, unknown> {
  const { id, properties, reasons } = err as { id?: unknown; properties?: unknown; reasons?: unknown };
  return Object.fromEntries(Object.entries({ id, properties, reasons }).filter(([, v]) => v !== undefined));
}

/** Runs one provider method; expected failures leave it as a message only. */
export async function quietly<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    rethrowQuietly(err);
  }
}
