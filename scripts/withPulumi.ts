/**
 * `node dist/scripts/withPulumi.js <command.js> [args...]`: runs one of the shipped commands
 * (dist/bin/) in this repository's Pulumi environment (pulumiEnv.ts: the CLI from
 * scripts/pulumi-cli.sh, the local file backend, the dev passphrase), in the repository root, on
 * stack `dev` unless POLYTOMIC_STACK names another. `npm run sync` and `npm run export` use it;
 * the installed commands use the user's own Pulumi instead.
 */
import { spawnSync } from "node:child_process";
import { providePulumiCli, pulumiEnv, repoRoot } from "./lib/pulumiEnv";

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error("usage: node dist/scripts/withPulumi.js <command.js> [args...]");
  process.exit(2);
}
const env = { ...pulumiEnv({ binDir: providePulumiCli() }), POLYTOMIC_STACK: process.env.POLYTOMIC_STACK || "dev" };
const run = spawnSync(process.execPath, [command, ...args], { cwd: repoRoot, env, stdio: "inherit" });
if (run.error) throw run.error;
process.exit(run.status ?? 1);
