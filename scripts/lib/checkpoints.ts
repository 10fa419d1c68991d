/**
 * Whether this project's Pulumi commands write the state after every step or once at the end.
 *
 * Why the end: otherwise the engine rewrites the whole state at every step (a file, or a row of a
 * PostgreSQL backend), so a create or destroy of N resources costs O(N²) in writes (at 1,000 syncs
 * about 2,000 writes of 4 MB each, most of the run). PULUMI_SKIP_CHECKPOINTS=true writes once,
 * when the run ends, failed or not.
 *
 * Why that is safe here: what a crash (kill -9, power loss) loses is the record of the run, not
 * the objects, and every Polytomic resource makes a re-run find them again: each create notes its
 * intent and then its object's id where the state is kept, before going on, and a retry takes
 * over what it finds (providers/runtime/createJournal.ts; the salt's nonce is kept there too), an
 * update is a PUT of the whole declared object, and a delete of an object already gone counts as
 * done. So the backend must be one where the providers keep notes (file, postgres): elsewhere
 * every checkpoint is kept. docs/performance.md ("Settings that trade safety for speed") has the test that shows it (kill -9 mid-`up` and
 * mid-`destroy`, the keys forgotten, then the same command again).
 *
 * Not for Google Cloud resources: creating a service-account key is not idempotent, so a stack
 * that creates them (gcpMode create) keeps the engine's checkpoints after every step; the
 * component refuses to run otherwise (components/gcsSource.ts).
 */
import * as fs from "node:fs";
import * as path from "node:path";

export type CheckpointMode = "each-step" | "end";

/** POLYTOMIC_CHECKPOINTS, if it names a mode; throws on anything else, naming the values. */
function modeFromEnv(env: NodeJS.ProcessEnv): CheckpointMode | undefined {
  const raw = env.POLYTOMIC_CHECKPOINTS;
  if (raw === undefined || raw === "") return undefined;
  if (raw === "each-step" || raw === "end") return raw;
  throw new Error(`POLYTOMIC_CHECKPOINTS must be "each-step" or "end" (got "${raw}")`);
}

/** Whether the stack's config file asks for Google Cloud resources to be created. */
export function stackCreatesGcp(programDir: string, stackName: string): boolean {
  const file = path.join(programDir, `Pulumi.${stackName}.yaml`);
  if (!fs.existsSync(file)) return false;
  return /^\s*(?:[\w-]+:)?gcpMode:\s*["']?create["']?\s*$/m.test(fs.readFileSync(file, "utf8"));
}

/** Backends where the providers can keep their notes (providers/runtime/stackNotes.ts): the fast path's condition. */
export function notesCanBeKept(backendUrl: string | undefined): boolean {
  return /^(file|postgres|postgresql):\/\//.test(backendUrl ?? "");
}

/**
 * The mode for a command: POLYTOMIC_CHECKPOINTS if set, else `each-step` for a stack whose config
 * creates Google Cloud resources or whose backend cannot keep the providers' notes, else `end`.
 */
export function checkpointMode(
  opts: { env?: NodeJS.ProcessEnv; backendUrl?: string; programDir?: string; stackName?: string; requested?: CheckpointMode } = {},
): CheckpointMode {
  const fromEnv = modeFromEnv(opts.env ?? process.env);
  if (fromEnv) return fromEnv;
  if (opts.requested) return opts.requested;
  if (opts.programDir && opts.stackName && stackCreatesGcp(opts.programDir, opts.stackName)) return "each-step";
  if (opts.backendUrl !== undefined && !notesCanBeKept(opts.backendUrl)) return "each-step";
  return "end";
}

/** PULUMI_SKIP_CHECKPOINTS for the engine: a value the user set themselves wins. */
export function skipCheckpointsValue(env: NodeJS.ProcessEnv, mode: CheckpointMode): string {
  return env.PULUMI_SKIP_CHECKPOINTS ?? (mode === "end" ? "true" : "false");
}
