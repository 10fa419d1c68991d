/** What every command-line process does around its work: console lines, the exit code, signals. */

export const consoleLines = {
  out: (line: string) => console.log(line),
  err: (line: string) => console.error(line),
};

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Ends the process with the command's exit code, or 1 with the message of what it threw
 * (prefixed with the tool's name when one is given).
 */
export function exitWith(run: Promise<number>, tool?: string): void {
  run.then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(tool ? `${tool}: ${messageOf(err)}` : messageOf(err));
      process.exit(1);
    },
  );
}

/** On SIGINT or SIGTERM (once): `stop`, then exit 0, or exit 1 saying why the stop failed. */
export function stopOnSignals(stop: (signal: NodeJS.Signals) => Promise<void>): void {
  const handle = (signal: NodeJS.Signals) =>
    stop(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`stop failed: ${messageOf(error)}`);
        process.exit(1);
      },
    );
  process.once("SIGINT", handle);
  process.once("SIGTERM", handle);
}
