/**
 * The two ends of what the package supports, each tested by `npm run test:ends`
 * (scripts/versionEnds.ts): the oldest `@pulumi/pulumi` its peer range admits, on the oldest
 * Node.js its `engines` admit, with the project's own Pulumi CLI; and the newest SDK, on Node 24,
 * with the Pulumi CLI of the same release. The oldest end is read from package.json, so raising
 * a floor there moves it; the newest is pinned here and moved on purpose (a new CLI release means
 * a new Go build, and not every release is served by the Go module proxy).
 */

/** The newest end: update together (docs/dependencies.md says how). */
export const NEWEST = {
  pulumi: "3.276.0",
  gcp: "9.37.0",
  node: "24.22.3",
} as const;

/** The files run at each end: the engine's whole lifecycle, the package in programs of its own, the example, and `@pulumi/gcp`'s path. */
export const END_TEST_FILES = [
  "test/e2e/lifecycle.test.ts",
  "test/e2e/package.test.ts",
  "test/e2e/readme.test.ts",
  "test/e2e/multiTenant.test.ts",
  "test/e2e/createMode.test.ts",
] as const;

export interface VersionEnd {
  name: "oldest" | "newest";
  /** `@pulumi/pulumi`: the checkout's devDependency at this end, and the SDK of every program its tests make. */
  pulumi: string;
  /** `@pulumi/gcp` beside it. */
  gcp: string;
  /** Node.js: the running one when its major is this one, else {@link nodeVersion} from the npm registry. */
  nodeMajor: number;
  nodeVersion: string;
  /** The Pulumi CLI release scripts/pulumi-cli.sh provides. */
  cli: string;
}

interface Manifest {
  engines?: { node?: string };
  peerDependencies?: Record<string, string>;
}

interface Lockfile {
  packages: Record<string, { version?: string }>;
}

/** The lowest version a `^x.y.z`, `~x.y.z`, `>=x.y` or exact range admits, as `x.y.z`. */
export function rangeFloor(range: string): string {
  const match = /^\s*(?:\^|~|>=)?\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$/.exec(range);
  if (!match) throw new Error(`cannot read the lowest version of the range "${range}": use ^x.y.z, ~x.y.z, >=x.y.z or x.y.z`);
  return `${match[1]}.${match[2] ?? "0"}.${match[3] ?? "0"}`;
}

export function majorOf(version: string): number {
  return Number(version.replace(/^v/, "").split(".")[0]);
}

/** Both ends, from the checkout's package.json (peer ranges, engines) and package-lock.json (the project's CLI). */
export function versionEnds(manifest: Manifest, lock: Lockfile): VersionEnd[] {
  const peer = (name: string): string => {
    const range = manifest.peerDependencies?.[name];
    if (!range) throw new Error(`package.json has no peerDependencies["${name}"]`);
    return rangeFloor(range);
  };
  const projectCli = lock.packages["node_modules/@pulumi/pulumi"]?.version;
  if (!projectCli) throw new Error('package-lock.json has no "node_modules/@pulumi/pulumi": run npm install');
  const oldestNode = rangeFloor(manifest.engines?.node ?? "");
  return [
    { name: "oldest", pulumi: peer("@pulumi/pulumi"), gcp: peer("@pulumi/gcp"), nodeMajor: majorOf(oldestNode), nodeVersion: oldestNode, cli: projectCli },
    { name: "newest", pulumi: NEWEST.pulumi, gcp: NEWEST.gcp, nodeMajor: majorOf(NEWEST.node), nodeVersion: NEWEST.node, cli: NEWEST.pulumi },
  ];
}

export interface EndCounts {
  passed: number;
  failed: number;
  skipped: number;
}

export interface EndResult extends EndCounts {
  end: VersionEnd;
  /** The Node.js version the end ran on. */
  node: string;
  /** Wall-clock seconds of each step, and in all. */
  seconds: { cli: number; install: number; build: number; tests: number; total: number };
  /** Why the end stopped before or outside its tests (one line), if it did. */
  error?: string;
}

/** What vitest's JSON report says (the fields read here). */
export interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests?: number;
  numFailedTestSuites?: number;
  success?: boolean;
}

/**
 * Counts of a vitest JSON report. A file whose setup failed runs none of its tests and fails no
 * test: it counts as one failure here, so a broken end never reads as green.
 */
export function countsOf(report: VitestReport): EndCounts {
  const failedSuites = report.numFailedTests === 0 && report.success === false ? Math.max(1, report.numFailedTestSuites ?? 0) : 0;
  return { passed: report.numPassedTests, failed: report.numFailedTests + failedSuites, skipped: report.numPendingTests + (report.numTodoTests ?? 0) };
}

/** `42 s`, `7 min 05 s`. */
export function duration(seconds: number): string {
  const s = Math.round(seconds);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
}

/** One line per end: its versions, the counts and the times. */
export function endSummary(result: EndResult): string {
  const { end, seconds } = result;
  const versions = `@pulumi/pulumi ${end.pulumi}, @pulumi/gcp ${end.gcp}, Node.js v${result.node}, Pulumi CLI v${end.cli}`;
  const steps = `CLI ${duration(seconds.cli)}, install ${duration(seconds.install)}, build ${duration(seconds.build)}, tests ${duration(seconds.tests)}`;
  const outcome = result.error ? `FAILED (${result.error})` : result.failed > 0 ? "FAILED" : "ok";
  return `[ends] ${end.name}: ${versions}: ${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped in ${duration(seconds.total)} (${steps}) ${outcome}`;
}

/** The counts of all ends together, as the plain closing line CI reads. */
export function totalLine(results: EndResult[]): string {
  const sum = (key: keyof EndCounts) => results.reduce((n, r) => n + r[key], 0);
  return `ends: ${sum("passed")} passed, ${sum("failed")} failed, ${sum("skipped")} skipped`;
}
