/**
 * `npm run test:ends`: the package at both ends of what it supports (scripts/lib/versionEnds.ts),
 * the oldest `@pulumi/pulumi` on Node 20 and the newest on Node 24 with the Pulumi CLI of its
 * release, each in a copy of the checkout (scripts/lib/versionEndRun.ts), both at once. Prints
 * each end's output when it is done (kept in dist/ends-<end>.log), one line per end (versions,
 * counts, times), then the counts of both; writes them to dist/ends-results.json; exits 1 when
 * anything failed at either end.
 *
 * `--end oldest|newest` runs one end only.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { pulumiHostDir } from "./lib/languageHost";
import { exitWith, OperatorError } from "./lib/operatorError";
import { repoRoot } from "./lib/pulumiEnv";
import { endLogFile, runEnd } from "./lib/versionEndRun";
import { duration, END_TEST_FILES, endSummary, NEWEST, totalLine, versionEnds, type EndResult } from "./lib/versionEnds";

/** A note when the registry has a newer release than the pinned newest end (no note when it cannot be asked). */
function newerOnRegistry(): string[] {
  const notes: string[] = [];
  for (const [name, pinned] of [["@pulumi/pulumi", NEWEST.pulumi], ["@pulumi/gcp", NEWEST.gcp]] as const) {
    try {
      const latest = execFileSync("npm", ["view", name, "version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 30_000 }).trim();
      if (latest && latest !== pinned) notes.push(`[ends] ${name} ${latest} is on the registry; the newest end tests ${pinned} (NEWEST in scripts/lib/versionEnds.ts)`);
    } catch {
      // Offline: the pinned end is tested all the same.
    }
  }
  return notes;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const only = args[args.indexOf("--end") + 1];
  if (args.includes("--end") && only !== "oldest" && only !== "newest") throw new OperatorError(`--end ${only ?? ""}: must be "oldest" or "newest"`);
  const read = (file: string) => JSON.parse(fs.readFileSync(path.join(repoRoot, file), "utf8"));
  const ends = versionEnds(read("package.json"), read("package-lock.json")).filter((end) => !only || end.name === only);
  for (const note of newerOnRegistry()) console.log(note);

  const started = Date.now();
  const hostDir = pulumiHostDir(repoRoot);
  // Both at once, each in its own copy with its own ports, database and Pulumi home: on two cores
  // an end's tests mostly wait on the engine and child processes, so the two overlap well.
  for (const end of ends) console.log(`[ends] ${end.name}: running, output in ${path.relative(repoRoot, endLogFile(repoRoot, end))}`);
  const results: EndResult[] = await Promise.all(ends.map((end) => runEnd(end, { root: repoRoot, files: END_TEST_FILES, pulumiHostDir: hostDir })));
  for (const result of results) {
    console.log(`\n== [ends] ${result.end.name}: its output`);
    console.log(fs.readFileSync(endLogFile(repoRoot, result.end), "utf8"));
  }

  fs.mkdirSync(path.join(repoRoot, "dist"), { recursive: true });
  fs.writeFileSync(path.join(repoRoot, "dist", "ends-results.json"), `${JSON.stringify(results, null, 2)}\n`);
  for (const result of results) console.log(endSummary(result));
  console.log(`[ends] ${results.map((r) => r.end.name).join(" and ")} in ${duration((Date.now() - started) / 1000)}`);
  console.log(totalLine(results));
  return results.every((r) => r.failed === 0 && !r.error) ? 0 : 1;
}

exitWith(main);
