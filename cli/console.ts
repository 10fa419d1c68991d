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

/** How often a server looks whether the process that started it is still there. */
const PARENT_CHECK_MS = 500;

/**
 * On SIGINT or SIGTERM (once), or when the process that started this one is gone: `stop`, then
 * exit 0, or exit 1 saying why the stop failed. The last case is `npx polytomic-receiver` stopped
 * by a signal to `npx`, which dies without passing it on: its node child (this process) would
 * otherwise keep listening on the port. A parent that is gone shows as a new `process.ppid`.
 */
export function stopOnSignals(stop: (reason: NodeJS.Signals | "parent gone") => Promise<void>): void {
  let stopping = false;
  const handle = (reason: NodeJS.Signals | "parent gone") => {
    if (stopping) return;
    stopping = true;
    clearInterval(watch);
    stop(reason).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`stop failed: ${messageOf(error)}`);
        process.exit(1);
      },
    );
  };
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid !== parent) handle("parent gone");
  }, PARENT_CHECK_MS);
  watch.unref();
  process.once("SIGINT", handle);
  process.once("SIGTERM", handle);
}
