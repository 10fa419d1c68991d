/**
 * One end of `npm run test:ends` (scripts/lib/versionEnds.ts says which): its Node.js and Pulumi
 * CLI provided (cached under `.pulumi-cli/`), a copy of the checkout in a temporary folder with
 * that end's `@pulumi/pulumi` and `@pulumi/gcp` installed, built, and the end's test files run
 * with vitest under that Node.js. The checkout itself is never changed. Everything the end's
 * commands print goes to its log file: both ends run at once, each in its own copy.
 */
import { spawn, type SpawnOptions } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { copyCheckout } from "./checkoutCopy";
import { majorOf, countsOf, type EndResult, type VersionEnd, type VitestReport } from "./versionEnds";
import { nodeVersionOf, provideNode } from "./nodeFromNpm";

export interface EndOptions {
  /** The checkout. */
  root: string;
  /** Test files, relative to the checkout. */
  files: readonly string[];
  /** The folder of Pulumi's own Node.js language host, when the tests under it run at this end. */
  pulumiHostDir?: string;
}

/** A step that failed: its one-line reason ends the end. */
class StepError extends Error {}

/** Runs a command to its end, its output (both streams) appended to `log`; resolves its exit code and stdout. */
function run(command: string, args: string[], options: SpawnOptions, log: number): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(command, args, { ...options, stdio: ["ignore", "pipe", log] });
    let stdout = "";
    proc.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      fs.writeSync(log, chunk);
    });
    proc.once("error", reject);
    proc.once("close", (code) => resolve({ code, stdout }));
  });
}

/** {@link run}, throwing a StepError naming the step when it fails. */
async function step(what: string, command: string, args: string[], options: SpawnOptions, log: number): Promise<string> {
  const ran = await run(command, args, options, log).catch((err: Error) => {
    throw new StepError(`${what}: ${err.message}`);
  });
  if (ran.code !== 0) throw new StepError(`${what} exited with ${ran.code}`);
  return ran.stdout;
}

/** The folder of the `node` this end runs on: the running one when its major matches, else one from the npm registry. */
function nodeBinFor(end: VersionEnd, cache: string): string {
  if (majorOf(process.version) === end.nodeMajor) return path.dirname(process.execPath);
  return provideNode(end.nodeVersion, cache);
}

/**
 * The Pulumi CLI (and our language host) of `version`, built or found by the checkout's
 * scripts/pulumi-cli.sh in `.pulumi-cli/v<version>/bin`, then copied into the copy's own
 * `.pulumi-cli/`: there its scripts/pulumi-cli.sh finds it and links its own shim beside it.
 */
async function provideCli(root: string, copy: string, version: string, env: NodeJS.ProcessEnv, log: number): Promise<void> {
  const out = await step(`scripts/pulumi-cli.sh (Pulumi CLI v${version})`, "bash", [path.join(root, "scripts", "pulumi-cli.sh")], {
    cwd: root,
    // "always": a `pulumi` on PATH is some other release; this end needs `version`.
    env: { ...env, POLYTOMIC_PULUMI_VERSION: version, POLYTOMIC_PULUMI_BUILD: "always" },
  }, log);
  const bin = out.trim().split("\n").pop() ?? "";
  if (!fs.existsSync(path.join(bin, "pulumi"))) throw new StepError(`scripts/pulumi-cli.sh printed no folder holding pulumi (got "${bin}")`);
  fs.cpSync(bin, path.join(copy, ".pulumi-cli", `v${version}`, "bin"), { recursive: true, verbatimSymlinks: true });
}

/**
 * Sets the end's SDK in the copy: the devDependencies (the package test's program takes its SDK
 * from there) and the README's own program (it names the SDK the program already uses, and the
 * README test installs that one).
 */
function pinVersions(copy: string, end: VersionEnd): void {
  const manifestFile = path.join(copy, "package.json");
  const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as { devDependencies: Record<string, string> };
  const devPin = manifest.devDependencies["@pulumi/pulumi"];
  manifest.devDependencies["@pulumi/pulumi"] = end.pulumi;
  manifest.devDependencies["@pulumi/gcp"] = end.gcp;
  fs.writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);

  const readmeFile = path.join(copy, "README.md");
  const written = `"@pulumi/pulumi": "${devPin}"`;
  const readme = fs.readFileSync(readmeFile, "utf8");
  if (!readme.includes(written)) throw new StepError(`README.md's program names no ${written}: scripts/lib/versionEndRun.ts sets the end's SDK there`);
  fs.writeFileSync(readmeFile, readme.replaceAll(written, `"@pulumi/pulumi": "${end.pulumi}"`));
}

/** The lockfile's copies of `@pulumi/pulumi`: one, or a program would hold two SDKs. */
function sdkCopies(copy: string): string[] {
  const lock = JSON.parse(fs.readFileSync(path.join(copy, "package-lock.json"), "utf8")) as { packages: Record<string, { version?: string }> };
  return Object.entries(lock.packages)
    .filter(([key]) => key.endsWith("node_modules/@pulumi/pulumi"))
    .map(([key, entry]) => `${key} ${entry.version}`);
}

/** The end's log file under dist/ of the checkout. */
export function endLogFile(root: string, end: VersionEnd): string {
  return path.join(root, "dist", `ends-${end.name}.log`);
}

/** Throws a StepError unless `command` on the end's PATH prints `expected` (the tools the tests will find are the end's). */
async function expectTool(what: string, command: string, args: string[], expected: string, env: NodeJS.ProcessEnv, log: number): Promise<void> {
  const printed = (await step(what, command, args, { env }, log)).trim();
  if (printed !== expected) throw new StepError(`${what} printed ${printed}, not ${expected}`);
}

export async function runEnd(end: VersionEnd, options: EndOptions): Promise<EndResult> {
  const started = Date.now();
  const cache = path.join(options.root, ".pulumi-cli");
  const seconds = { cli: 0, install: 0, build: 0, tests: 0, total: 0 };
  const timed = async <T>(key: keyof typeof seconds, work: () => Promise<T>): Promise<T> => {
    const from = Date.now();
    try {
      return await work();
    } finally {
      seconds[key] = (Date.now() - from) / 1000;
    }
  };
  const result: EndResult = { end, node: "", passed: 0, failed: 0, skipped: 0, seconds };
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), `polytomic-end-${end.name}-`));
  fs.mkdirSync(path.join(options.root, "dist"), { recursive: true });
  const log = fs.openSync(endLogFile(options.root, end), "w");
  const say = (line: string) => fs.writeSync(log, `${line}\n`);
  try {
    const nodeBin = nodeBinFor(end, path.join(cache, "node"));
    const node = path.join(nodeBin, "node");
    result.node = nodeVersionOf(node) ?? "unknown";
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${nodeBin}${path.delimiter}${process.env.PATH ?? ""}`, npm_config_update_notifier: "false" };
    say(`[ends] ${end.name}: @pulumi/pulumi ${end.pulumi}, @pulumi/gcp ${end.gcp}, Node.js v${result.node}, Pulumi CLI v${end.cli}, in ${copy}`);
    await expectTool("node --version", "node", ["--version"], `v${result.node}`, env, log);

    copyCheckout(options.root, copy);
    await timed("cli", async () => {
      await provideCli(options.root, copy, end.cli, env, log);
      await expectTool("pulumi version", path.join(copy, ".pulumi-cli", `v${end.cli}`, "bin", "pulumi"), ["version"], `v${end.cli}`, env, log);
    });
    await timed("install", async () => {
      pinVersions(copy, end);
      await step("npm install", "npm", ["install", "--no-audit", "--no-fund"], { cwd: copy, env }, log);
      // npm keeps a lockfile's nested copies that still match; dedupe leaves the one SDK a fresh install has.
      await step("npm dedupe", "npm", ["dedupe", "--no-audit", "--no-fund"], { cwd: copy, env }, log);
      const copies = sdkCopies(copy);
      if (copies.length !== 1 || !copies[0].endsWith(` ${end.pulumi}`)) {
        throw new StepError(`@pulumi/pulumi ${end.pulumi} with @pulumi/gcp ${end.gcp} installs ${copies.join(", ")}: not one SDK`);
      }
    });
    await timed("build", () => step("tsc -b", node, [path.join(copy, "node_modules", "typescript", "bin", "tsc"), "-b", "tsconfig.json"], { cwd: copy, env }, log));
    const report = path.join(copy, "dist", "ends-results.json");
    const testEnv: NodeJS.ProcessEnv = { ...env, POLYTOMIC_PULUMI_VERSION: end.cli, POLYTOMIC_PULUMI_BUILD: "always" };
    // The copy lies outside the folder whose shared tools hold Pulumi's host: it is named here.
    if (options.pulumiHostDir) testEnv.POLYTOMIC_PULUMI_HOST_DIR = options.pulumiHostDir;
    await timed("tests", async () => {
      const vitest = path.join(copy, "node_modules", "vitest", "vitest.mjs");
      // Its exit code says no more than the report: failures are counted from there.
      await run(node, [vitest, "run", ...options.files, "--reporter=default", "--reporter=json", `--outputFile=${report}`], { cwd: copy, env: testEnv }, log);
    });
    if (!fs.existsSync(report)) throw new StepError("vitest wrote no report");
    Object.assign(result, countsOf(JSON.parse(fs.readFileSync(report, "utf8")) as VitestReport));
  } catch (err) {
    if (!(err instanceof StepError)) throw err;
    result.error = err.message;
    result.failed = Math.max(result.failed, 1);
  } finally {
    fs.closeSync(log);
    fs.rmSync(copy, { recursive: true, force: true });
    seconds.total = (Date.now() - started) / 1000;
  }
  return result;
}
