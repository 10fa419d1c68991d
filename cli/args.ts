/**
 * The one way the shipped commands read their arguments: `node:util` parseArgs (strict), a
 * command's own checks on top, and one answer for both kinds of mistake: a single line
 * `<tool>: <reason> (see <tool> --help)` on stderr and exit code 2. `--help` prints the usage and
 * exits 0.
 *
 * Why not print parseArgs's message as is: for a stray positional argument it quotes the value,
 * and a stray value is often a secret typed without its option name.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";

/** The exit code of a command given bad arguments. */
export const USAGE_EXIT_CODE = 2;

type OptionSpecs = NonNullable<ParseArgsConfig["options"]>;
type CommandLine<O extends OptionSpecs> = { args: string[]; options: O; strict: true; allowPositionals: boolean };
/** The values (typed from the option specs) and positionals of a command line. */
export type ParsedCommandLine<O extends OptionSpecs> = ReturnType<typeof parseArgs<CommandLine<O>>>;

/** parseArgs with the settings every command uses: unknown options refused; positionals only when asked for. */
export function parseCommandLine<O extends OptionSpecs>(
  argv: readonly string[],
  options: O,
  opts: { positionals?: boolean } = {},
): ParsedCommandLine<O> {
  return parseArgs<CommandLine<O>>({ args: [...argv], options, strict: true, allowPositionals: opts.positionals ?? false });
}

/** The reason `error` (from parseArgs or a command's own checks) gives, on one line, quoting no value. */
export function argumentProblem(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") return "unexpected argument: this command takes options only";
  const line = (error instanceof Error ? error.message : String(error)).split("\n")[0];
  // Node adds advice on positional arguments to "Unknown option '--x'"; the name is what matters.
  return code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" ? line.split(". ")[0] : line;
}

/** `<tool>: <reason> (see <tool> --help)`: what every command prints before exiting with code 2. */
export function usageError(tool: string, error: unknown): string {
  return `${tool}: ${argumentProblem(error)} (see ${tool} --help)`;
}

/** Where a command's lines go. */
export interface Lines {
  out: (line: string) => void;
  err: (line: string) => void;
}

/**
 * The parsed arguments, or the exit code when there is nothing more to do: 0 after printing the
 * usage (`help` set), 2 after printing why the arguments are wrong.
 */
export function argsOrExitCode<T extends { help: boolean }>(
  argv: readonly string[],
  parse: (argv: readonly string[]) => T,
  command: { tool: string; usage: string } & Lines,
): T | number {
  let args: T;
  try {
    args = parse(argv);
  } catch (error) {
    command.err(usageError(command.tool, error));
    return USAGE_EXIT_CODE;
  }
  if (!args.help) return args;
  command.out(command.usage);
  return 0;
}
