/**
 * Polytomic's own acceptance tests for its Terraform provider (v2.0.0, `go test -c` of its
 * `provider` package, 40 `TestAcc*` tests written against the real API), run against the emulator.
 * The binary is run from ../shared/tools/terraform-peer/bin, never copied. It drives Terraform
 * itself (the provider is served in-process), so no registry and no provider mirror are needed.
 *
 * Two runs, as the tests themselves branch: with an API key (`POLYTOMIC_API_KEY`: connections,
 * models, syncs, bulk syncs, roles, policies...) and with the emulator's partner key as the
 * deployment key (`POLYTOMIC_DEPLOYMENT_KEY`: organizations and users, which skip with an API key).
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_API_KEY, DEFAULT_PARTNER_KEY, startEmulator } from "../../emulator";
import { startLocalPostgres } from "./postgres";
import { repoRoot } from "./pulumiEnv";

export const ACCEPTANCE_BINARY = path.resolve(repoRoot, "..", "shared", "tools", "terraform-peer", "bin", "provider-acceptance.test");

/** Why the acceptance tests cannot be run here, or undefined when they can. */
export function missingAcceptance(): string | undefined {
  if (spawnSync("terraform", ["version"], { encoding: "utf8" }).status !== 0) return "terraform is not on PATH";
  if (!fs.existsSync(ACCEPTANCE_BINARY)) return `Polytomic's acceptance tests are not at ${ACCEPTANCE_BINARY}`;
  return undefined;
}

/**
 * The public file some tests read: a `csv` connection whose `url` is a CSV on a public host
 * (provider/resource_connection_test.go:87, data_source_connection_schema_test.go:103,
 * resource_connection_schema_primary_keys_test.go:198 and :236, tag v2.0.0), whose columns the
 * tests then look for. No internet here: the emulator's URL map (`urlMap`, `--url-map`) sends that
 * host to a local server holding a stand-in file with the columns the tests assert
 * (`firstname`, `lastname`, `EMail`, `favouritefood`); its rows are our own.
 */
export const PUBLIC_CSV_HOST = "https://gist.githubusercontent.com";
export const STAND_IN_CSV = "firstname,lastname,EMail,favouritefood\nAda,Lovelace,ada@example.com,cake\nAlan,Turing,alan@example.com,tea\n";

/** Tests that skip by their own code whatever the API does (`t.Skip` first thing, tag v2.0.0). */
export const SKIPPED_BY_THEIR_CODE: Readonly<Record<string, string>> = {
  TestAccBulkSyncResourceSnapshot: 'provider/resource_bulk_sync_test.go:652 "PostgreSQL destination does not support snapshot mode"',
  TestAccBulkSyncResourceDataCutoffTimestamp: 'provider/resource_bulk_sync_test.go:983 "PostgreSQL source does not support data_cutoff_timestamp"',
  TestAccSyncResourceModeAppend: 'provider/resource_sync_advanced_test.go:677 "PostgreSQL target does not support append mode"',
};

export type Outcome = "pass" | "fail" | "skip";

/** Top-level test outcomes of `go test -v` output (`--- PASS: TestX (1.2s)`); subtests are indented and left out. */
export function parseGoTestOutput(text: string): Map<string, Outcome> {
  const outcomes = new Map<string, Outcome>();
  for (const match of text.matchAll(/^--- (PASS|FAIL|SKIP): (\S+)/gm)) {
    outcomes.set(match[2], match[1].toLowerCase() as Outcome);
  }
  return outcomes;
}

/** The names of the tests in the binary that match `pattern`. */
export function listAcceptanceTests(pattern = "TestAcc"): string[] {
  const listed = spawnSync(ACCEPTANCE_BINARY, ["-test.list", pattern], { encoding: "utf8" });
  if (listed.status !== 0) throw new Error(`${ACCEPTANCE_BINARY} -test.list failed: ${listed.stderr}`);
  return listed.stdout.split("\n").filter((line) => line.startsWith("Test"));
}

/** Where the tests' own fixture SQL runs, and what their `postgresql` connections point at. */
export interface AcceptancePostgres {
  host: string;
  port: number;
  database: string;
  username: string;
  password: string;
}

export interface AcceptanceRunOptions {
  /** The emulator's base URL (http://127.0.0.1:<port>). */
  url: string;
  /** Exactly one of the two. */
  apiKey?: string;
  deploymentKey?: string;
  postgres: AcceptancePostgres;
  /** A `-test.run` regex; default every `TestAcc*`. */
  run?: string;
  timeoutMinutes?: number;
  /** Each line of output as it comes (progress). */
  onLine?: (line: string) => void;
}

export interface AcceptanceRun {
  outcomes: Map<string, Outcome>;
  /** The whole `go test -v` output, for the failures' reasons. */
  output: string;
  exitCode: number | null;
}

/** Runs the tests once, with one kind of key, and reads each test's outcome. */
export async function runAcceptance(options: AcceptanceRunOptions): Promise<AcceptanceRun> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "polytomic-acceptance-"));
  // An empty CLI config: no registry, no ~/.terraformrc warning.
  const cliConfig = path.join(workDir, "terraformrc");
  fs.writeFileSync(cliConfig, "disable_checkpoint = true\n");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TF_ACC: "1",
    TF_ACC_TERRAFORM_PATH: spawnSync("sh", ["-c", "command -v terraform"], { encoding: "utf8" }).stdout.trim(),
    TF_CLI_CONFIG_FILE: cliConfig,
    CHECKPOINT_DISABLE: "1",
    TF_IN_AUTOMATION: "1",
    POLYTOMIC_DEPLOYMENT_URL: options.url,
    POLYTOMIC_TEST_PG_HOST: options.postgres.host,
    POLYTOMIC_TEST_PG_PORT: String(options.postgres.port),
    POLYTOMIC_TEST_PG_DATABASE: options.postgres.database,
    POLYTOMIC_TEST_PG_USERNAME: options.postgres.username,
    POLYTOMIC_TEST_PG_PASSWORD: options.postgres.password,
  };
  for (const name of ["POLYTOMIC_API_KEY", "POLYTOMIC_DEPLOYMENT_KEY", "POLYTOMIC_PARTNER_KEY", "POLYTOMIC_BULK_SYNC_TEST_SOURCE_ID", "POLYTOMIC_BULK_SYNC_TEST_DEST_ID"]) delete env[name];
  if (options.apiKey) env.POLYTOMIC_API_KEY = options.apiKey;
  if (options.deploymentKey) env.POLYTOMIC_DEPLOYMENT_KEY = options.deploymentKey;

  const args = ["-test.v", "-test.run", options.run ?? "TestAcc", "-test.timeout", `${options.timeoutMinutes ?? 20}m`, "-test.count", "1"];
  const child = spawn(ACCEPTANCE_BINARY, args, { cwd: workDir, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  let pending = "";
  const take = (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    output += text;
    pending += text;
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) options.onLine?.(line);
  };
  child.stdout.on("data", take);
  child.stderr.on("data", take);
  const exitCode = await new Promise<number | null>((resolve) => child.on("close", resolve));
  fs.rmSync(workDir, { recursive: true, force: true });
  return { outcomes: parseGoTestOutput(output), output, exitCode };
}

/** The output of one test, from its `=== RUN` line to its outcome line: why it failed. */
export function outputOf(run: AcceptanceRun, test: string): string {
  const start = run.output.indexOf(`=== RUN   ${test}\n`);
  if (start < 0) return "";
  const outcome = new RegExp(`^--- (PASS|FAIL|SKIP): ${test} .*$`, "m").exec(run.output.slice(start));
  return outcome ? run.output.slice(start, start + outcome.index + outcome[0].length) : run.output.slice(start);
}

/** One test's outcome in each run, and why it may not pass here (undefined: it must pass). */
export interface AcceptanceRow {
  test: string;
  apiKey: Outcome | "not run";
  deploymentKey: Outcome | "not run";
  excuse?: string;
}

/** The table of both runs, one row per test the binary lists. */
export function acceptanceTable(tests: readonly string[], apiKeyRun: AcceptanceRun, deploymentKeyRun: AcceptanceRun): AcceptanceRow[] {
  return tests.map((test) => ({
    test,
    apiKey: apiKeyRun.outcomes.get(test) ?? "not run",
    deploymentKey: deploymentKeyRun.outcomes.get(test) ?? "not run",
    excuse: SKIPPED_BY_THEIR_CODE[test],
  }));
}

/** Rows that break the standard: no pass in either run and no excuse. */
export function unmet(rows: readonly AcceptanceRow[]): AcceptanceRow[] {
  return rows.filter((row) => row.apiKey !== "pass" && row.deploymentKey !== "pass" && row.excuse === undefined);
}

/** The table as Markdown, for a log or a note. */
export function renderAcceptanceTable(rows: readonly AcceptanceRow[]): string {
  const lines = ["| test | API key | deployment key | may not pass here because |", "| --- | --- | --- | --- |"];
  for (const row of rows) lines.push(`| ${row.test} | ${row.apiKey} | ${row.deploymentKey} | ${row.excuse ?? ""} |`);
  return lines.join("\n");
}

export type KeyKind = "apiKey" | "deploymentKey";

/**
 * One run with a fresh emulator and a PostgreSQL of its own (the tests' fixture SQL and their
 * `postgresql` connections point at it), both stopped afterwards. Runs made at once do not share
 * any state.
 */
export async function runAcceptanceIsolated(key: KeyKind, options: Pick<AcceptanceRunOptions, "run" | "timeoutMinutes" | "onLine"> = {}): Promise<AcceptanceRun> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "polytomic-acceptance-pg-"));
  fs.chmodSync(folder, 0o755);
  const postgres = await startLocalPostgres(folder);
  const files = http.createServer((_request, response) => response.writeHead(200, { "content-type": "text/csv" }).end(STAND_IN_CSV));
  await new Promise<void>((resolve) => files.listen(0, "127.0.0.1", resolve));
  const local = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  const emulator = await startEmulator({ port: 0, urlMap: [[PUBLIC_CSV_HOST, local]], log: () => undefined });
  try {
    const url = new URL(postgres.url);
    return await runAcceptance({
      ...options,
      url: emulator.url,
      ...(key === "apiKey" ? { apiKey: DEFAULT_API_KEY } : { deploymentKey: DEFAULT_PARTNER_KEY }),
      postgres: {
        host: url.hostname,
        port: Number(url.port),
        database: url.pathname.slice(1),
        username: decodeURIComponent(url.username),
        password: decodeURIComponent(url.password),
      },
    });
  } finally {
    await emulator.stop();
    await new Promise<void>((resolve) => files.close(() => resolve()));
    await postgres.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  }
}
