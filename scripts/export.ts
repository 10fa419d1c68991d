/**
 * `npm run export -- --out <dir> [--stack <name>] [--project <name>] [--from-stack <stack>]`:
 * write a Pulumi program that adopts a live Polytomic organization. The logic lives in ./export/.
 */
import { createClient } from "../client";
import { runExportCommand } from "./export/command";
import { readPackageInfo } from "./export/package-info";
import { consoleLines, exitWith } from "./lib/cli";
import { providePulumiCli, pulumiEnv, repoRoot } from "./lib/pulumiEnv";
import { stackFromPulumi } from "./sync-run/outputs";

exitWith(
  runExportCommand(process.argv.slice(2), {
    createClient,
    stackConfig: async (stack) => (await stackFromPulumi(stack, pulumiEnv({ binDir: providePulumiCli() }), repoRoot)()).config,
    packageInfo: readPackageInfo(repoRoot),
    env: process.env,
    ...consoleLines,
  }),
);
