/**
 * Which locks the workflows' `locks` step lifts (scripts/lib/ciRunLocks.ts): only one made by the
 * runner the previous CI job of the stack noted, and, on this very host, only when its process is
 * gone; a refresh follows when that job ran up or destroy. The step's script on a file backend:
 * it lifts, leaves, logs why, notes this job and says `refresh` in $GITHUB_OUTPUT.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CI_RUN_NOTE, type CiRun, judgeLocks, needsRefresh } from "../../scripts/lib/ciRunLocks";
import type { HeldLock } from "../../scripts/lib/deadRunLocks";
import { repoRoot } from "../../scripts/lib/pulumiEnv";

const previous: CiRun = { hostname: "fv-az101-7", username: "runner", command: "up", run: "deploy run 1 attempt 1, job up", at: "2026-12-07T10:00:00Z" };
const lock = (content: object): HeldLock => ({
  locked: "organization/polytomic-pipelines/prod",
  howToDelete: "rm x",
  content: JSON.stringify(content),
  remove: async () => undefined,
});
/** A pid that ran here and has exited. */
const deadPid = () => spawnSync(process.execPath, ["-e", ""]).pid!;

describe("judging a stack's locks against the last CI job's note", () => {
  it("lifts the noted runner's lock (its pid means nothing on this host), leaves a laptop's and an unreadable one", () => {
    const verdicts = judgeLocks(
      [
        lock({ pid: process.pid, hostname: "fv-az101-7", username: "runner", timestamp: "2026-12-07T10:00:05Z" }),
        lock({ pid: process.pid, hostname: "alices-laptop", username: "alice", timestamp: "2026-12-07T10:01:00Z" }),
        lock({ pid: 1, hostname: "fv-az101-7", username: "alice" }),
        { ...lock({}), content: "{" },
      ],
      previous,
      "pulumi-stack-prod",
      "fv-az202-9",
    );
    expect(verdicts.map((v) => v.lift)).toEqual([true, false, false, false]);
    expect(verdicts[0].why).toContain("deploy run 1 attempt 1, job up, pulumi up");
    expect(verdicts[0].why).toContain("concurrency group pulumi-stack-prod");
    expect(verdicts[1].why).toBe("held by alice@alices-laptop (pid " + process.pid + ") since 2026-12-07T10:01:00Z, not by a CI job of this repository: left");
    expect(needsRefresh(previous, verdicts)).toBe(true);
    expect(needsRefresh({ ...previous, command: "refresh" }, verdicts)).toBe(false);
    expect(needsRefresh(previous, verdicts.slice(1))).toBe(false);
  });

  it("with no note (no CI job ran the stack since notes exist) lifts nothing", () => {
    expect(judgeLocks([lock({ pid: deadPid(), hostname: os.hostname(), username: os.userInfo().username })], undefined, "g")[0].lift).toBe(false);
  });

  it("on this host (a self-hosted runner), lifts the noted runner's lock only when its process is gone", () => {
    const here = { ...previous, hostname: os.hostname() };
    const live = lock({ pid: process.pid, hostname: os.hostname(), username: "runner" });
    const dead = lock({ pid: deadPid(), hostname: os.hostname(), username: "runner" });
    expect(judgeLocks([live, dead], here, "g").map((v) => v.lift)).toEqual([false, true]);
  });
});

describe("the workflows' locks step (dist/scripts/ciLocks.js) on a file backend", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ci-locks-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const lockFile = (name: string, content: object) => {
    const folder = path.join(dir, "backend", ".pulumi", "locks", "organization", "polytomic-pipelines", "prod");
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, `${name}.json`), JSON.stringify(content));
    return path.join(folder, `${name}.json`);
  };
  const noteFile = () => path.join(dir, "backend", ".polytomic", "stacks", "polytomic-pipelines", "prod", CI_RUN_NOTE);
  const step = (command: string) => {
    const output = path.join(dir, "github-output");
    fs.writeFileSync(output, "");
    const run = spawnSync(process.execPath, [path.join(repoRoot, "dist", "scripts", "ciLocks.js"), "--stack", "prod", "--command", command], {
      cwd: repoRoot,
      encoding: "utf8",
      env: { ...process.env, PULUMI_BACKEND_URL: `file://${dir}/backend`, GITHUB_OUTPUT: output, GITHUB_RUN_ID: "42", GITHUB_RUN_ATTEMPT: "1", GITHUB_WORKFLOW: "deploy", GITHUB_JOB: "up" },
    });
    return { status: run.status, log: `${run.stdout}${run.stderr}`, outputs: fs.readFileSync(output, "utf8") };
  };

  it("lifts the dead job's lock and asks for a refresh, leaves a laptop's with one line, and notes this job", () => {
    const note = noteFile();
    fs.mkdirSync(path.dirname(note), { recursive: true });
    fs.writeFileSync(note, JSON.stringify(previous));
    const dead = lockFile("a", { pid: 77, hostname: "fv-az101-7", username: "runner", timestamp: "2026-12-07T10:00:05Z" });
    const laptop = lockFile("b", { pid: process.pid, hostname: "alices-laptop", username: "alice", timestamp: "2026-12-07T10:01:00Z" });

    const first = step("up");
    expect(first.status, first.log).toBe(0);
    expect(fs.existsSync(dead)).toBe(false);
    expect(fs.existsSync(laptop)).toBe(true);
    expect(first.log).toContain("lock held by runner@fv-az101-7 (pid 77)");
    expect(first.log).toContain(": lifted");
    expect(first.log.split("\n").filter((line) => line.startsWith("::warning::"))).toEqual([
      expect.stringContaining("is locked by a run of alice@alices-laptop"),
    ]);
    expect(first.outputs).toBe("refresh=true\nlifted=1\ndead_command=up\n");
    expect(JSON.parse(fs.readFileSync(note, "utf8"))).toMatchObject({ hostname: os.hostname(), command: "up", run: "deploy run 42 attempt 1, job up" });

    // The next job: the laptop's lock is still not a CI job's.
    const second = step("destroy");
    expect(second.outputs).toBe("refresh=false\nlifted=0\ndead_command=\n");
    expect(fs.existsSync(laptop)).toBe(true);
  });
});
