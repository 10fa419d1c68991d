/**
 * `npm run sync -- [<sync key or id>] [--stack <stack>] [--timeout <s>] [--outputs <file.json>]`:
 * run a model sync once and wait for its outcome, with this repository's offline Pulumi
 * environment (stack `dev` by default). The logic lives in ./sync-run/; the installed package's
 * `polytomic-sync` (bin/) runs the same command with the user's own Pulumi.
 */
import { providePulumiCli, pulumiEnv, repoRoot } from "./lib/pulumiEnv";
import { runSyncProcess } from "./sync-run/main";
import { stackFromFile, stackFromPulumi } from "./sync-run/outputs";

runSyncProcess({
  defaultStack: "dev",
  stackSource: ({ stack, outputsFile }) =>
    outputsFile ? stackFromFile(outputsFile) : stackFromPulumi(stack, pulumiEnv({ binDir: providePulumiCli() }), repoRoot),
});
