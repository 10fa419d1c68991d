/**
 * Polytomic's own acceptance tests for its Terraform provider (v2.0.0, written by Polytomic
 * against its real API) as the standard the emulator is held to: both runs (an API key, and the
 * emulator's partner key as the deployment key), each with an emulator and a PostgreSQL of its
 * own, at once. Every test must pass in at least one of the two, except those that skip by their
 * own code; each is reported by name. The tests that read a CSV from a public URL read a local
 * stand-in through the emulator's URL map (scripts/lib/acceptance.ts).
 *
 * Needs `terraform` on PATH and the test binary in ../shared/tools/terraform-peer/bin (run from
 * there, never copied); without either the suite is skipped and says which.
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  acceptanceTable,
  type AcceptanceRow,
  type AcceptanceRun,
  listAcceptanceTests,
  missingAcceptance,
  outputOf,
  renderAcceptanceTable,
  runAcceptanceIsolated,
  SKIPPED_BY_THEIR_CODE,
} from "../../scripts/lib/acceptance";

const missing = missingAcceptance();
if (missing) console.warn(`test/e2e/acceptance.test.ts skipped: ${missing}`);
const tests = missing ? [] : listAcceptanceTests();

describe.skipIf(missing !== undefined)("Polytomic's Terraform acceptance tests against the emulator", () => {
  let runs: AcceptanceRun[] = [];
  let rows: Map<string, AcceptanceRow>;

  beforeAll(async () => {
    runs = await Promise.all([runAcceptanceIsolated("apiKey"), runAcceptanceIsolated("deploymentKey")]);
    const table = acceptanceTable(tests, runs[0], runs[1]);
    console.log(`Polytomic's acceptance tests against the emulator:\n${renderAcceptanceTable(table)}`);
    rows = new Map(table.map((row) => [row.test, row]));
  }, 40 * 60_000);

  it("the binary lists the 40 tests of its v2.0.0 suite", () => {
    expect(tests).toHaveLength(40);
  });

  const mustPass = tests.filter((test) => SKIPPED_BY_THEIR_CODE[test] === undefined);
  it.each(mustPass)("%s passes with an API key or with the deployment key", (test) => {
    const row = rows.get(test);
    const why = runs.map((run) => outputOf(run, test)).join("\n");
    expect([row?.apiKey, row?.deploymentKey], why).toContain("pass");
  });

  it.each(Object.keys(SKIPPED_BY_THEIR_CODE))("%s skips by its own code in both runs", (test) => {
    expect([rows.get(test)?.apiKey, rows.get(test)?.deploymentKey]).toEqual(["skip", "skip"]);
  });
});
