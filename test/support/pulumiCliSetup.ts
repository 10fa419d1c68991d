/**
 * Makes the Pulumi CLI once, before any test's clock starts (vitest globalSetup). On a fresh
 * machine scripts/pulumi-cli.sh builds it from the Go module proxy, which takes many minutes:
 * inside a test's `beforeAll` that build would count against the hook's timeout. Its progress
 * goes to stderr, so a first `npm test` shows what it is waiting for. Later calls of the script
 * (the e2e fixtures) find the built CLI and return at once.
 */
import { providePulumiCli } from "../../scripts/lib/pulumiEnv";

export function setup(): void {
  const started = Date.now();
  const binDir = providePulumiCli();
  const seconds = Math.round((Date.now() - started) / 1000);
  if (seconds > 5) process.stderr.write(`[pulumi-cli] ready in ${seconds} s: ${binDir}\n`);
}
