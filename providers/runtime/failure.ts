/**
 * Expected failures (bad credentials, an unreachable API, a 4xx, a timeout we chose) print as one
 * message; anything else is a bug and keeps its stack trace.
 *
 * Why the console filter: for check, diff, read and delete, Pulumi's dynamic-provider host logs
 * every thrown error as `${err}: ${err.stack}` to stderr before returning its message, so the
 * engine would print the message twice and a dozen `at ...` lines. The filter drops exactly that
 * line for errors this runtime marked as expected, and nothing else.
 */
import { PolytomicApiError, PolytomicNetworkError } from "../../client";

/** A failure the user fixes (config, input, credentials, the API's answer), not a bug. */
export class ExpectedFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "Error";
  }
}

/** `String(err)` of the expected failures thrown so far (the host logs them by that prefix). */
const quiet = new Set<string>();

let installed = false;
function installConsoleFilter(): void {
  if (installed) return;
  installed = true;
  const original = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    const line = args.length === 1 && typeof args[0] === "string" ? args[0] : undefined;
    if (line !== undefined && [...quiet].some((prefix) => line.startsWith(`${prefix}: `))) return;
    original(...args);
  };
}

const EXPECTED_TYPES = [ExpectedFailure, PolytomicApiError, PolytomicNetworkError];

/** True for failures a user fixes; the rest are bugs. */
export function isExpected(err: unknown): err is Error {
  return EXPECTED_TYPES.some((type) => err instanceof type);
}

/**
 * Rethrows an expected failure without its stack (and remembers it for the console filter);
 * a bug is rethrown as it is. Extra fields (`id`, `properties`, `reasons` of a half-made
 * create) are kept.
 */
export function rethrowQuietly(err: unknown): never {
  if (!isExpected(err)) throw err;
  installConsoleFilter();
  const quietErr = Object.assign(new ExpectedFailure(err.message), pickExtras(err));
  quietErr.stack = "";
  quiet.add(String(quietErr));
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
