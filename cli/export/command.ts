/**
 * `polytomic-export --out <dir> [--stack <name>] [--project <name>] [--from-stack <stack>]`
 * `polytomic-export --check <dir> [--stack <name>]`
 * (`npm run export --` in this repository)
 *
 * Reads a live Polytomic organization and writes a Pulumi program that adopts all of it. The API
 * comes from POLYTOMIC_URL / POLYTOMIC_API_KEY, or from the `polytomic:*` config of `--from-stack`
 * (a stack of the Pulumi program in the current folder, read with the `pulumi` on PATH).
 * Everything from outside comes in through `deps`, so tests drive the command in-process.
 * Returns the exit code: 0 written, 1 API or file error, 2 usage.
 *
 * With `--check`, writes nothing: compares the organization with what the program in `<dir>`
 * and its stack's state manage (check.ts). Exit code 0 no drift, 1 drift, 2 usage or when the
 * check cannot be made (not a program, no such stack, key refused, API unreachable).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { argsOrExitCode, Lines, parseCommandLine } from "../args";
import { CannotCheck, CHECK_EXIT, CheckClient, checkStack, hasDrift, reportLines, StackSnapshot } from "./check";
import { planExport } from "./plan";
import { projectFiles, stackConfigFileName } from "./project";
import { ExportClient, readOrganization } from "./read";
import { renderProgram } from "./render";

/** The help text, for the command as it is invoked. */
export const usage = (tool: string) => `usage: ${tool} --out <dir> [--stack <name>] [--project <name>] [--from-stack <stack>]
       ${tool} --check <dir> [--stack <name>]

  --out         folder to write the program to (created; generated files in it are overwritten,
                an existing Pulumi.<stack>.yaml is kept: it holds the secrets you set)
  --stack       stack of the new program whose config file is written (default "dev");
                with --check, the stack of <dir> to check (default: the one selected there)
  --project     Pulumi project name of the new program (default "polytomic-org")
  --from-stack  read polytomic:url / polytomic:apiKey from this project's stack config
  --check       write nothing; list the drift between the organization and the program in <dir>:
                objects no resource manages, managed objects deleted, declared fields changed.
                Exit 0 no drift, 1 drift, 2 when the check cannot be made
API: polytomic:url / polytomic:apiKey of --from-stack, else $POLYTOMIC_URL / $POLYTOMIC_API_KEY;
with --check, polytomic:url / polytomic:apiKey / polytomic:partnerKey of the checked stack, else
$POLYTOMIC_URL / $POLYTOMIC_API_KEY / $POLYTOMIC_PARTNER_KEY.`;

/** The package the generated program depends on. */
export interface PackageInfo {
  name: string;
  version: string;
  versions: { pulumi: string; typescript: string; nodeTypes: string };
  /** The source checkout the command runs from, if it does not run from an installed package. */
  checkout?: string;
}

export interface ExportCommandDeps extends Lines {
  createClient(opts: { baseUrl: string; apiKey: string; organizationId?: string }): ExportClient | CheckClient;
  /** `--check`: the state and config of a stack of the program in `dir` (stackState.ts). */
  readStack?(dir: string, stack: string | undefined): Promise<StackSnapshot>;
  /** `polytomic:url` / `polytomic:apiKey` of a stack of this project (secrets in clear, kept in memory). */
  stackConfig(stack: string): Promise<Record<string, string | undefined>>;
  packageInfo: PackageInfo;
  env: NodeJS.ProcessEnv;
  /** The command's name in messages. Default `polytomic-export`. */
  tool?: string;
}

interface ExportArgs {
  mode: "export";
  out: string;
  stack: string;
  project: string;
  fromStack?: string;
  help: boolean;
}

interface CheckArgs {
  mode: "check";
  dir: string;
  stack?: string;
  help: boolean;
}

type Args = ExportArgs | CheckArgs;

const NAME = /^[A-Za-z0-9_.-]+$/;

function parse(argv: readonly string[]): Args {
  const { values } = parseCommandLine(argv, {
    out: { type: "string" },
    check: { type: "string" },
    stack: { type: "string" },
    project: { type: "string" },
    "from-stack": { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) return { mode: "export", out: "", stack: "", project: "", help: true };
  if (values.stack !== undefined && !NAME.test(values.stack)) {
    throw new Error(`--stack: "${values.stack}" is not a stack name (letters, digits, '-', '_', '.')`);
  }
  if (values.check !== undefined) {
    if (!values.check) throw new Error("--check: name the program's folder, e.g. --check ../polytomic-org");
    for (const option of ["out", "project", "from-stack"] as const) {
      if (values[option] !== undefined) throw new Error(`--${option}: not with --check (it reads the API from the checked stack's config)`);
    }
    return { mode: "check", dir: values.check, stack: values.stack, help: false };
  }
  const stack = values.stack ?? "dev";
  const project = values.project ?? "polytomic-org";
  if (!values.out) throw new Error("--out: name the folder to write the program to, e.g. --out ../polytomic-org (or --check <dir>)");
  if (!NAME.test(project)) throw new Error(`--project: "${project}" is not a project name (letters, digits, '-', '_', '.')`);
  return { mode: "export", out: values.out, stack, project, fromStack: values["from-stack"], help: false };
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Like the providers: the stack config first, then the environment. */
async function credentials(args: ExportArgs, deps: ExportCommandDeps): Promise<{ url: string; apiKey: string }> {
  const config = args.fromStack ? await deps.stackConfig(args.fromStack) : {};
  const url = config["polytomic:url"] || deps.env.POLYTOMIC_URL;
  const apiKey = config["polytomic:apiKey"] || deps.env.POLYTOMIC_API_KEY;
  const where = args.fromStack ? `stack "${args.fromStack}" has no %s, and ` : "";
  if (!url) throw new Error(`no API URL: ${where.replace("%s", "polytomic:url")}POLYTOMIC_URL is not set (e.g. https://app.polytomic.com)`);
  if (!apiKey) throw new Error(`no API key: ${where.replace("%s", "polytomic:apiKey")}POLYTOMIC_API_KEY is not set`);
  return { url: url.replace(/\/+$/, ""), apiKey };
}

export async function runExportCommand(argv: readonly string[], deps: ExportCommandDeps): Promise<number> {
  const tool = deps.tool ?? "polytomic-export";
  const args = argsOrExitCode(argv, parse, { tool, usage: usage(tool), out: deps.out, err: deps.err });
  if (typeof args === "number") return args;
  if (args.mode === "check") return runCheck(args, deps, tool);
  try {
    const { url, apiKey } = await credentials(args, deps);
    const org = await readOrganization(deps.createClient({ baseUrl: url, apiKey }), url);
    const plan = planExport(org);
    const files: Record<string, string> = {
      "index.ts": renderProgram(plan, { url, organization: org.organization, packageName: deps.packageInfo.name }),
      ...projectFiles({
        project: args.project,
        stack: args.stack,
        url,
        organizationName: org.organization.name,
        packageName: deps.packageInfo.name,
        packageVersion: deps.packageInfo.checkout ? `file:${path.relative(path.resolve(args.out), deps.packageInfo.checkout)}` : deps.packageInfo.version,
        versions: deps.packageInfo.versions,
      }),
    };
    const kept = writeFiles(args.out, files, stackConfigFileName(args.stack));

    for (const resource of plan.resources) {
      for (const note of resource.undeclared) deps.err(`warning: ${resource.label}: ${note}`);
    }
    const counts = (kind: string, noun: string) => {
      const n = plan.resources.filter((r) => r.kind === kind).length;
      return `${n} ${noun}${n === 1 ? "" : "s"}`;
    };
    deps.out(
      `Exported ${counts("Connection", "connection")}, ${counts("Model", "model")}, ${counts("ModelSync", "sync")} and ` +
        `${counts("OrgWebhook", "org webhook")} from ${url} to ${args.out}`,
    );
    if (kept) deps.out(`Kept the existing ${kept} (it holds the secrets already set); the other files were rewritten.`);
    deps.out("");
    deps.out(`Next, in ${args.out}: npm install && npm run build, then pulumi stack select --create ${args.stack}`);
    deps.out(`and the API key: pulumi config set --secret polytomic:apiKey (or POLYTOMIC_API_KEY in the environment).`);
    if (plan.secrets.length > 0) {
      deps.out("");
      deps.out("Polytomic never shows these secrets back: set each one (the command prompts for the value, or pipe it in):");
      const width = Math.max(...plan.secrets.map((s) => s.configKey.length));
      for (const secret of plan.secrets) {
        deps.out(`  pulumi config set --secret --stack ${args.stack} ${secret.configKey.padEnd(width)}  # ${secret.label}: ${secret.property}`);
      }
    }
    deps.out("");
    deps.out(
      plan.secrets.length === 0
        ? "Then pulumi up: it adopts every object and writes nothing."
        : "Then pulumi up: it adopts every object and writes only the objects holding these secrets, once (a secret cannot be compared).",
    );
    return 0;
  } catch (err) {
    deps.err(`export failed: ${message(err)}`);
    return 1;
  }
}

/** `--check <dir>`: the report on stdout, or one line on stderr when the check cannot be made. Writes nothing. */
async function runCheck(args: CheckArgs, deps: ExportCommandDeps, tool: string): Promise<number> {
  try {
    if (!deps.readStack) throw new CannotCheck("this command cannot read a stack");
    const snapshot = await deps.readStack(args.dir, args.stack);
    const { url, reports } = await checkStack(snapshot, { ...deps, createClient: (opts) => deps.createClient(opts) as CheckClient });
    for (const line of reportLines(args.dir, snapshot.stack, url, reports)) deps.out(line);
    return hasDrift(reports) ? CHECK_EXIT.drift : CHECK_EXIT.clean;
  } catch (err) {
    deps.err(`${tool} --check: ${err instanceof CannotCheck ? err.message : message(err).split("\n")[0]}`);
    return CHECK_EXIT.cannotCheck;
  }
}

/** Writes the files; an existing stack config file is left alone. Returns its name when kept. */
function writeFiles(dir: string, files: Record<string, string>, stackFile: string): string | undefined {
  fs.mkdirSync(dir, { recursive: true });
  let kept: string | undefined;
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name);
    if (name === stackFile && fs.existsSync(file)) {
      kept = name;
      continue;
    }
    fs.writeFileSync(file, text);
  }
  return kept;
}
