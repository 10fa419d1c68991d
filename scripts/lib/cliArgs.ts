/**
 * One-line reasons for bad command-line arguments, shared by the command-line tools (bin/).
 *
 * Why not print `node:util` parseArgs's message as is: for a stray positional argument it quotes
 * the value, and a stray value is often a secret typed without its option name.
 */

/** The reason `error` (from parseArgs or a tool's own checks) gives, on one line, quoting no value. */
export function argumentProblem(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") return "unexpected argument: this command takes options only";
  const line = (error instanceof Error ? error.message : String(error)).split("\n")[0];
  // Node adds advice on positional arguments to "Unknown option '--x'"; the name is what matters.
  return code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" ? line.split(". ")[0] : line;
}

/** `<tool>: <reason> (see <tool> --help)`: what every tool prints before exiting with code 2. */
export function usageError(tool: string, error: unknown): string {
  return `${tool}: ${argumentProblem(error)} (see ${tool} --help)`;
}
