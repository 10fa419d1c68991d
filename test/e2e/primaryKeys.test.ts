/**
 * A program with the real engine against the emulator and the test run's PostgreSQL: a
 * `postgresql` Connection (password a secret), `getConnectionSchemaOutput` over one of its tables,
 * and a ConnectionSchemaPrimaryKeys built from the lookup's field ids. `up`, a no-op preview, an
 * edit that is exactly one update, drift found by refresh, `destroy` back to the table's own key,
 * and no password in `pulumi stack export`.
 */
import { execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startEmulator } from "../../emulator";
import { openStack, type OpenedStack } from "../../scripts/lib/stack";
import { stepRecorder } from "./events";
import { buildProgram, installProgramDependencies } from "./exportProgram";

const API_KEY = "primary-keys-e2e-key-0123456789";

const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { Connection, ConnectionSchemaPrimaryKeys, getConnectionSchemaOutput } from "polytomic-pulumi";

const config = new pulumi.Config();
const table = config.require("table");
const keyNames = config.requireObject<string[]>("keys");
const warehouse = new Connection("warehouse", {
  name: "warehouse",
  type: "postgresql",
  configuration: config.requireObject<Record<string, unknown>>("database"),
  sensitiveConfiguration: { password: config.requireSecret("databasePassword") },
});
const schema = getConnectionSchemaOutput({ connectionId: warehouse.id, schemaId: table });
const keys = new ConnectionSchemaPrimaryKeys("accounts-key", {
  connectionId: warehouse.id,
  schemaId: table,
  fieldIds: schema.fields.apply((fields) => fields.filter((f) => keyNames.includes(f.name)).map((f) => f.id)),
});
export const columns = schema.fields.apply((fields) => fields.map((f) => \`\${f.name}:\${f.type}\`));
export const keyFields = keys.fieldNames;
`;

describe("ConnectionSchemaPrimaryKeys with the real engine", () => {
  const pg = new URL(inject("postgresUrl"));
  const schemaName = `e2e_pk_${crypto.randomBytes(4).toString("hex")}`;
  const table = `${schemaName}.accounts`;
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let db: Client;
  let dir: string;
  let programDir: string;
  let opened: OpenedStack;
  const recorder = stepRecorder();
  const keysInEmulator = async () => {
    const connection = emulator.state.connections()[0];
    const res = await fetch(`${emulator.url}/api/connections/${connection.id}/schemas/${table}`, { headers: { Authorization: `Bearer ${API_KEY}` } });
    const body = (await res.json()) as { data: { fields: { id: string; is_primary_key: boolean }[] } };
    return body.data.fields.filter((f) => f.is_primary_key).map((f) => f.id);
  };

  beforeAll(async () => {
    db = new Client({ connectionString: pg.toString() });
    await db.connect();
    await db.query(`CREATE SCHEMA ${schemaName}`);
    await db.query(`CREATE TABLE ${table} (id integer PRIMARY KEY, email text, region text, seats integer)`);
    emulator = await startEmulator({ port: 0, apiKey: API_KEY, schemaReadyDelayMs: 0, log: () => undefined });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "polytomic-pk-e2e-"));
    programDir = path.join(dir, "program");
    fs.mkdirSync(programDir);
    fs.writeFileSync(path.join(programDir, "index.ts"), PROGRAM);
    fs.writeFileSync(path.join(programDir, "Pulumi.yaml"), "name: polytomic-primary-keys\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: bin/index.js\n");
    fs.writeFileSync(path.join(programDir, "package.json"), JSON.stringify({ name: "pk-e2e", private: true, main: "bin/index.js" }));
    fs.writeFileSync(
      path.join(programDir, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { target: "ES2022", module: "commonjs", moduleResolution: "node", outDir: "bin", strict: true, skipLibCheck: true }, files: ["index.ts"] }),
    );
    installProgramDependencies(programDir, "polytomic-pulumi");
    buildProgram(programDir);
    opened = await openStack({ stackName: "pk", workDir: programDir, backendDir: path.join(dir, "backend"), pulumiHome: path.join(dir, "home"), passphrase: "pk" });
    await opened.stack.setAllConfig({
      "polytomic:url": { value: emulator.url },
      "polytomic:apiKey": { value: API_KEY, secret: true },
      table: { value: table },
      keys: { value: JSON.stringify(["email"]) },
      database: {
        value: JSON.stringify({ hostname: pg.hostname, port: Number(pg.port), database: pg.pathname.slice(1), username: decodeURIComponent(pg.username) }),
      },
      databasePassword: { value: decodeURIComponent(pg.password), secret: true },
    });
  }, 300_000);

  afterAll(async () => {
    await emulator?.stop();
    await db?.query(`DROP SCHEMA IF EXISTS ${schemaName} CASCADE`);
    await db?.end();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("up sets the key the program derives from the lookup", async () => {
    const up = await opened.stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(up.outputs.columns.value).toEqual(["id:number", "email:string", "region:string", "seats:number"]);
    expect(up.outputs.keyFields.value).toEqual(["email"]);
    expect(await keysInEmulator()).toEqual(["email"]);
  });

  it("a preview with no change shows none", async () => {
    recorder.reset();
    const preview = await opened.stack.preview({ onEvent: recorder.onEvent });
    // The stack, the state's salt, the connection and the key.
    expect(preview.changeSummary).toEqual({ same: 4 });
    expect(recorder.changed()).toEqual([]);
  });

  it("another key is exactly one in-place update", async () => {
    await opened.stack.setConfig("keys", { value: JSON.stringify(["email", "region"]) });
    recorder.reset();
    const up = await opened.stack.up({ onEvent: recorder.onEvent });
    expect(recorder.changed().map((s) => `${s.op} ${s.type} ${s.name}`)).toEqual(["update ConnectionSchemaPrimaryKeys accounts-key"]);
    expect(up.outputs.keyFields.value).toEqual(["email", "region"]);
    expect(await keysInEmulator()).toEqual(["email", "region"]);
  });

  it("refresh finds a key reset elsewhere, and the next up puts it back", async () => {
    const connection = emulator.state.connections()[0];
    await fetch(`${emulator.url}/api/connections/${connection.id}/schemas/${table}/primary_keys`, { method: "DELETE", headers: { Authorization: `Bearer ${API_KEY}` } });
    await opened.stack.refresh();
    recorder.reset();
    await opened.stack.up({ onEvent: recorder.onEvent });
    expect(recorder.changed().map((s) => `${s.op} ${s.type} ${s.name}`)).toEqual(["update ConnectionSchemaPrimaryKeys accounts-key"]);
    expect(await keysInEmulator()).toEqual(["email", "region"]);
  });

  it("no password in the state; destroy resets the key, then deletes the connection", async () => {
    // `pulumi stack export` itself: the Automation API's exportStack shows secrets.
    const exported = execFileSync(path.join(opened.binDir, "pulumi"), ["stack", "export", "--stack", "pk"], { cwd: programDir, env: opened.env, encoding: "utf8" });
    expect(exported).toContain("accounts-key");
    expect(exported).not.toContain(decodeURIComponent(pg.password));
    emulator.resetStats();
    await opened.stack.destroy();
    // The key is reset first (it depends on the connection), then the connection deleted.
    const routes = emulator.stats().routes;
    expect(Object.keys(routes).filter((r) => r.startsWith("DELETE"))).toEqual(["DELETE /api/connections/{id}/schemas/{schema_id}/primary_keys", "DELETE /api/connections/{id}"]);
    expect(emulator.state.connections()).toEqual([]);
  });
});
