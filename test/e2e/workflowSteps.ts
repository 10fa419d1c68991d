/**
 * Runs the shell steps of a GitHub Actions job as the runner would, for tests against the
 * emulator: read from the workflow file itself, each step's `run` script under
 * `bash --noprofile --norc -eo pipefail`, with the job's and the step's `env`, its
 * `working-directory`, and GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / RUNNER_TEMP / GITHUB_WORKSPACE.
 * Expressions (`${{ ... }}`) are not evaluated: the test gives the job's env values, and a step's
 * `if` and env may only read `steps.<id>.outputs.<name>` or `env.<NAME>`. A `uses` step runs
 * only when the test gives its action a stand-in (`actions`: the command line the action runs,
 * e.g. pulumi/actions' `pulumi <command>`); others are left out, as the setup steps are.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

// js-yaml comes with @pulumi/pulumi (which reads Pulumi.yaml with it); no types ship with it.
const yaml = require("js-yaml") as { load(text: string): unknown };

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  with?: Record<string, unknown>;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  "working-directory"?: string;
}

interface Job {
  env?: Record<string, string>;
  steps: Step[];
}

export interface StepResult {
  id: string;
  status: number;
  output: string;
  outputs: Record<string, string>;
}

export interface JobRun {
  steps: StepResult[];
  /** What the job wrote to its summary. */
  summary: string;
  /** The first failing step, if any (the job stops there, as on GitHub). */
  failed?: StepResult;
}

export function readJob(workflowFile: string, jobName: string): Job {
  const workflow = yaml.load(fs.readFileSync(workflowFile, "utf8")) as { jobs: Record<string, Job> };
  const job = workflow.jobs[jobName];
  if (!job) throw new Error(`${workflowFile} has no job ${jobName}`);
  return job;
}

function runBash(script: string, cwd: string, env: Record<string, string>): Promise<{ status: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ status: code ?? 1, output }));
  });
}

const EXPRESSION = /\$\{\{\s*(.+?)\s*\}\}/g;

export async function runJob(
  job: Job,
  opts: {
    /** The checkout (GITHUB_WORKSPACE). */
    workspace: string;
    /** A value for every key of the job's `env`. */
    jobEnv: Record<string, string>;
    /** The rest of the environment (PATH with pulumi and a fake gh...). */
    baseEnv: Record<string, string>;
    /** Steps to leave out, by id, with the reason (e.g. what needs a registry). */
    skip: Record<string, string>;
    tmp: string;
    /** Stand-ins for actions, by name without the version (`pulumi/actions`): the bash script the step runs instead. */
    actions?: Record<string, (step: Step) => string>;
  },
): Promise<JobRun> {
  const missing = Object.keys(job.env ?? {}).filter((key) => !(key in opts.jobEnv));
  if (missing.length > 0) throw new Error(`no test value for the job's env ${missing.join(", ")}`);
  const outputs: Record<string, Record<string, string>> = {};
  const runnerTemp = fs.mkdtempSync(path.join(opts.tmp, "runner-"));
  const summaryFile = path.join(runnerTemp, "summary.md");
  fs.writeFileSync(summaryFile, "");
  const expression = (text: string): string =>
    text.replace(EXPRESSION, (_, expr: string) => {
      const step = expr.match(/^steps\.([\w-]+)\.outputs\.(\w+)$/);
      if (step) return outputs[step[1]]?.[step[2]] ?? "";
      const env = expr.match(/^env\.(\w+)$/);
      if (env) return opts.jobEnv[env[1]] ?? "";
      throw new Error(`unsupported expression in a step: ${expr}`);
    });
  const condition = (text: string | undefined): boolean => {
    if (!text) return true;
    const m = text.match(/^steps\.([\w-]+)\.outputs\.(\w+) == '([^']*)'$/);
    if (!m) throw new Error(`unsupported step condition: ${text}`);
    return (outputs[m[1]]?.[m[2]] ?? "") === m[3];
  };

  const run: JobRun = { steps: [], summary: "" };
  for (const original of job.steps) {
    const action = original.uses?.replace(/@.*$/, "");
    const standIn = action ? opts.actions?.[action] : undefined;
    // A stand-in without an id is known by its action's name (`pulumi-actions`).
    const step = standIn ? { ...original, id: original.id ?? action!.replace(/[^\w-]/g, "-"), run: standIn(original) } : original;
    if (!step.run) continue;
    if (!step.id) throw new Error(`step "${step.name}" has no id`);
    if (step.id in opts.skip) continue;
    if (!condition(step.if)) continue;
    const outputFile = path.join(runnerTemp, `${step.id}.output`);
    fs.writeFileSync(outputFile, "");
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expression(String(v))]));
    const cwd = path.resolve(opts.workspace, expression(step["working-directory"] ?? "."));
    const { status, output } = await runBash(step.run, cwd, {
      ...opts.baseEnv,
      ...opts.jobEnv,
      ...stepEnv,
      GITHUB_WORKSPACE: opts.workspace,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      RUNNER_TEMP: runnerTemp,
    });
    const stepOutputs = Object.fromEntries(
      fs
        .readFileSync(outputFile, "utf8")
        .split("\n")
        .filter((line) => line.includes("="))
        .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    );
    outputs[step.id] = stepOutputs;
    const result = { id: step.id, status, output, outputs: stepOutputs };
    run.steps.push(result);
    if (status !== 0) {
      run.failed = result;
      break;
    }
  }
  run.summary = fs.readFileSync(summaryFile, "utf8");
  return run;
}
