/**
 * Keeps the SDK's per-promise debug traces out of source-map work, and only those.
 *
 * Why: `@pulumi/pulumi`'s `debuggablePromise` (runtime/debuggable.js) stores `new Error().stack`
 * on every promise the SDK makes for a resource: one per output property (transferProperties),
 * per registration, per RPC. They are read only in the leak report printed when a program exits
 * with promises still pending. But `@pulumi/pulumi/cmd/run` and the dynamic-provider host
 * install source-map-support, whose `Error.prepareStackTrace` maps every frame of every stack
 * through the source maps, and `.stack` is read at once. In a 100-sync preview under Pulumi's
 * own language host that was 1.3 of the 1.4 s of CPU the program spent in source-map code (and
 * more in garbage collection), ~10 promises per resource (bench/PROFILE.md).
 *
 * How: when the package loads, the `Error.prepareStackTrace` in place (source-map-support's, or
 * anything else) is wrapped: a stack captured by `debuggablePromise` itself (the top frame is that
 * function in the SDK's runtime/debuggable.js) gets V8's own text, unmapped; every other stack goes
 * to the wrapped function as before. So the traces people read, and the positions the SDK records
 * for each resource in the state (`Resource.callsites`, a different function), stay mapped exactly
 * as before. Without a `prepareStackTrace` in place (no source maps), nothing changes.
 */
import * as path from "node:path";

const DEBUGGABLE = path.join("@pulumi", "pulumi", "runtime", "debuggable.js");
const INSTALLED = Symbol.for("polytomic-pulumi.debugTraces");

type PrepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) => unknown;

/** V8's default text for a stack: the error's name and message, then one "    at <frame>" line per frame. */
function unmapped(error: Error, frames: NodeJS.CallSite[]): string {
  return `${String(error)}${frames.map((frame) => `\n    at ${frame}`).join("")}`;
}

/** Whether the stack was captured by the SDK's `debuggablePromise`. */
export function isDebuggablePromiseTrace(frames: readonly NodeJS.CallSite[]): boolean {
  const top = frames[0];
  return top !== undefined && top.getFunctionName() === "debuggablePromise" && (top.getFileName() ?? "").endsWith(DEBUGGABLE);
}

/** Wraps the `Error.prepareStackTrace` in place, once; see the module comment. */
export function installCheapDebugTraces(): void {
  const current = Error.prepareStackTrace as (PrepareStackTrace & { [INSTALLED]?: true }) | undefined;
  if (typeof current !== "function" || current[INSTALLED]) return;
  const wrapped: PrepareStackTrace & { [INSTALLED]?: true } = (error, frames) =>
    isDebuggablePromiseTrace(frames) ? unmapped(error, frames) : current(error, frames);
  wrapped[INSTALLED] = true;
  Error.prepareStackTrace = wrapped as typeof Error.prepareStackTrace;
}

installCheapDebugTraces();
