/**
 * Starts a manual run of a model sync and follows it to the end: one progress line each time the
 * status or the counts change. Knows nothing of Pulumi or of where records go.
 */
import { syncs } from "../../contract";

/** The part of the API client (client/) the runner uses. */
export interface SyncRunClient {
  syncs: {
    start(syncId: string): Promise<{ id: string; status: string }>;
    execution(syncId: string, executionId: string): Promise<syncs.Execution>;
  };
}

export interface RunOptions {
  client: SyncRunClient;
  syncId: string;
  /** Receives the progress lines. */
  log: (line: string) => void;
  /** Default 500 ms. */
  pollIntervalMs?: number;
  /** Give up waiting after this long (the run itself goes on). Default 10 minutes. */
  timeoutMs?: number;
}

/** The run did not end in time; it may still be running on the server. */
export class SyncRunTimeout extends Error {
  constructor(
    readonly executionId: string,
    readonly timeoutMs: number,
    readonly last: syncs.Execution | undefined,
  ) {
    super(`execution ${executionId} did not finish within ${Math.round(timeoutMs / 1000)} s (last status: ${last?.status ?? "unknown"}); it may still be running`);
    this.name = "SyncRunTimeout";
  }
}

export const isTerminal = (status: string): boolean => (syncs.TERMINAL_EXECUTION_STATUSES as readonly string[]).includes(status);

/** `running    total 100  inserted 0  updated 0  upserts 100  errors 0  warnings 0` */
export function progressLine(execution: syncs.Execution): string {
  const c = execution.counts;
  const counts = c
    ? `total ${c.total}  inserted ${c.insert}  updated ${c.update}  upserts ${c.upserts}  errors ${c.error}  warnings ${c.warnings}`
    : "no counts yet";
  return `${execution.status.padEnd(10)} ${counts}`;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Starts the run, logs progress, and returns the execution once its status is terminal. */
export async function runSyncToCompletion(opts: RunOptions): Promise<syncs.Execution> {
  const pollIntervalMs = opts.pollIntervalMs ?? 500;
  const timeoutMs = opts.timeoutMs ?? 10 * 60_000;
  const started = await opts.client.syncs.start(opts.syncId);
  opts.log(`execution ${started.id} ${started.status}`);

  const deadline = Date.now() + timeoutMs;
  let lastLine = "";
  let last: syncs.Execution | undefined;
  for (;;) {
    last = await opts.client.syncs.execution(opts.syncId, started.id);
    const line = progressLine(last);
    if (line !== lastLine) opts.log(line);
    lastLine = line;
    if (isTerminal(last.status)) return last;
    if (Date.now() >= deadline) throw new SyncRunTimeout(started.id, timeoutMs, last);
    await sleep(Math.min(pollIntervalMs, Math.max(0, deadline - Date.now())));
  }
}
