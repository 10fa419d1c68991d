/**
 * `polytomic-sync [<sync key or id>] [--stack <stack>] [--timeout <s>] [--outputs <file.json>]`:
 * run a model sync once and follow it to its outcome. Run it in your Pulumi program's folder: it
 * reads the sync ids from the stack's outputs with the `pulumi` on PATH and your own Pulumi
 * environment (backend, passphrase), and the API from POLYTOMIC_URL / POLYTOMIC_API_KEY or the
 * stack's `polytomic:*` config. (`npm run sync --` in this repository, with its own Pulumi.)
 *
 * Everything the command touches from outside comes in through `deps` (where the stack facts
 * come from, how the API client is made, where lines go), so tests drive it in-process.
 * Returns the exit code: 0 completed, 1 failed / canceled / timed out / API error, 2 usage.
 */
import { DEFAULT_API_KEY, DEFAULT_HOST, DEFAULT_PORT } from "../../emulator/defaults";
import { argsOrExitCode, Lines, parseCommandLine } from "../args";
import type { StackSource } from "../stackOutputs";
import { findSync, webhookUrlIn } from "./findSync";
import { runSyncToCompletion, SyncRunClient, SyncRunTimeout } from "./runner";

/** The help text, for the command as it is invoked. */
export function usage(tool: string): string {
  return `usage: ${tool} [<sync key or id>] [--stack <stack>] [--timeout <seconds>] [--outputs <file.json>]

  <sync key or id>   a key of the stack output "syncs" (the sync's key in config), or a sync id (default: the stack's only sync)
  --stack            stack to read outputs from (default: $POLYTOMIC_STACK, else the selected stack)
  --timeout          seconds to wait for the run to end (default 600)
  --outputs          read outputs from this JSON file instead of asking Pulumi
API: $POLYTOMIC_URL / $POLYTOMIC_API_KEY, else the stack config polytomic:url / polytomic:apiKey,
else the local emulator (http://${DEFAULT_HOST}:${DEFAULT_PORT}).`;
}

export interface SyncCommandDeps extends Lines {
  /** Picks where the stack facts come from: a file when `outputsFile` is given, else Pulumi. */
  stackSource(opts: { stack?: string; outputsFile?: string }): StackSource;
  createClient(opts: { baseUrl: string; apiKey: string }): SyncRunClient;
  env: NodeJS.ProcessEnv;
  pollIntervalMs?: number;
  /** The command's name in messages. Default `polytomic-sync`. */
  tool?: string;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export async function runSyncCommand(argv: readonly string[], deps: SyncCommandDeps): Promise<number> {
  const tool = deps.tool ?? "polytomic-sync";
  const args = argsOrExitCode(argv, (a) => parse(a, deps.env), { tool, usage: usage(tool), out: deps.out, err: deps.err });
  if (typeof args === "number") return args;

  let facts;
  try {
    facts = await deps.stackSource({ stack: args.stack, outputsFile: args.outputsFile })();
  } catch (err) {
    deps.err(message(err));
    return 1;
  }
  const sync = findSync(facts.outputs, args.sync);
  if (!sync.ok) {
    deps.err(sync.message);
    return 2;
  }

  const baseUrl = deps.env.POLYTOMIC_URL || facts.config["polytomic:url"] || `http://${DEFAULT_HOST}:${DEFAULT_PORT}`;
  const apiKey = deps.env.POLYTOMIC_API_KEY || facts.config["polytomic:apiKey"] || DEFAULT_API_KEY;
  const label = sync.name && sync.name !== "syncId" ? `${sync.name} (${sync.syncId})` : sync.syncId;
  deps.out(`sync ${label} on ${baseUrl}`);

  const startedAt = Date.now();
  const deliveredTo = webhookUrlIn(facts.outputs);
  const whereRecordsWent = () => {
    if (deliveredTo) deps.out(`records were delivered to ${deliveredTo}`);
  };
  try {
    const execution = await runSyncToCompletion({
      client: deps.createClient({ baseUrl, apiKey }),
      syncId: sync.syncId,
      timeoutMs: args.timeoutSeconds * 1000,
      pollIntervalMs: deps.pollIntervalMs,
      log: (line) => deps.out(`  ${line}`),
    });
    const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
    if (execution.status !== "completed") {
      const reasons = execution.errors?.filter(Boolean) ?? [];
      deps.err(`execution ${execution.id} ${execution.status} after ${seconds} s: ${reasons.join("; ") || "the API gave no error message"}`);
      whereRecordsWent();
      return 1;
    }
    const c = execution.counts;
    deps.out(`execution ${execution.id} completed in ${seconds} s: ${c ? `${c.total} records, ${c.error} errors, ${c.warnings} warnings` : "no counts"}`);
    if (c && c.error > 0) deps.err(`warning: ${c.error} records failed (${execution.errors?.join("; ") || "see the execution's error log"})`);
    whereRecordsWent();
    return 0;
  } catch (err) {
    deps.err(err instanceof SyncRunTimeout ? err.message : `sync run failed: ${message(err)}`);
    return 1;
  }
}

function parse(argv: readonly string[], env: NodeJS.ProcessEnv) {
  const { values, positionals } = parseCommandLine(
    argv,
    {
      stack: { type: "string", short: "s" },
      timeout: { type: "string" },
      outputs: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    { positionals: true },
  );
  if (positionals.length > 1) throw new Error(`one sync at a time (got ${positionals.length} names)`);
  const timeoutSeconds = Number(values.timeout ?? 600);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new Error("--timeout must be a positive number of seconds");
  return {
    sync: positionals[0],
    stack: values.stack ?? env.POLYTOMIC_STACK,
    timeoutSeconds,
    outputsFile: values.outputs,
    help: values.help ?? false,
  };
}
