/** What every command script does around its command function: console lines and the exit code. */

export const consoleLines = {
  out: (line: string) => console.log(line),
  err: (line: string) => console.error(line),
};

/** Ends the process with the command's exit code, or 1 with the message of what it threw. */
export function exitWith(run: Promise<number>): void {
  run.then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(1);
    },
  );
}
