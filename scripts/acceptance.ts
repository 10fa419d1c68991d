/**
 * `npm run acceptance [-- --run <regex>] [--key apiKey|deploymentKey]`: Polytomic's own acceptance
 * tests for its Terraform provider against the emulator (scripts/lib/acceptance.ts), with a
 * PostgreSQL and an emulator of their own per run. Prints each test's outcome as it ends, then
 * one table; exits 1 when a test passes in neither run and nothing outside the emulator explains it.
 */
import { parseArgs } from "node:util";
import { runAsProcess } from "../cli/console";
import {
  acceptanceTable,
  type AcceptanceRun,
  type KeyKind,
  listAcceptanceTests,
  missingAcceptance,
  outputOf,
  renderAcceptanceTable,
  runAcceptanceIsolated,
  unmet,
} from "./lib/acceptance";

const NOT_RUN: AcceptanceRun = { outcomes: new Map(), output: "", exitCode: null };

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { run: { type: "string" }, key: { type: "string" }, verbose: { type: "boolean" } }, strict: true });
  const missing = missingAcceptance();
  if (missing) {
    console.error(`acceptance: ${missing}`);
    return 2;
  }
  const keys: KeyKind[] = values.key === undefined ? ["apiKey", "deploymentKey"] : [values.key as KeyKind];
  if (keys.some((k) => k !== "apiKey" && k !== "deploymentKey")) {
    console.error("acceptance: --key takes apiKey or deploymentKey (default: both runs)");
    return 2;
  }
  const pattern = values.run ?? "TestAcc";
  const runs = await Promise.all(
    keys.map((key) =>
      runAcceptanceIsolated(key, {
        run: pattern,
        onLine: (line) => {
          if (values.verbose || /^--- (PASS|FAIL|SKIP)/.test(line)) console.log(`[${key}] ${line}`);
        },
      }),
    ),
  );
  const byKey = Object.fromEntries(keys.map((key, i) => [key, runs[i]])) as Partial<Record<KeyKind, AcceptanceRun>>;
  const rows = acceptanceTable(listAcceptanceTests(pattern), byKey.apiKey ?? NOT_RUN, byKey.deploymentKey ?? NOT_RUN);
  console.log(renderAcceptanceTable(rows));
  const failing = unmet(rows);
  for (const row of failing) {
    for (const run of runs) {
      const text = outputOf(run, row.test);
      if (text) console.log(`\n${text}`);
    }
  }
  return failing.length === 0 ? 0 : 1;
}

runAsProcess("acceptance", main);
