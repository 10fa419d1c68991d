/** Failures an operator fixes print as one line; anything else is a bug and keeps its stack. */

/** A failure with a one-line message for the operator (no stack trace). */
export class OperatorError extends Error {}

/**
 * The text to print for a script's failure. A failed Pulumi command (the Automation API's
 * CommandError, whose message is its whole output) is reduced to its `error:` lines.
 */
export function failureText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  if (err instanceof OperatorError) return err.message;
  const result = (err as { commandResult?: { stderr?: string; stdout?: string } }).commandResult;
  if (result) {
    const errors = `${result.stderr ?? ""}\n${result.stdout ?? ""}`
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line.startsWith("error:"));
    return [...new Set(errors)].join("\n") || "the Pulumi command failed (its output is above)";
  }
  return err.stack ?? err.message;
}

/** Runs a script's `main`, exits with its code, or prints {@link failureText} and exits 1. */
export function exitWith(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(failureText(err));
      process.exit(1);
    },
  );
}
