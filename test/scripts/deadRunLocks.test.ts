/** Locks of a file backend left by runs that died on this machine are lifted; any other lock stays. */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { clearDeadRunLocks } from "../../scripts/lib/deadRunLocks";

describe("dead runs' locks", () => {
  let backend: string;
  beforeEach(() => {
    backend = fs.mkdtempSync(path.join(os.tmpdir(), "locks-"));
  });
  afterEach(() => fs.rmSync(backend, { recursive: true, force: true }));

  const lock = (stack: string, id: string, content: object) => {
    const dir = path.join(backend, ".pulumi", "locks", "organization", "polytomic-pipelines", stack);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${id}.json`), JSON.stringify(content));
    fs.writeFileSync(path.join(dir, `${id}.json.attrs`), "{}");
    return path.join(dir, `${id}.json`);
  };
  /** A pid that ran here and has exited. */
  const deadPid = () => spawnSync(process.execPath, ["-e", ""]).pid!;

  it("removes a lock from this host whose process is gone, with its .attrs, and names the stack", () => {
    const dead = lock("dev", "a", { pid: deadPid(), hostname: os.hostname() });
    const live = lock("staging", "b", { pid: process.pid, hostname: os.hostname() });
    const elsewhere = lock("prod", "c", { pid: deadPid(), hostname: `${os.hostname()}-other` });
    expect(clearDeadRunLocks(backend)).toEqual(["organization/polytomic-pipelines/dev"]);
    expect(fs.existsSync(dead)).toBe(false);
    expect(fs.existsSync(`${dead}.attrs`)).toBe(false);
    expect(fs.existsSync(live)).toBe(true);
    expect(fs.existsSync(elsewhere)).toBe(true);
  });

  it("only touches the stack asked for, and leaves what it cannot read", () => {
    const other = lock("dev", "a", { pid: deadPid(), hostname: os.hostname() });
    const unreadable = lock("crash", "b", {});
    fs.writeFileSync(unreadable, "{not json");
    expect(clearDeadRunLocks(backend, "crash")).toEqual([]);
    expect(fs.existsSync(other)).toBe(true);
    expect(fs.existsSync(unreadable)).toBe(true);
    expect(clearDeadRunLocks(path.join(backend, "missing"))).toEqual([]);
  });
});
