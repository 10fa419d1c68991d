/** Locks of a file or PostgreSQL backend left by runs that died on this machine are lifted; any other lock stays. */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Client } from "pg";
import { clearDeadRunLocks } from "../../scripts/lib/deadRunLocks";
import { encodeBlob, parseBackendUrl } from "../../providers/runtime/postgresNotes";
import { postgresBackendUrl } from "../support/postgres";

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

  it("removes a lock from this host whose process is gone, with its .attrs, and names the stack", async () => {
    const dead = lock("dev", "a", { pid: deadPid(), hostname: os.hostname() });
    const live = lock("staging", "b", { pid: process.pid, hostname: os.hostname() });
    const elsewhere = lock("prod", "c", { pid: deadPid(), hostname: `${os.hostname()}-other` });
    expect(await clearDeadRunLocks(`file://${backend}`)).toEqual(["organization/polytomic-pipelines/dev"]);
    expect(fs.existsSync(dead)).toBe(false);
    expect(fs.existsSync(`${dead}.attrs`)).toBe(false);
    expect(fs.existsSync(live)).toBe(true);
    expect(fs.existsSync(elsewhere)).toBe(true);
  });

  it("only touches the stack asked for, and leaves what it cannot read", async () => {
    const other = lock("dev", "a", { pid: deadPid(), hostname: os.hostname() });
    const unreadable = lock("crash", "b", {});
    fs.writeFileSync(unreadable, "{not json");
    expect(await clearDeadRunLocks(`file://${backend}`, "crash")).toEqual([]);
    expect(fs.existsSync(other)).toBe(true);
    expect(fs.existsSync(unreadable)).toBe(true);
    expect(await clearDeadRunLocks(`file://${path.join(backend, "missing")}`)).toEqual([]);
    expect(await clearDeadRunLocks("s3://bucket/state")).toEqual([]);
  });

  it("in a PostgreSQL backend: lock rows, the same rule", async () => {
    const url = postgresBackendUrl("locks");
    const { connectionString, table } = parseBackendUrl(url);
    const client = new Client({ connectionString });
    await client.connect();
    try {
      expect(await clearDeadRunLocks(url)).toEqual([]); // no table yet: nothing locked
      await client.query(`CREATE TABLE ${table} (key TEXT PRIMARY KEY, data JSON NOT NULL, updated_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
      const put = (stack: string, id: string, content: object) =>
        client.query(`INSERT INTO ${table} (key, data) VALUES ($1, $2::json)`, [`pulumi/.pulumi/locks/organization/polytomic-pipelines/${stack}/${id}.json`, encodeBlob(JSON.stringify(content))]);
      await put("dev", "a", { pid: deadPid(), hostname: os.hostname() });
      await put("staging", "b", { pid: process.pid, hostname: os.hostname() });
      expect(await clearDeadRunLocks(url, "staging")).toEqual([]);
      expect(await clearDeadRunLocks(url)).toEqual(["organization/polytomic-pipelines/dev"]);
      const left = await client.query<{ key: string }>(`SELECT key FROM ${table} ORDER BY key`);
      expect(left.rows.map((r) => r.key)).toEqual(["pulumi/.pulumi/locks/organization/polytomic-pipelines/staging/b.json"]);
    } finally {
      await client.end();
    }
  });
});
