/**
 * `polytomic-export --check` in-process against the emulator, with a stack state written the way
 * the providers write it (declared inputs in the outputs, secrets in Pulumi's envelope): a
 * partner's organizations checked one by one, secrets reported only as "changed", reads only.
 * The real engine and the workflow: test/e2e/drift.test.ts.
 */
import * as crypto from "node:crypto";
import { Client as PgClient } from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createClient, PolytomicClient } from "../../client";
import { runExportCommand } from "../../cli/export/command";
import type { StackSnapshot, StateResource } from "../../cli/export/check";
import { DEFAULT_PARTNER_KEY, startEmulator } from "../../emulator";
import { postgresConnectionSettings } from "../support/postgres";

const API_KEY = "check-unit-key-0123456789";
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const secret = (value: unknown) => ({ [SECRET_SIG]: "1b47061264138c4ac30d75fd1eb44270", plaintext: JSON.stringify(value) });
const resource = (kind: string, name: string, id: string, outputs: Record<string, unknown>): StateResource => ({
  type: `pulumi-nodejs:dynamic/polytomic:${kind}`,
  urn: `urn:pulumi:partner::tenants::pulumi-nodejs:dynamic/polytomic:${kind}::${name}`,
  id,
  outputs,
});

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

/** The command in-process, reading `snapshot` as the program's stack: its exit code and output. */
async function runCheck(argv: string[], snapshot: StackSnapshot) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runExportCommand(argv, {
    createClient,
    stackConfig: async () => ({}),
    readStack: async () => snapshot,
    packageInfo: { name: "polytomic-pulumi", version: "0.1.0", versions: { pulumi: "3.248.0", typescript: "5.9.3", nodeTypes: "20.19.43" } },
    env: {},
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}


describe("polytomic-export --check with a partner key", () => {
  let emulator: Emulator;
  let partner: PolytomicClient;
  const orgs: Record<string, { id: string; client: PolytomicClient; hookId: string }> = {};
  let state: StackSnapshot;

  const check = (snapshot: StackSnapshot) => runCheck(["--check", "tenants", "--stack", "partner"], snapshot);

  beforeAll(async () => {
    emulator = await startEmulator({ apiKey: API_KEY, partnerKey: DEFAULT_PARTNER_KEY });
    partner = createClient({ baseUrl: emulator.url, apiKey: DEFAULT_PARTNER_KEY });
    const resources: StateResource[] = [];
    for (const name of ["acme", "globex"]) {
      const org = await partner.organizations.create({ name });
      const client = createClient({ baseUrl: emulator.url, apiKey: DEFAULT_PARTNER_KEY, organizationId: org.id });
      const url = `http://127.0.0.1:9/${name}`;
      const hook = await client.connections.create({ name: `${name} hook`, type: "webhook", configuration: { url }, organization_id: org.id });
      orgs[name] = { id: org.id, client, hookId: hook.id };
      resources.push(resource("Organization", name, org.id, { name }));
      // acme declared its URL as a secret: the state holds it encrypted.
      resources.push(
        resource("Connection", `${name}-hook`, hook.id, {
          name: `${name} hook`,
          type: "webhook",
          configuration: { url: name === "acme" ? secret(url) : url },
          organizationId: org.id,
          status: "healthy",
        }),
      );
    }
    state = { stack: "partner", resources, config: { "polytomic:url": emulator.url, "polytomic:partnerKey": DEFAULT_PARTNER_KEY } };
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  it("finds nothing in organizations that match the state", async () => {
    const result = await check(state);
    expect(result.err).toBe("");
    expect(result.out).toMatch(/^No drift: .* 4 managed objects/);
    expect(result.code).toBe(0);
  });

  it("reports each organization on its own, secrets only as changed, and makes no write", async () => {
    await orgs.acme.client.connections.update(orgs.acme.hookId, { name: "acme hook", type: "webhook", configuration: { url: "http://127.0.0.1:9/moved" } });
    const made = await orgs.globex.client.connections.create({ name: "Extra hook", type: "webhook", configuration: { url: "http://127.0.0.1:9/x" } });
    await partner.organizations.update(orgs.globex.id, { name: "globex-renamed" });

    emulator.resetStats();
    const result = await check(state);
    expect(result.err).toBe("");
    expect(result.code).toBe(1);
    const [acme, globex] = result.out.split(/\n(?=organization )/).slice(1);
    expect(acme).toContain(`organization "acme" (${orgs.acme.id}):`);
    expect(acme).toMatch(/configuration\.url +changed \(a secret: not shown\)/);
    expect(result.out).not.toContain("/moved");
    expect(globex).toContain(`organization "globex-renamed" (${orgs.globex.id}):`);
    expect(globex).toMatch(/name +"globex" \| "globex-renamed"/);
    expect(globex).toContain(`connection "Extra hook" (Connection, id ${made.id}); npm run export would write:`);
    expect(acme).not.toContain("Extra hook");
    expect(Object.keys(emulator.stats().routes).filter((route) => !route.startsWith("GET "))).toEqual([]);
  });

  it("reports an organization deleted with everything in it as gone", async () => {
    const gone = await partner.organizations.create({ name: "initech" });
    const snapshot = { ...state, resources: [...state.resources, resource("Organization", "initech", gone.id, { name: "initech" })] };
    await partner.organizations.delete(gone.id);
    const result = await check(snapshot);
    expect(result.code).toBe(1);
    expect(result.out).toContain(`Managed here, gone from Polytomic (deleted outside the program), 1:\n    organization "initech" (id ${gone.id}), resource initech`);
  });

  it("a wrong partner key: one line, exit 2", async () => {
    const result = await check({ ...state, config: { ...state.config, "polytomic:partnerKey": "not-the-partner-key" } });
    expect(result.code).toBe(2);
    expect(result.out).toBe("");
    expect(result.err.split("\n")).toHaveLength(1);
    expect(result.err).toContain("refused the key (HTTP 401): check polytomic:partnerKey");
  });
});

describe("polytomic-export --check over roles, policies, users, error subscribers and typed connections", () => {
  let emulator: Emulator;
  let client: PolytomicClient;
  let users: ReturnType<PolytomicClient["users"]>;
  let state: StackSnapshot;
  const ids: Record<string, string> = {};

  const check = (snapshot: StackSnapshot) => runCheck(["--check", "org", "--stack", "dev"], snapshot);

  beforeAll(async () => {
    emulator = await startEmulator({ apiKey: API_KEY, partnerKey: DEFAULT_PARTNER_KEY });
    client = createClient({ baseUrl: emulator.url, apiKey: API_KEY });
    const orgId = (await client.me()).organization_id;
    users = createClient({ baseUrl: emulator.url, apiKey: DEFAULT_PARTNER_KEY, organizationId: orgId }).users(orgId);
    const role = await client.roles.create({ name: "Analysts" });
    const policy = await client.policies.create({ name: "Hook access", policy_actions: [{ action: "apply_policy", role_ids: [role.id] }] });
    await client.globalErrorSubscribers.set(["ops@acme.example"]);
    const user = await users.create({ email: "ann@acme.example", role_ids: [role.id] });
    const hook = await client.connections.create({ name: "Hook", type: "webhook", configuration: { url: "http://127.0.0.1:9/x", header: { name: "X-Key", value: "v1" } } });
    Object.assign(ids, { org: orgId, role: role.id, policy: policy.id, user: user.id, hook: hook.id });
    // As the classes write them: a typed connection is a Connection resource, its secret in sensitiveConfiguration.
    state = {
      stack: "dev",
      resources: [
        resource("Role", "analysts", role.id, { name: "Analysts" }),
        resource("Policy", "hook-access", policy.id, { name: "Hook access", policyActions: [{ action: "apply_policy", roleIds: [role.id] }] }),
        resource("GlobalErrorSubscribers", "global-error-subscribers", "global-error-subscribers", { emails: ["ops@acme.example"] }),
        resource("User", "ann", user.id, { email: "ann@acme.example", organizationId: orgId, roleIds: [role.id] }),
        resource("Connection", "hook", hook.id, {
          name: "Hook",
          type: "webhook",
          configuration: { url: "http://127.0.0.1:9/x", header: { name: "X-Key" } },
          sensitiveConfiguration: secret({ header: { value: "v1" } }),
        }),
      ],
      config: { "polytomic:url": emulator.url, "polytomic:apiKey": API_KEY, "polytomic:partnerKey": DEFAULT_PARTNER_KEY },
    };
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  it("finds nothing when the organization matches the state, with one report for the key's organization", async () => {
    const result = await check(state);
    expect(result.err).toBe("");
    expect(result.out).toMatch(/^No drift: .* 5 managed objects/);
    expect(result.code).toBe(0);
  });

  it("reports changed, gone and unmanaged objects of every kind, secrets only as changed, reading only", async () => {
    const admin = (await client.roles.list()).find((r) => r.system && r.name === "Admin")!;
    await client.policies.update(ids.policy, { name: "Hook access", policy_actions: [{ action: "apply_policy", role_ids: [ids.role, admin.id] }] });
    await client.globalErrorSubscribers.set(["ops@acme.example", "new@acme.example"]);
    await users.update(ids.user, { email: "ann@acme.example", role_ids: [admin.id] });
    await client.roles.delete(ids.role);
    const extraRole = await client.roles.create({ name: "Made in the UI" });
    const extraPolicy = await client.policies.create({ name: "UI policy" });
    await client.connections.update(ids.hook, { name: "Hook", type: "webhook", configuration: { url: "http://127.0.0.1:9/x", header: { name: "X-Key", value: "v2-rotated" } } });

    emulator.resetStats();
    const result = await check(state);
    expect(result.err).toBe("");
    expect(result.code).toBe(1);
    expect(result.out).toContain(`role "Made in the UI" (Role, id ${extraRole.id}); npm run export would write:`);
    expect(result.out).toContain(`policy "UI policy" (Policy, id ${extraPolicy.id}); npm run export would write:`);
    expect(result.out).toContain(`role "Analysts" (id ${ids.role}), resource analysts`);
    expect(result.out).toContain(`policy "Hook access" (id ${ids.policy}), resource hook-access:`);
    expect(result.out).toContain(`policyActions[0].roleIds  ["${ids.role}"] | ["${ids.role}",`);
    expect(result.out).toMatch(/emails +\["ops@acme.example"\] +\| \["ops@acme.example","new@acme.example"\]/);
    expect(result.out).toContain(`global error subscribers (id global-error-subscribers), resource global-error-subscribers:`);
    expect(result.out).toContain(`user "ann@acme.example" (id ${ids.user}), resource ann:\n      roleIds[0]  "${ids.role}" | "${admin.id}"`);
    // The API masks the secret it keeps: a rotated value cannot be compared, and is never printed.
    expect(result.out).not.toContain('connection "Hook" (id');
    expect(result.out).not.toContain("v2-rotated");
    // Built-in roles and policies are never reported as made outside the program.
    expect(result.out).not.toContain('role "Admin"');
    expect(Object.keys(emulator.stats().routes).filter((route) => !route.startsWith("GET "))).toEqual([]);
  });

  it("a program managing users without a partner key: one line, exit 2", async () => {
    const result = await check({ ...state, config: { "polytomic:url": emulator.url, "polytomic:apiKey": API_KEY } });
    expect(result.code).toBe(2);
    expect(result.err).toContain("the program manages users: checking them takes a partner key");
  });
});

describe("polytomic-export --check over a schema's primary keys and bulk syncs", () => {
  const src = `check_keys_${crypto.randomBytes(4).toString("hex")}`;
  let emulator: Emulator;
  let db: PgClient;

  beforeAll(async () => {
    db = new PgClient({ connectionString: inject("postgresUrl") });
    await db.connect();
    await db.query(`CREATE SCHEMA ${src}`);
    await db.query(`CREATE TABLE ${src}.people (email text PRIMARY KEY, name text)`);
    emulator = await startEmulator({ apiKey: API_KEY });
  });

  afterAll(async () => {
    await emulator?.stop();
    await db?.query(`DROP SCHEMA IF EXISTS ${src} CASCADE`);
    await db?.end();
  });

  it("reports keys changed outside the program, and gone with their table; never a schema's own keys as unmanaged", async () => {
    const client = createClient({ baseUrl: emulator.url, apiKey: API_KEY });
    const warehouse = await client.connections.create({ name: "Warehouse", type: "postgresql", configuration: { ...postgresConnectionSettings(), ssl: false } });
    const id = `${warehouse.id}/${src}.people`;
    await client.schemas.setPrimaryKeys(warehouse.id, `${src}.people`, ["name"]);
    const settings = postgresConnectionSettings();
    const state: StackSnapshot = {
      stack: "dev",
      resources: [
        resource("Connection", "warehouse", warehouse.id, {
          name: "Warehouse",
          type: "postgresql",
          configuration: { hostname: settings.hostname, port: settings.port, database: settings.database, username: settings.username, ssl: false },
          sensitiveConfiguration: secret({ password: settings.password }),
        }),
        resource("ConnectionSchemaPrimaryKeys", "warehouse-people", id, { connectionId: warehouse.id, schemaId: `${src}.people`, fieldIds: ["name"] }),
      ],
      config: { "polytomic:url": emulator.url, "polytomic:apiKey": API_KEY },
    };
    const clean = await runCheck(["--check", "org"], state);
    expect(clean.err).toBe("");
    expect(clean.out).toMatch(/^No drift: .* 2 managed objects/);

    await client.schemas.setPrimaryKeys(warehouse.id, `${src}.people`, ["email", "name"]);
    const changed = await runCheck(["--check", "org"], state);
    expect(changed.code).toBe(1);
    expect(changed.out).toContain(`primary keys ${id} (id ${id}), resource warehouse-people:\n      fieldIds  ["name"] | ["email","name"]`);

    await db.query(`DROP TABLE ${src}.people`);
    const gone = await runCheck(["--check", "org"], state);
    expect(gone.code).toBe(1);
    expect(gone.out).toContain(`Managed here, gone from Polytomic (deleted outside the program), 1:\n    primary keys ${id} (id ${id}), resource warehouse-people`);
    expect(gone.out).not.toContain("Not managed by the program");
  });

  it("reports a bulk sync changed outside the program, and one made there with the lines the export would write", async () => {
    const client = createClient({ baseUrl: emulator.url, apiKey: API_KEY });
    await db.query(`CREATE TABLE IF NOT EXISTS ${src}.orders (id integer PRIMARY KEY, total integer)`);
    const [source, destination] = await Promise.all(
      ["Source", "Replica"].map((name) => client.connections.create({ name, type: "postgresql", configuration: { ...postgresConnectionSettings(), ssl: false } })),
    );
    const body = {
      source_connection_id: source.id,
      destination_connection_id: destination.id,
      destination_configuration: { schema: `${src}_copy` },
      mode: "replicate" as const,
      active: true,
      default_schedule: { frequency: "manual" as const },
      schemas: [{ id: `${src}.orders`, tracking_field: "id" }],
    };
    const managed = await client.bulkSyncs.create({ name: "Orders copy", ...body });
    const state: StackSnapshot = {
      stack: "dev",
      resources: [
        resource("BulkSync", "orders-copy", managed.id, {
          name: "Orders copy",
          source: { connectionId: source.id },
          destination: { connectionId: destination.id, configuration: { schema: `${src}_copy` } },
          mode: "replicate",
          active: true,
          schedule: { frequency: "manual" },
          schemas: { [`${src}.orders`]: { trackingField: "id" } },
        }),
      ],
      config: { "polytomic:url": emulator.url, "polytomic:apiKey": API_KEY },
    };
    await client.bulkSyncs.update(managed.id, { name: "Orders copy", ...body, active: false, schemas: [{ id: `${src}.orders`, tracking_field: "total" }] });
    const made = await client.bulkSyncs.create({ name: "Made in the UI", ...body });

    const result = await runCheck(["--check", "org"], state);
    expect(result.err).toBe("");
    expect(result.code).toBe(1);
    expect(result.out).toContain(`bulk sync "Orders copy" (id ${managed.id}), resource orders-copy:`);
    expect(result.out).toMatch(/ {6}active +true \| false/);
    expect(result.out).toMatch(new RegExp(`schemas\\.${src}\\.orders\\.trackingField +"id" \\| "total"`));
    expect(result.out).toContain(`bulk sync "Made in the UI" (BulkSync, id ${made.id}); npm run export would write:`);
    expect(result.out).toContain(`const madeInTheUiBulkSync = new BulkSync("made-in-the-ui", {`);
  });
});
