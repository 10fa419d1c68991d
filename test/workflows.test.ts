/**
 * The GitHub Actions workflows pass actionlint (syntax, expressions, contexts, action inputs,
 * including our local composite action), and actionlint does fail on a broken workflow, so a
 * green result means something.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "..");
const script = path.join(root, "scripts", "actionlint.sh");

function actionlint(...args: string[]) {
  const result = spawnSync("bash", [script, "-no-color", ...args], { cwd: root, encoding: "utf8", timeout: 240_000 });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("GitHub Actions workflows", () => {
  let tmp: string;

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "actionlint-"));
    // Builds actionlint once when it is not on PATH (later runs reuse .tools/bin).
    const version = spawnSync("bash", [script, "-version"], { cwd: root, encoding: "utf8", timeout: 240_000 });
    expect(version.status, version.stderr).toBe(0);
  }, 300_000);

  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("has the preview, deploy, per-PR stack and nightly drift workflows", () => {
    const names = fs.readdirSync(path.join(root, ".github", "workflows")).sort();
    expect(names).toEqual(["deploy.yml", "drift.yml", "pr-stack.yml", "preview.yml"]);
  });

  it("passes actionlint", () => {
    const { status, output } = actionlint();
    expect(output).toBe("");
    expect(status).toBe(0);
  });

  it("fails actionlint for a broken workflow", () => {
    const broken = path.join(tmp, "broken.yml");
    fs.writeFileSync(
      broken,
      [
        "name: broken",
        "on: pull_request",
        "jobs:",
        "  preview:",
        "    runs-on: ubuntu-24.04",
        "    needs: build", // no such job
        "    steps:",
        "      - run: echo ${{ matrix.stack }}", // no matrix in this job
        "",
      ].join("\n"),
    );
    const { status, output } = actionlint(broken);
    expect(status).toBe(1);
    expect(output).toContain('job "preview" needs job "build" which does not exist');
    expect(output).toContain('property "stack" is not defined');
  });
});
