/**
 * `npm run sync -- [<sync name or id>] [--stack <stack>] [--timeout <s>] [--outputs <file.json>]`:
 * run a model sync once and wait for its outcome. The logic lives in ./sync-run/.
 */
import { createClient } from "../client";
import { consoleLines, exitWith } from "./lib/cli";
import { providePulumiCli, pulumiEnv, repoRoot } from "./lib/pulumiEnv";
import { runSyncCommand } from "./sync-run/command";
import { stackFromFile, stackFromPulumi } from "./sync-run/outputs";

exitWith(
  runSyncCommand(process.argv.slice(2), {
    stackSource: ({ stack, outputsFile }) =>
      outputsFile ? stackFromFile(outputsFile) : stackFromPulumi(stack, pulumiEnv({ binDir: providePulumiCli() }), repoRoot),
    createClient,
    env: process.env,
    ...consoleLines,
  }),
);
