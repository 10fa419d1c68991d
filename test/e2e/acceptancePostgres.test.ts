/**
 * Polytomic's own acceptance tests (its Terraform provider v2.0.0, `provider-acceptance.test`)
 * for postgresql connections, connection schemas and primary keys, model syncs between
 * PostgreSQL tables, and bulk syncs between two postgresql connections, run against the emulator and
 * the test run's PostgreSQL (`POLYTOMIC_TEST_PG_*`: the tests run their fixture SQL there, and the
 * emulator connects to it for real).
 *
 * The schema tests read a `csv` connection whose URL is a public GitHub gist. No internet here:
 * the emulator's URL map serves that host from a local server holding a file with the columns the
 * tests look for (`firstname`, `lastname`, `EMail`, `favouritefood`); the rest of each test is as
 * Polytomic wrote it.
 *
 * Needs `terraform` on PATH and the binary in ../shared/tools/terraform-peer/bin (or
 * TERRAFORM_PEER_BIN naming that folder); without either the suite is skipped and says which.
 */
import { execFile, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startEmulator } from "../../emulator";
import { repoRoot } from "../../scripts/lib/pulumiEnv";

const BIN_DIR = process.env.TERRAFORM_PEER_BIN ?? path.resolve(repoRoot, "..", "shared", "tools", "terraform-peer", "bin");
const BINARY = path.join(BIN_DIR, "provider-acceptance.test");
const API_KEY = "acceptance-postgres-key-0123456789";
/** Tests that skip by their own code (`t.Skip`), whatever the API: they run, and must say SKIP. */
const SKIPPED_BY_OWN_CODE = [
  "TestAccBulkSyncResourceSnapshot", // "PostgreSQL destination does not support snapshot mode"
  "TestAccBulkSyncResourceDataCutoffTimestamp", // "PostgreSQL source does not support data_cutoff_timestamp"
];
const TESTS = [
  "TestAccPostgresqlConnectionResource",
  "TestAccPostgresqlConnectionResource_APIKeyWithOrganization",
  "TestAccConnectionSchemaDataSource_Basic",
  "TestAccConnectionSchemaPrimaryKeys_Basic",
  "TestAccConnectionSchemaPrimaryKeys_Update",
  "TestAccConnectionResource",
  // Model syncs from a model over a SQL query into a table of the same database (what the
  // emulator runs for real: emulator/postgres/). Not listed: TestAccSyncResourceOverrideFields and
  // TestAccSyncResourceUpdateLifecycle (sync fields the emulator does not answer yet), and
  // TestAccSyncResourceModeAppend (skipped by its own code).
  "TestAccSyncResource",
  "TestAccSyncResourceWithIdentity",
  "TestAccSyncResourceBooleanFlags",
  "TestAccSyncResourceFieldOverrideValue",
  "TestAccSyncResourceTargetCreate",
  "TestAccSyncResourceTargetFilters",
  "TestAccSyncResourceModeCreate",
  "TestAccSyncResourceEncryption",
  "TestAccSyncResourceFieldSyncMode",
  "TestAccSyncResourceScheduleDaily",
  "TestAccSyncResourceScheduleHourly",
  "TestAccSyncResourceScheduleWeekly",
  "TestAccSyncResourceScheduleContinuous",
  "TestAccSyncResourceScheduleRunAfter",
  // Bulk syncs between the two postgresql connections the tests create (emulator/bulk/).
  "TestAccBulkSyncResource",
  "TestAccBulkSyncResourceWithFilters",
  "TestAccBulkSyncResourceAutoDiscovery",
  "TestAccBulkSyncResourceUpdateLifecycle",
  "TestAccBulkSyncResourceImport",
  "TestAccBulkSyncResourceOptions",
  "TestAccBulkSyncResourceSchemaFields",
  "TestAccBulkSyncResourceMultipleSchemas",
  "TestAccBulkSyncResourceDisableRecordTimestamps",
  "TestAccBulkSyncResourceSchemaTrackingField",
  ...SKIPPED_BY_OWN_CODE,
];

function missing(): string | undefined {
  if (spawnSync("terraform", ["version"], { encoding: "utf8" }).status !== 0) return "terraform is not on PATH";
  if (!fs.existsSync(BINARY)) return `Polytomic's acceptance tests are not at ${BINARY}`;
  return undefined;
}
const why = missing();
if (why) console.warn(`test/e2e/acceptancePostgres.test.ts skipped: ${why}`);

describe.skipIf(why !== undefined)("Polytomic's acceptance tests for postgresql connections, schemas and primary keys", () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let files: http.Server;
  let dir: string;

  beforeAll(async () => {
    files = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" }).end("firstname,lastname,EMail,favouritefood\nAda,Lovelace,ada@example.com,cake\n");
    });
    await new Promise<void>((resolve) => files.listen(0, "127.0.0.1", resolve));
    const local = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
    emulator = await startEmulator({ port: 0, apiKey: API_KEY, schemaReadyDelayMs: 0, urlMap: [["https://gist.githubusercontent.com", local]], log: () => undefined });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "polytomic-acceptance-"));
  });
  afterAll(async () => {
    await emulator?.stop();
    await new Promise<void>((resolve) => files?.close(() => resolve()));
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("every test passes, by name", async () => {
    const pg = new URL(inject("postgresUrl"));
    const rc = path.join(dir, "terraformrc");
    fs.writeFileSync(rc, "disable_checkpoint = true\n");
    const env = {
      ...process.env,
      TF_ACC: "1",
      TF_ACC_TERRAFORM_PATH: spawnSync("sh", ["-c", "command -v terraform"], { encoding: "utf8" }).stdout.trim(),
      TF_CLI_CONFIG_FILE: rc,
      CHECKPOINT_DISABLE: "1",
      TF_IN_AUTOMATION: "1",
      POLYTOMIC_DEPLOYMENT_URL: emulator.url,
      POLYTOMIC_API_KEY: API_KEY,
      POLYTOMIC_TEST_PG_HOST: pg.hostname,
      POLYTOMIC_TEST_PG_PORT: pg.port,
      POLYTOMIC_TEST_PG_DATABASE: pg.pathname.slice(1),
      POLYTOMIC_TEST_PG_USERNAME: decodeURIComponent(pg.username),
      POLYTOMIC_TEST_PG_PASSWORD: decodeURIComponent(pg.password),
    };
    const output = await new Promise<string>((resolve) => {
      execFile(BINARY, ["-test.v", "-test.run", `^(${TESTS.join("|")})$`, "-test.timeout", "10m"], { cwd: dir, env, maxBuffer: 64 * 1024 * 1024 }, (_error, stdout, stderr) =>
        resolve(`${stdout}\n${stderr}`),
      );
    });
    const outcomes = Object.fromEntries([...output.matchAll(/^--- (PASS|FAIL|SKIP): (\S+)/gm)].map((m) => [m[2], m[1]]));
    expect(outcomes, output).toEqual(Object.fromEntries(TESTS.map((name) => [name, SKIPPED_BY_OWN_CODE.includes(name) ? "SKIP" : "PASS"])));
  }, 600_000);
});
