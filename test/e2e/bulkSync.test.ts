/**
 * BulkSync with the real engine, the emulator and the test run's PostgreSQL: a program declaring
 * a bulk sync between two schemas goes `up`; a preview with no edit makes one request (the
 * credential check); a rename previews as one update and applies as one PUT; a new organization
 * previews as a replacement; an edit made through the API is found by `refresh`; `destroy`
 * leaves no bulk sync.
 */
import { execFile } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startEmulator } from "../../emulator";
import { providePulumiCli, pulumiEnv, repoRoot } from "../../scripts/lib/pulumiEnv";
import { postgresConnectionSettings } from "../support/postgres";

const run = promisify(execFile);
const API_KEY = "bulk-e2e-key-0123456789";
const schema = `bulk_e2e_${crypto.randomBytes(4).toString("hex")}`;
const TABLE = `${schema}.orders`;

/** The program: one bulk sync, its name and organization from the stack config. */
const PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const { BulkSync } = require("polytomic-pulumi");
const config = new pulumi.Config("bulk");
const sync = new BulkSync("orders", {
  name: config.require("name"),
  source: { connectionId: config.require("source") },
  destination: { connectionId: config.require("destination"), configuration: { schema: "${schema}_out" } },
  schedule: { frequency: "manual" },
  schemas: { "${TABLE}": { trackingField: "updated_at", fields: { id: {}, total: {}, updated_at: {} } } },
  organizationId: config.get("organization"),
});
exports.id = sync.id;
exports.outputNames = sync.outputNames;
`;

let emulator: Awaited<ReturnType<typeof startEmulator>>;
let db: Client;
let dir: string;
let env: Record<string, string>;

const pulumi = async (...args: string[]) => (await run("pulumi", [...args, "--non-interactive", "--stack", "dev"], { cwd: path.join(dir, "program"), env, maxBuffer: 64 * 1024 * 1024 })).stdout;
const setConfig = (key: string, value: string) => pulumi("config", "set", `bulk:${key}`, value);
const api = async (method: string, route: string, body?: unknown) => {
  const res = await fetch(emulator.url + route, { method, headers: { Authorization: `Bearer ${API_KEY}`, "Content-Type": "application/json" }, body: body && JSON.stringify(body) });
  const text = await res.text();
  return text ? JSON.parse(text).data : undefined;
};
/** The operations the preview plans for the bulk sync (a step left as it is is not listed). */
const plannedOp = async () => {
  const preview = JSON.parse(await pulumi("preview", "--json"));
  return ((preview.steps ?? []) as { op: string; urn: string }[]).filter((s) => s.urn.endsWith("::orders") && s.op !== "same").map((s) => s.op);
};

beforeAll(async () => {
  db = new Client({ connectionString: inject("postgresUrl") });
  await db.connect();
  await db.query(`CREATE SCHEMA ${schema}`);
  await db.query(`CREATE TABLE ${TABLE} (id integer PRIMARY KEY, total numeric, updated_at timestamptz)`);
  emulator = await startEmulator({ port: 0, apiKey: API_KEY, schemaReadyDelayMs: 0, log: () => undefined });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bulk-e2e-"));
  const program = path.join(dir, "program");
  fs.mkdirSync(path.join(program, "node_modules", "@pulumi"), { recursive: true });
  fs.symlinkSync(path.join(repoRoot, "node_modules", "@pulumi", "pulumi"), path.join(program, "node_modules", "@pulumi", "pulumi"));
  fs.symlinkSync(repoRoot, path.join(program, "node_modules", "polytomic-pulumi"));
  fs.writeFileSync(path.join(program, "Pulumi.yaml"), "name: bulk-e2e\nruntime: nodejs\nmain: index.js\n");
  fs.writeFileSync(path.join(program, "index.js"), PROGRAM);
  env = { ...pulumiEnv({ binDir: providePulumiCli(), backendDir: path.join(dir, "state"), programDir: program, stackName: "dev" }), POLYTOMIC_URL: emulator.url, POLYTOMIC_API_KEY: API_KEY };
  const ids: string[] = [];
  for (const name of ["source", "destination"]) ids.push((await api("POST", "/api/connections", { name, type: "postgresql", configuration: postgresConnectionSettings() })).id);
  await run("pulumi", ["stack", "init", "dev", "--non-interactive"], { cwd: program, env });
  await setConfig("source", ids[0]);
  await setConfig("destination", ids[1]);
  await setConfig("name", "orders copy");
}, 300_000);

afterAll(async () => {
  await emulator?.stop();
  await db?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await db?.end();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("BulkSync with the engine", () => {
  it("goes up, previews a no-op with one request, an edit as one update, a new organization as a replacement, finds drift, and destroys", async () => {
    await pulumi("up", "--yes", "--skip-preview");
    const [created] = (await api("GET", "/api/bulk/syncs")) as { id: string; name: string }[];
    expect(created.name).toBe("orders copy");
    expect(JSON.parse(await pulumi("stack", "output", "--json"))).toEqual({ id: created.id, outputNames: { [TABLE]: `${schema}_orders` } });

    emulator.resetStats();
    expect(await plannedOp()).toEqual([]);
    expect(emulator.stats().total).toBe(1);

    await setConfig("name", "orders copy v2");
    expect(await plannedOp()).toEqual(["update"]);
    emulator.resetStats();
    await pulumi("up", "--yes", "--skip-preview");
    expect(emulator.stats().routes["PUT /api/bulk/syncs/{id}"]).toBe(1);
    expect(emulator.stats().routes["POST /api/bulk/syncs"] ?? 0).toBe(0);
    expect((await api("GET", `/api/bulk/syncs/${created.id}`)).name).toBe("orders copy v2");

    await setConfig("organization", "4d2c1b3a-0000-4000-8000-0000000000ff");
    expect(await plannedOp()).toEqual(["replace"]);
    await pulumi("config", "rm", "bulk:organization");

    // An edit made elsewhere: a declared schema's tracking field cleared.
    const server = await api("GET", `/api/bulk/syncs/${created.id}`);
    const { id: _id, organization_id: _o, created_at: _c, created_by: _cb, updated_at: _u, updated_by: _ub, ...body } = server;
    await api("PUT", `/api/bulk/syncs/${created.id}`, { ...body, schemas: [{ id: TABLE, fields: ["id", "total", "updated_at"] }] });
    await pulumi("refresh", "--yes", "--skip-preview");
    expect(await plannedOp()).toEqual(["update"]);
    await pulumi("up", "--yes", "--skip-preview");
    expect((await api("GET", `/api/bulk/syncs/${created.id}/schemas/${TABLE}`)).tracking_field).toBe("updated_at");

    await pulumi("destroy", "--yes", "--skip-preview");
    expect(await api("GET", "/api/bulk/syncs")).toEqual([]);
  }, 600_000);
});
