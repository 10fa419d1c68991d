/**
 * Expected failures (bad credentials, an unreachable API, a 4xx, a timeout we chose) print as one
 * message; anything else is a bug and keeps its stack trace.
 *
 * How: an expected failure is rethrown with an empty stack, so the engine's report of it (the
 * resource's error, and the same under "Diagnostics") has no `at ...` lines.
 *
 * Why a failed preview printed its error four times: the engine shows a provider's error on the
 * resource's line and again in the diagnostics (Pulumi's display, for every error), and for check,
 * diff, read and delete Pulumi's dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`,
 * under Pulumi's own plugin and under ours) also writes every thrown error to its stderr as
 * `${err}: ${err.stack}`, which the engine shows as a message of the stack, on its line and in the
 * diagnostics: the same text twice more. {@link quietly} drops exactly that stderr line for the
 * errors this runtime hands over, and nothing else: the line is known before it is written (it is
 * computed from the error object itself, not recognised by its wording), and a bug's line, with its
 * stack trace, still goes through. The runtime only ever loads in the dynamic-provider host, whose
 * process serves dynamic providers alone; the program's process is never touched.
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

/**
 * Runs one provider method; expected failures leave it as a message only. `hostPrints`: the method
 * is one whose errors Pulumi's dynamic-provider host also writes to stderr (check, diff, read,
 * delete), a copy that is then dropped.
 */
export async function quietly<T>(run: () => Promise<T>, hostPrints = false): Promise<T> {
  try {
    return await run();
  } catch (err) {
    try {
      rethrowQuietly(err);
    } catch (quiet) {
      if (hostPrints && quiet instanceof ExpectedFailure) dropHostCopy(quiet);
      throw quiet;
    }
  }
}

/** The exact lines the host is about to write for errors handed over, with how many times: each dropped once. */
const handedOver = new Map<string, number>();
let filtering = false;

/** What the dynamic-provider host writes for `err` (`console.error(\`${e}: ${e.stack}\`)`). */
export function hostLine(err: Error): string {
  return `${String(err)}: ${err.stack ?? ""}`;
}

function dropHostCopy(err: ExpectedFailure): void {
  const line = hostLine(err);
  handedOver.set(line, (handedOver.get(line) ?? 0) + 1);
  if (filtering) return;
  filtering = true;
  const write = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    const pending = args.length === 1 && typeof args[0] === "string" ? handedOver.get(args[0]) : undefined;
    if (pending === undefined) return write(...args);
    if (pending > 1) handedOver.set(args[0] as string, pending - 1);
    else handedOver.delete(args[0] as string);
  };
}
