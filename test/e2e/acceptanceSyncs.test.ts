/**
 * Polytomic's own acceptance tests for model syncs (TestAccSync*, its Terraform provider v2.0.0,
 * written against the real API: identity, override fields, flags, field override values, target
 * create, target filters, every schedule form it tests, the update lifecycle, modes, encryption,
 * field sync modes, run-after), against the emulator and the test run's PostgreSQL, twice: with an
 * API key, and with the emulator's partner key as the deployment key (each test then makes an
 * organization of its own). Each test is reported by name; every one passes in both runs but
 * TestAccSyncResourceModeAppend, which skips by its own code.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEFAULT_PARTNER_KEY, startEmulator } from "../../emulator";
import { acceptanceBase, acceptanceMissing, runAcceptance } from "./acceptance";

const API_KEY = "acceptance-syncs-key-0123456789";
const EXPECTED: Record<string, string> = {
  TestAccSyncResource: "PASS",
  TestAccSyncResourceWithIdentity: "PASS",
  TestAccSyncResourceOverrideFields: "PASS",
  TestAccSyncResourceBooleanFlags: "PASS",
  TestAccSyncResourceFieldOverrideValue: "PASS",
  TestAccSyncResourceTargetCreate: "PASS",
  TestAccSyncResourceTargetFilters: "PASS",
  TestAccSyncResourceScheduleDaily: "PASS",
  TestAccSyncResourceUpdateLifecycle: "PASS",
  // Its own code: "PostgreSQL target does not support append mode".
  TestAccSyncResourceModeAppend: "SKIP",
  TestAccSyncResourceModeCreate: "PASS",
  TestAccSyncResourceEncryption: "PASS",
  TestAccSyncResourceFieldSyncMode: "PASS",
  TestAccSyncResourceScheduleHourly: "PASS",
  TestAccSyncResourceScheduleWeekly: "PASS",
  TestAccSyncResourceScheduleContinuous: "PASS",
  TestAccSyncResourceScheduleRunAfter: "PASS",
};
const missing = acceptanceMissing();
if (missing) console.warn(`test/e2e/acceptanceSyncs.test.ts skipped: ${missing}`);

describe.skipIf(missing !== undefined)("Polytomic's acceptance tests for model syncs, against the emulator", () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let dir: string;
  let base: Record<string, string>;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, apiKey: API_KEY, partnerKey: DEFAULT_PARTNER_KEY, schemaReadyDelayMs: 0, log: () => undefined });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "acceptance-syncs-"));
    // The tests' fixture SQL (schema `polytomic`, its source and target tables) runs in this database, which the emulator reaches too.
    const pg = new URL(inject("postgresUrl"));
    base = {
      ...acceptanceBase(emulator.url, dir),
      POLYTOMIC_TEST_PG_HOST: pg.hostname,
      POLYTOMIC_TEST_PG_PORT: pg.port,
      POLYTOMIC_TEST_PG_DATABASE: pg.pathname.slice(1),
      POLYTOMIC_TEST_PG_USERNAME: decodeURIComponent(pg.username),
      POLYTOMIC_TEST_PG_PASSWORD: decodeURIComponent(pg.password),
    };
  });
  afterAll(async () => {
    await emulator?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("with an API key: every TestAccSync* passes", async () => {
    const { outcomes, output } = await runAcceptance("^TestAccSync", { ...base, POLYTOMIC_API_KEY: API_KEY });
    console.log(`acceptance (API key): ${JSON.stringify(outcomes)}`);
    expect(outcomes, output).toEqual(EXPECTED);
    expect(emulator.state.syncs(), "each test destroys its syncs").toEqual([]);
  }, 900_000);

  it("with the partner key as the deployment key: every TestAccSync* passes, inside organizations of its own", async () => {
    const { outcomes, output } = await runAcceptance("^TestAccSync", { ...base, POLYTOMIC_DEPLOYMENT_KEY: DEFAULT_PARTNER_KEY });
    console.log(`acceptance (deployment key): ${JSON.stringify(outcomes)}`);
    expect(outcomes, output).toEqual(EXPECTED);
    expect(emulator.state.syncs()).toEqual([]);
    expect(emulator.state.organizations()).toHaveLength(1);
  }, 900_000);
});
