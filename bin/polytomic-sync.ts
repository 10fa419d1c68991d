#!/usr/bin/env node
/**
 * `polytomic-sync [<sync name or id>] [--stack <stack>] [--outputs <file.json>]`: run a model sync
 * once and follow it to its outcome. Run it in your Pulumi program's folder: it reads the sync ids
 * from the stack's outputs with the `pulumi` on PATH and your own Pulumi environment (backend,
 * passphrase), and the API from POLYTOMIC_URL / POLYTOMIC_API_KEY or the stack's `polytomic:*`
 * config. Exit codes: 0 completed, 1 failed / timed out / API error, 2 bad arguments.
 */
import { runSyncProcess } from "../scripts/sync-run/main";
import { stackFromFile, stackFromPulumi } from "../scripts/sync-run/outputs";

runSyncProcess({
  tool: "polytomic-sync",
  stackSource: ({ stack, outputsFile }) => (outputsFile ? stackFromFile(outputsFile) : stackFromPulumi(stack, process.env, process.cwd())),
});
