/**
 * `node dist/scripts/speedSettings.js --stack <name>`: the engine settings that make a stack's
 * runs fast, as `NAME=value` lines for `$GITHUB_ENV`, so the shipped workflows run plain `pulumi`
 * (pulumi/actions) exactly as `npm run pulumi` does. One rule for both: checkpoints.ts decides
 * whether the state may be written once per run (the backend in PULUMI_BACKEND_URL keeps the
 * providers' notes, the stack creates no Google Cloud resource), pulumiEnv.ts the parallelism.
 * A value the job already sets wins.
 */
import { parseArgs } from "node:util";
import { runAsProcess } from "../cli/console";
import { checkpointMode, skipCheckpointsValue } from "./lib/checkpoints";
import { DEFAULT_PARALLEL } from "./lib/pulumiEnv";

export function speedSettings(stack: string, programDir: string, env: NodeJS.ProcessEnv): Record<string, string> {
  const mode = checkpointMode({ env, backendUrl: env.PULUMI_BACKEND_URL ?? "", programDir, stackName: stack });
  return {
    PULUMI_SKIP_CHECKPOINTS: skipCheckpointsValue(env, mode),
    PULUMI_PARALLEL: env.PULUMI_PARALLEL ?? DEFAULT_PARALLEL,
  };
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { stack: { type: "string" }, cwd: { type: "string" } } });
  if (!values.stack) {
    console.error("usage: speedSettings --stack <name> [--cwd <program folder>]");
    return 2;
  }
  for (const [name, value] of Object.entries(speedSettings(values.stack, values.cwd ?? process.cwd(), process.env))) console.log(`${name}=${value}`);
  return 0;
}

if (require.main === module) runAsProcess("speedSettings", main);
