/** What every command-line process does around its work: console lines, the exit code, signals. */
import type { Lines } from "./args";

export const consoleLines: Lines = {
  out: (line: string) => console.log(line),
  err: (line: string) => console.error(line),
};

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * A command as this process (what each bin/ entry does): runs `main` on the process's arguments
 * and exits with the code it returns. A server's `main` returns `undefined` once listening, and the
 * process runs on until a signal stops it. A throw exits 1 with `<tool>: <message>`.
 */
export function runAsProcess(tool: string, main: (argv: string[]) => Promise<number | undefined>): void {
  main(process.argv.slice(2)).then(
    (code) => {
      if (code !== undefined) process.exit(code);
    },
    (err: unknown) => {
      console.error(`${tool}: ${messageOf(err)}`);
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
