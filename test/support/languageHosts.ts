/**
 * The language hosts the e2e tests run the program under: this project's (langhost/) and
 * Pulumi's own, as every user gets it with the CLI (scripts/lib/languageHost.ts). Where Pulumi's
 * is not on the machine, the tests under it are skipped, and their title says so and why.
 */
import { describe } from "vitest";
import { describeHost, type LanguageHost, pulumiHostMissing } from "../../scripts/lib/languageHost";
import { repoRoot } from "../../scripts/lib/pulumiEnv";

/** Why Pulumi's own host cannot be used on this machine (undefined: it can). */
export const PULUMI_HOST_MISSING = pulumiHostMissing(repoRoot);

/** The host's name in a test title. */
export function hostTitle(host: LanguageHost): string {
  return host === "pulumi" ? "under Pulumi's own language host" : "under this project's language host";
}

/**
 * `describe(title, body)` once per host: ours, then Pulumi's own (or a skipped suite naming what
 * is missing). `body` gets the host to pass to providePulumiCli / createWorld.
 */
export function describeEachHost(title: string, body: (host: LanguageHost) => void, hosts: readonly LanguageHost[] = ["project", "pulumi"]): void {
  for (const host of hosts) {
    if (host === "pulumi" && PULUMI_HOST_MISSING) {
      describe.skip(`${title} ${hostTitle(host)} (skipped: ${PULUMI_HOST_MISSING})`, () => body(host));
      continue;
    }
    describe(`${title} ${hostTitle(host)}`, () => body(host));
  }
}

export { describeHost };
