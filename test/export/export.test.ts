/**
 * The export without the engine: names, references, secrets, ordering and determinism from
 * hand-written API objects, paging against the emulator, and the command's arguments.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as crypto from "node:crypto";
import { Client as PgClient } from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createClient } from "../../client";
import { connections, models, permissions, syncs, webhooks } from "../../contract";
import { DEFAULT_PARTNER_KEY, DEMO_BUCKET, DEMO_OBJECT, generateServiceAccountKey, startEmulator } from "../../emulator";
import { ExportCommandDeps, runExportCommand } from "../../cli/export/command";
import { slug, uniqueNames, variableName } from "../../cli/export/names";
import { OrgSnapshot, planExport } from "../../cli/export/plan";
import { readOrganization } from "../../cli/export/read";
import { renderProgram } from "../../cli/export/render";
import { postgresConnectionSettings } from "../support/postgres";

const connection = (id: string, name: string, type: string, configuration: Record<string, unknown>, created_at?: string) =>
  connections.Connection.parse({ id, name, type: { id: type }, configuration, created_at });
const model = (id: string, name: string, connectionId: string, fields: string[]) =>
  models.Model.parse({ id, name, connection_id: connectionId, configuration: { model_from: "single_file", key: "a.csv" }, fields: fields.map((f) => ({ id: `f-${f}`, name: f })) });
const sync = (id: string, name: string, extra: Record<string, unknown> = {}) =>
  syncs.Sync.parse({
    id,
    name,
    mode: "updateOrCreate",
    schedule: { frequency: "manual" },
    target: { connection_id: "c-hook", object: "http", configuration: { batch_size: 10 } },
    fields: [{ target: "record", source: { model_id: "m-1", field: "email" } }],
    active: true,
    ...extra,
  });

function snapshot(parts: Partial<OrgSnapshot> = {}): OrgSnapshot {
  return {
    url: "https://polytomic.example",
    organization: { id: "org-1", name: "Acme" },
    connections: [
      connection("c-gcs", "Bucket", "gcs", { bucket: "b", service_account: "********", project_id: "p", client_email: "e@p" }),
      connection("c-hook", "Hook", "webhook", { url: "https://hook.example", secret: "generated-by-polytomic" }),
    ],
    models: [model("m-1", "Users", "c-gcs", ["email"])],
    syncs: [sync("s-1", "Users to hook")],
    webhooks: [webhooks.Webhook.parse({ id: "w-1", endpoint: "https://events.example", secret: "shown-in-clear" })],
    ...parts,
  };
}

const render = (org: OrgSnapshot) => renderProgram(planExport(org), { url: org.url, organization: org.organization, packageName: "polytomic-pulumi" });

describe("names", () => {
  it("are slugs of the object names, ASCII only, with a fallback when nothing is left", () => {
    expect(slug("GCS – Prod (EU) ")).toBe("gcs-prod-eu");
    expect(slug("Ünïcode  contacts")).toBe("unicode-contacts");
    expect(slug("日本")).toBe("");
    const plan = planExport(snapshot({ connections: [connection("c-x", "日本", "webhook", { url: "https://x.example" })], models: [], syncs: [] }));
    expect(plan.resources[0]).toMatchObject({ name: "connection", variable: "connectionConnection" });
  });

  it("keep the plain name for the oldest namesake, so a later namesake renames nothing", () => {
    const older = { id: "zzzz9999", base: "crm-hook", rank: "2024-01-01T00:00:00Z" };
    const younger = { id: "aaaa1111", base: "crm-hook", rank: "2025-01-01T00:00:00Z" };
    const two = uniqueNames([younger, older]);
    expect(Object.fromEntries(two)).toEqual({ zzzz9999: "crm-hook", aaaa1111: "crm-hook-aaaa11" });
    const three = uniqueNames([younger, older, { id: "aaaa1122", base: "crm-hook", rank: "2026-01-01T00:00:00Z" }]);
    expect(three.get("zzzz9999")).toBe("crm-hook");
    expect(three.get("aaaa1111")).toBe("crm-hook-aaaa11");
    expect(three.get("aaaa1122")).toBe("crm-hook-aaaa112");
  });

  it("never hand out a suffixed name that another object has as its own", () => {
    const names = uniqueNames([
      { id: "abcdef12", base: "hook", rank: "1" },
      { id: "abcdef34", base: "hook", rank: "2" },
      { id: "zz", base: "hook-abcdef", rank: "1" },
    ]);
    expect(new Set(names.values()).size).toBe(3);
    expect(names.get("zz")).toBe("hook-abcdef");
    expect(names.get("abcdef34")).toBe("hook-abcdef3");
  });

  it("give distinct variables for names that differ only by a dash", () => {
    expect(variableName("a-1", "Sync")).toBe("a_1Sync");
    expect(variableName("a1", "Sync")).toBe("a1Sync");
    expect(variableName("2024-daily", "Sync")).toBe("_2024DailySync");
  });
});

describe("planExport and renderProgram", () => {
  it("turn ids into references and secrets into stack config, dropping what Polytomic generates", () => {
    const text = render(snapshot());
    expect(text).toContain('const bucketConnection = new GcsConnection("bucket", {');
    expect(text).toContain('configuration: { bucket: "b", service_account: config.requireSecret("bucket-service-account") },');
    expect(text).toContain("connectionId: bucketConnection.id,");
    expect(text).toContain("connectionId: hookConnection.id,");
    expect(text).toContain('fields: [{ target: "record", source: { modelId: usersModel.id, field: "email" } }],');
    expect(text).toContain('secret: config.requireSecret("org-webhook-secret"),');
    for (const absent of ["********", "generated-by-polytomic", "shown-in-clear", "project_id", "client_email"]) expect(text).not.toContain(absent);
  });

  it("make every masked value a secret, nested ones included, for a type newer than the package (generic Connection)", () => {
    const crm = connection("c-crm", "CRM", "brand_new_crm", { username: "ops", password: "********", oauth: { client_id: "id", client_secret: "********" } });
    const org = snapshot({ connections: [crm], models: [], syncs: [], webhooks: [] });
    expect(planExport(org).secrets).toEqual([
      { configKey: "crm-configuration-oauth-client-secret", label: 'connection "CRM"', property: "configuration.oauth.client_secret" },
      { configKey: "crm-password", label: 'connection "CRM"', property: "sensitiveConfiguration.password" },
    ]);
    const text = render(org);
    expect(text).toContain('const crmConnection = new Connection("crm", {');
    expect(text).toContain('type: "brand_new_crm",');
    expect(text).toContain('client_secret: config.requireSecret("crm-configuration-oauth-client-secret"),');
    expect(text).toContain('sensitiveConfiguration: { password: config.requireSecret("crm-password") },');
    expect(text).toMatch(/^import \{ Connection \} from "polytomic-pulumi";$/m);
    expect(text).not.toContain("********");
  });

  it("write a known type as its typed class: type dropped, every schema secret from the stack config, shown or not", () => {
    const warehouse = connection("c-pg", "Warehouse", "postgresql", { hostname: "db.example", username: "etl", database: "app", password: "********", port: 5433, ssl: false });
    // The API showing a secret in clear, and one it does not show at all (write-only): both from the stack config.
    const clear = connection("c-pg2", "Replica", "postgresql", { hostname: "db2.example", username: "etl", database: "app", ca_cert: "-----BEGIN", ssl: true });
    const hook = connection("c-wh", "Hook", "webhook", { url: "https://hook.example", secret: "generated", header: { name: "X-Key", value: "********" }, query: [{ name: "k", value: "v" }] });
    const org = snapshot({ connections: [warehouse, clear, hook], models: [], syncs: [], webhooks: [] });
    const plan = planExport(org);
    expect(plan.resources.map((r) => [r.name, r.className])).toEqual([
      ["hook", "WebhookConnection"],
      ["replica", "PostgresqlConnection"],
      ["warehouse", "PostgresqlConnection"],
    ]);
    expect(plan.secrets).toEqual([
      { configKey: "hook-header-value", label: 'connection "Hook"', property: "configuration.header.value" },
      { configKey: "hook-query", label: 'connection "Hook"', property: "configuration.query" },
      { configKey: "replica-ca-cert", label: 'connection "Replica"', property: "configuration.ca_cert" },
      { configKey: "replica-password", label: 'connection "Replica"', property: "configuration.password" },
      { configKey: "warehouse-password", label: 'connection "Warehouse"', property: "configuration.password" },
    ]);
    const text = render(org);
    expect(text).toContain('const warehouseConnection = new PostgresqlConnection("warehouse", {');
    expect(text).toContain('password: config.requireSecret("warehouse-password"),');
    expect(text).toContain('header: { name: "X-Key", value: config.requireSecret("hook-header-value") },');
    // A structured secret (the webhook's query parameters) is read as an object.
    expect(text).toContain('query: config.requireSecretObject<any>("hook-query"),');
    expect(text).toMatch(/^import \{ PostgresqlConnection, WebhookConnection \} from "polytomic-pulumi";$/m);
    for (const absent of ["type:", "********", "-----BEGIN", "generated", 'value: "v"', "new Connection("]) expect(text).not.toContain(absent);
  });

  it("name a configuration field the type's schema does not have instead of writing it (the class's check would refuse it)", () => {
    const odd = connection("c-pg", "Warehouse", "postgresql", { hostname: "h", username: "u", database: "d", password: "********", hostnme: "typo" });
    const resource = planExport(snapshot({ connections: [odd], models: [], syncs: [], webhooks: [] })).resources[0];
    expect(resource.undeclared).toEqual([`configuration.hostnme (not a field of type "postgresql" in this package's snapshot of Polytomic's types): no input for it, an update would clear it`]);
    expect(JSON.stringify(resource.args)).not.toContain("typo");
  });

  it("write custom roles and policies with references, built-in roles by lookup, error subscribers, and users only when read", () => {
    const roles = [
      permissions.Role.parse({ id: "r-admin", name: "Admin", system: true }),
      permissions.Role.parse({ id: "r-an", name: "Analysts", system: false }),
    ];
    const policies = [
      permissions.Policy.parse({ id: "p-sys", name: "Default", system: true, policy_actions: [{ action: "read", role_ids: ["r-admin"] }] }),
      permissions.Policy.parse({ id: "p-1", name: "Warehouse access", policy_actions: [{ action: "apply_policy", role_ids: ["r-an", "r-admin", "r-gone"] }, { action: "read" }] }),
    ];
    const gcs = connections.Connection.parse({ id: "c-gcs", name: "Bucket", type: { id: "gcs" }, configuration: { bucket: "b" }, policies: ["p-1", "p-sys"] });
    const base = snapshot({ connections: [gcs], models: [], syncs: [], webhooks: [], roles, policies, errorSubscribers: ["ops@acme.example"] });
    const plan = planExport(base);
    expect(plan.resources.map((r) => [r.kind, r.name])).toEqual([
      ["Role", "analysts"],
      ["Policy", "warehouse-access"],
      ["Connection", "bucket"],
      ["GlobalErrorSubscribers", "global-error-subscribers"],
    ]);
    const text = render(base);
    expect(text).toContain('const analystsRole = new Role("analysts", {\n  adoptId: "r-an",\n  name: "Analysts",\n});');
    expect(text).toContain('roleIds: [analystsRole.id, getRoleOutput({ name: "Admin" }).id, "r-gone"],');
    expect(text).toContain('{ action: "read" },');
    expect(plan.resources[1].undeclared).toEqual(["a reference to role r-gone, which the organization does not list: kept as an id"]);
    expect(text).toContain('policies: [warehouseAccessPolicy.id, "p-sys"],');
    expect(text).toContain('new GlobalErrorSubscribers("global-error-subscribers", {\n  adoptId: "global-error-subscribers",\n  emails: ["ops@acme.example"],\n});');
    expect(text).toContain("getRoleOutput,");
    for (const absent of ['"Admin", {', '"Default"', "new User("]) expect(text).not.toContain(absent);
    // No subscribers: no list written.
    expect(planExport({ ...base, errorSubscribers: [] }).resources.map((r) => r.kind)).not.toContain("GlobalErrorSubscribers");

    const withUsers = { ...base, users: [{ id: "u-1", email: "ann@acme.example", organization_id: "org-1", role_ids: ["r-an"], role: "user" }] };
    expect(render(withUsers)).toContain(
      'const annAcmeExampleUser = new User("ann-acme-example", {\n  adoptId: "u-1",\n  email: "ann@acme.example",\n  organizationId: "org-1",\n  roleIds: [analystsRole.id],\n});',
    );
  });

  it("name what a resource cannot declare, in the code and in the plan", () => {
    const odd = sync("s-odd", "Odd", {
      overrides: [{ field_id: "x" }],
      filters: [{ function: "IsNull", field_id: "f-1", field_type: "Model" }],
    });
    const plan = planExport(snapshot({ syncs: [odd] }));
    const resource = plan.resources.find((r) => r.kind === "ModelSync");
    expect(resource?.undeclared).toEqual([
      "filters[0] (by field_id only): no input for it, an update would clear it",
      "overrides[0] (by field_id only): no input for it, an update would clear it",
    ]);
    expect(render(snapshot({ syncs: [odd] }))).toContain("// Note: overrides[0] (by field_id only): no input for it, an update would clear it.");
  });

  it("declare a sync after the syncs it runs after, and break a cycle by name with an id", () => {
    const first = sync("s-a", "A first", { schedule: { frequency: "runafter", run_after: { sync_ids: ["s-b"] } } });
    const second = sync("s-b", "B second", { schedule: { frequency: "runafter", run_after: { sync_ids: ["s-c"] } } });
    const third = sync("s-c", "C third", { schedule: { frequency: "manual" } });
    const chain = planExport(snapshot({ syncs: [first, second, third] })).resources.filter((r) => r.kind === "ModelSync");
    expect(chain.map((r) => r.name)).toEqual(["c-third", "b-second", "a-first"]);

    const loop = sync("s-c", "C third", { schedule: { frequency: "runafter", run_after: { sync_ids: ["s-a"] } } });
    const cyclic = planExport(snapshot({ syncs: [first, second, loop] })).resources.filter((r) => r.kind === "ModelSync");
    expect(cyclic.map((r) => r.name)).toEqual(["a-first", "c-third", "b-second"]);
    expect(cyclic[0].undeclared).toEqual(["a reference to sync s-b, which is declared later (a cycle): kept as an id"]);
    expect((cyclic[1].args.schedule as any).runAfter.syncIds[0].text).toBe("aFirstSync.id");
  });

  it("print the same bytes whatever order the API lists objects and keys in", () => {
    const org = snapshot({
      connections: [
        connection("c-2", "Hook", "webhook", { url: "https://b.example", headers: [{ name: "X", value: "1" }] }, "2024-02-01T00:00:00Z"),
        connection("c-1", "Hook", "webhook", { headers: [{ value: "1", name: "X" }], url: "https://a.example" }, "2024-01-01T00:00:00Z"),
      ],
      models: [],
      syncs: [],
    });
    const reversed = { ...org, connections: [...org.connections].reverse() };
    expect(render(reversed)).toBe(render(org));
    expect(render(org)).toContain('new WebhookConnection("hook-c-2", {');
  });
});

describe("readOrganization against the emulator", () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  const apiKey = "export-unit-key-0123456789";
  beforeAll(async () => {
    emulator = await startEmulator({ apiKey });
  });
  afterAll(async () => {
    await emulator?.stop();
  });

  it("reads every sync across the list's pages, then each in full", async () => {
    const client = createClient({ baseUrl: emulator.url, apiKey });
    const gcs = await client.connections.create({ name: "Bucket", type: "gcs", configuration: { bucket: DEMO_BUCKET, service_account: generateServiceAccountKey() } });
    const hook = await client.connections.create({ name: "Hook", type: "webhook", configuration: { url: "http://127.0.0.1:9/x" } });
    const m = await client.models.create({ name: "Users", connection_id: gcs.id, configuration: { model_from: "single_file", key: DEMO_OBJECT } });
    for (let i = 0; i < 55; i++) {
      await client.syncs.create({
        name: `Sync ${i}`,
        mode: "updateOrCreate",
        schedule: { frequency: "manual" },
        target: { connection_id: hook.id, object: "http", configuration: { batch_size: i + 1 } },
        fields: [{ target: "record", source: { model_id: m.id, field: "email_address" } }],
      });
    }
    emulator.resetStats();
    const org = await readOrganization(client, emulator.url);
    expect(org.syncs.map((s) => s.target.configuration?.batch_size).sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: 55 }, (_, i) => i + 1),
    );
    expect(emulator.stats().routes).toMatchObject({ "GET /api/syncs": 2, "GET /api/syncs/{id}": 55 });
    expect(org.organization.name).toBe("Emulator Organization");
  });
});

describe("the export command against an emulator holding every kind", () => {
  const apiKey = "export-kinds-key-0123456789";
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let dir: string;
  const ids: Record<string, string> = {};
  const src = `export_src_${crypto.randomBytes(4).toString("hex")}`;
  let db: PgClient;
  beforeAll(async () => {
    db = new PgClient({ connectionString: inject("postgresUrl") });
    await db.connect();
    await db.query(`CREATE SCHEMA ${src}`);
    await db.query(`CREATE TABLE ${src}.people (email text PRIMARY KEY, name text, ssn text)`);
    await db.query(`CREATE TABLE ${src}.unused (id integer PRIMARY KEY)`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "polytomic-export-kinds-"));
    emulator = await startEmulator({ apiKey, partnerKey: DEFAULT_PARTNER_KEY });
    const client = createClient({ baseUrl: emulator.url, apiKey });
    const me = await client.me();
    const hook = await client.connections.create({
      name: "Hook",
      type: "webhook",
      configuration: { url: "http://127.0.0.1:9/x", header: { name: "X-Key", value: "header-secret-value" } },
    });
    const role = await client.roles.create({ name: "Analysts" });
    const admin = (await client.roles.list()).find((r) => r.system && r.name === "Admin");
    const policy = await client.policies.create({ name: "Hook access", policy_actions: [{ action: "apply_policy", role_ids: [role.id, admin!.id] }] });
    await client.globalErrorSubscribers.set(["ops@acme.example"]);
    const partner = createClient({ baseUrl: emulator.url, apiKey: DEFAULT_PARTNER_KEY, organizationId: me.organization_id });
    const user = await partner.users(me.organization_id).create({ email: "ann@acme.example", role_ids: [role.id] });
    const [source, destination] = await Promise.all(
      ["Source", "Warehouse"].map((name) => client.connections.create({ name, type: "postgresql", configuration: { ...postgresConnectionSettings(), ssl: false } })),
    );
    const bulk = await client.bulkSyncs.create({
      name: "Copy people",
      source_connection_id: source.id,
      destination_connection_id: destination.id,
      destination_configuration: { schema: `${src}_copy` },
      mode: "replicate",
      active: true,
      default_schedule: { frequency: "daily", hour: "3", minute: "0" },
      schemas: [{ id: `${src}.people`, tracking_field: "email", fields: [{ id: "email" }, { id: "ssn", obfuscate: true }] }],
      policies: [policy.id],
    });
    Object.assign(ids, { hook: hook.id, role: role.id, policy: policy.id, user: user.id, org: me.organization_id, bulk: bulk.id });
  });
  afterAll(async () => {
    await emulator?.stop();
    await db?.query(`DROP SCHEMA IF EXISTS ${src} CASCADE`);
    await db?.end();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const run = async (argv: string[], env: NodeJS.ProcessEnv) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runExportCommand(argv, {
      createClient,
      stackConfig: async () => ({}),
      packageInfo: { name: "polytomic-pulumi", version: "0.1.0", versions: { pulumi: "3.248.0", typescript: "5.9.3", nodeTypes: "20.19.43" } },
      env: { POLYTOMIC_URL: emulator.url, POLYTOMIC_API_KEY: apiKey, ...env },
      out: (line) => out.push(line),
      err: (line) => err.push(line),
    });
    return { code, out: out.join("\n"), err: err.join("\n") };
  };

  it("writes the typed connection, the custom role, the policy and the error subscribers; users only with --include-users", async () => {
    const without = await run(["--out", path.join(dir, "plain")], {});
    expect(without.err).toBe("");
    expect(without.code).toBe(0);
    expect(without.out).toContain(
      "Exported 1 role, 1 policy, 0 users, 3 connections (3 as typed classes), 0 primary keys, 0 models, 0 syncs, 1 bulk sync, 0 org webhooks and 1 error-subscriber list",
    );
    expect(without.out).toMatch(/pulumi config set --secret --stack dev source-password +# connection "Source": configuration\.password/);
    expect(without.out).toMatch(/pulumi config set --secret --stack dev hook-header-value +# connection "Hook": configuration\.header\.value/);
    const program = fs.readFileSync(path.join(dir, "plain", "index.ts"), "utf8");
    expect(program).toContain(`const hookConnection = new WebhookConnection("hook", {\n  adoptId: "${ids.hook}",`);
    expect(program).toContain('header: { name: "X-Key", value: config.requireSecret("hook-header-value") },');
    expect(program).toContain(`const analystsRole = new Role("analysts", {\n  adoptId: "${ids.role}",`);
    expect(program).toContain('{ action: "apply_policy", roleIds: [analystsRole.id, getRoleOutput({ name: "Admin" }).id] },');
    expect(program).toContain('emails: ["ops@acme.example"],');
    expect(program).not.toContain("new User(");
    expect(program).toContain('const sourceConnection = new PostgresqlConnection("source", {');
    expect(program).toContain('password: config.requireSecret("warehouse-password"),');
    expect(program).toContain(
      [
        `const copyPeopleBulkSync = new BulkSync("copy-people", {`,
        `  adoptId: "${ids.bulk}",`,
        `  name: "Copy people",`,
        `  source: { connectionId: sourceConnection.id },`,
        `  destination: {`,
        `    connectionId: warehouseConnection.id,`,
        `    configuration: { schema: "${src}_copy" },`,
        `  },`,
        `  mode: "replicate",`,
        `  active: true,`,
        `  schedule: { frequency: "daily", hour: "3", minute: "0" },`,
        `  schemas: {`,
        `    "${src}.people": {`,
        `      trackingField: "email",`,
        `      fields: { email: { enabled: true }, ssn: { obfuscate: true } },`,
        `    },`,
        `  },`,
      ].join("\n"),
    );
    expect(program).toContain("  policies: [hookAccessPolicy.id],\n});");
    expect(program).not.toContain(postgresConnectionSettings().password);
    expect(program).not.toContain("ConnectionSchemaPrimaryKeys");
    expect(program).not.toContain("header-secret-value");

    // Asked for, every keyed schema's primary key (the source's own and overrides look alike).
    const client = createClient({ baseUrl: emulator.url, apiKey });
    const sourceId = (await client.connections.list()).find((c) => c.name === "Source")!.id;
    await client.schemas.setPrimaryKeys(sourceId, `${src}.people`, ["email", "name"]);
    const keys = await run(["--out", path.join(dir, "keys"), "--include-primary-keys"], {});
    expect(keys.err).toBe("");
    const withKeys = fs.readFileSync(path.join(dir, "keys", "index.ts"), "utf8");
    expect(withKeys).toContain(`PrimaryKeys = new ConnectionSchemaPrimaryKeys("source-${slug(src)}-people", {\n`);
    expect(withKeys).toContain(`  adoptId: "${sourceId}/${src}.people",\n  connectionId: sourceConnection.id,\n  schemaId: "${src}.people",\n  fieldIds: ["email", "name"],\n});`);
    expect(withKeys).toContain(`  schemaId: "${src}.unused",\n  fieldIds: ["id"],\n});`);

    const noPartner = await run(["--out", path.join(dir, "users"), "--include-users"], {});
    expect(noPartner.code).toBe(1);
    expect(noPartner.err).toBe("export failed: --include-users: users are read with a partner key: POLYTOMIC_PARTNER_KEY is not set");

    const withUsers = await run(["--out", path.join(dir, "users"), "--include-users"], { POLYTOMIC_PARTNER_KEY: DEFAULT_PARTNER_KEY });
    expect(withUsers.err).toBe("");
    expect(withUsers.out).toContain("1 user,");
    expect(withUsers.out).toContain("Users take the partner key: pulumi config set --secret polytomic:partnerKey");
    expect(fs.readFileSync(path.join(dir, "users", "index.ts"), "utf8")).toContain(
      `new User("ann-acme-example", {\n  adoptId: "${ids.user}",\n  email: "ann@acme.example",\n  organizationId: "${ids.org}",\n  roleIds: [analystsRole.id],\n});`,
    );
  });
});

describe("an export from an API that answers more than Polytomic does", () => {
  const apiKey = "export-superset-key-0123456789";
  /** The same hand-made organization, read back from an emulator answering by the rules or a superset of them. */
  async function exported(supersetAnswers: boolean): Promise<{ org: OrgSnapshot; program: string }> {
    const emulator = await startEmulator({ apiKey, supersetAnswers });
    try {
      const client = createClient({ baseUrl: emulator.url, apiKey });
      const gcs = await client.connections.create({ name: "Bucket", type: "gcs", configuration: { bucket: DEMO_BUCKET, service_account: generateServiceAccountKey() } });
      const hook = await client.connections.create({ name: "Hook", type: "webhook", configuration: { url: "http://127.0.0.1:9/x" } });
      const m = await client.models.create({ name: "Users", connection_id: gcs.id, configuration: { model_from: "single_file", key: DEMO_OBJECT } });
      for (const [name, extra] of [["Plain", {}], ["Daily", { active: true, schedule: { frequency: "daily", hour: "2" }, sync_all_records: true }]] as const) {
        await client.syncs.create({
          name,
          mode: "updateOrCreate",
          schedule: { frequency: "manual" },
          target: { connection_id: hook.id, object: "http", configuration: { batch_size: 10 } },
          fields: [{ target: "record", source: { model_id: m.id, field: "email_address" } }],
          ...extra,
        });
      }
      await client.webhooks.create({ endpoint: "http://127.0.0.1:9/events", secret: "events-secret" });
      const org = await readOrganization(client, "https://polytomic.example");
      const program = render(org).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<id>");
      return { org, program };
    } finally {
      await emulator.stop();
    }
  }

  it("declares no server default: the program is the one the rules' answers give", async () => {
    const byRules = await exported(false);
    const superset = await exported(true);
    // The superset really said more (defaults of echoed fields filled in) ...
    expect(byRules.org.syncs[0].filters).toBeUndefined();
    expect(superset.org.syncs[0].filters).toEqual([]);
    // ... and none of it became an input.
    expect(superset.program).toBe(byRules.program);
  });
});

describe("the export command", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "polytomic-export-unit-"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const run = async (argv: string[], over: Partial<ExportCommandDeps> = {}) => {
    const out: string[] = [];
    const err: string[] = [];
    const used: { baseUrl: string; apiKey: string }[] = [];
    const org = snapshot();
    const deps: ExportCommandDeps = {
      createClient: (opts) => {
        used.push(opts);
        return {
          me: async () => ({ organization_id: org.organization.id, organization_name: org.organization.name }),
          connections: { list: async () => org.connections },
          models: { list: async () => org.models },
          syncs: { list: async () => org.syncs.map((s) => ({ id: s.id, name: s.name })), get: async (id: string) => org.syncs.find((s) => s.id === id)! },
          webhooks: { list: async () => org.webhooks },
          roles: { list: async () => [] },
          policies: { list: async () => [] },
          globalErrorSubscribers: { get: async () => ({ emails: [] }) },
          bulkSyncs: { list: async () => [], schemas: async () => [], schema: async () => ({ id: "" }) },
        };
      },
      stackConfig: async () => ({}),
      packageInfo: { name: "polytomic-pulumi", version: "0.1.0", versions: { pulumi: "3.248.0", typescript: "5.9.3", nodeTypes: "20.19.43" } },
      env: { POLYTOMIC_URL: "https://env.example/", POLYTOMIC_API_KEY: "env-key" },
      out: (line) => out.push(line),
      err: (line) => err.push(line),
      ...over,
    };
    return { code: await runExportCommand(argv, deps), out, err, used };
  };

  it("rejects bad arguments with the usage", async () => {
    const missing = await run([]);
    expect(missing.code).toBe(2);
    expect(missing.err.join("\n")).toContain("--out: name the folder");
    const badStack = await run(["--out", dir, "--stack", "a b"]);
    expect(badStack.code).toBe(2);
    expect(badStack.err.join("\n")).toContain('--stack: "a b" is not a stack name');
  });

  it("takes the API from the environment, or from a stack's config first like the providers", async () => {
    const fromEnv = await run(["--out", path.join(dir, "env")]);
    expect(fromEnv.code).toBe(0);
    expect(fromEnv.used).toEqual([{ baseUrl: "https://env.example", apiKey: "env-key" }]);
    const fromStack = await run(["--out", path.join(dir, "stack"), "--from-stack", "dev"], {
      stackConfig: async (stack) => (stack === "dev" ? { "polytomic:url": "https://stack.example", "polytomic:apiKey": "stack-key" } : {}),
    });
    expect(fromStack.used).toEqual([{ baseUrl: "https://stack.example", apiKey: "stack-key" }]);
    const none = await run(["--out", path.join(dir, "none")], { env: {} });
    expect(none.code).toBe(1);
    expect(none.err.join("\n")).toContain("POLYTOMIC_URL is not set");
  });

  it("keeps an existing stack config file, which holds the secrets already set", async () => {
    const out = path.join(dir, "keep");
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, "Pulumi.prod.yaml"), "config:\n  already: set\n");
    const result = await run(["--out", out, "--stack", "prod"]);
    expect(result.code).toBe(0);
    expect(fs.readFileSync(path.join(out, "Pulumi.prod.yaml"), "utf8")).toBe("config:\n  already: set\n");
    expect(result.out).toContain("Kept the existing Pulumi.prod.yaml (it holds the secrets already set); the other files were rewritten.");
    expect(fs.existsSync(path.join(out, "index.ts"))).toBe(true);
  });

  it("depends on the installed version, or, run from a checkout, on that checkout installed as a copy", async () => {
    const installed = path.join(dir, "installed");
    expect((await run(["--out", installed])).code).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8")).dependencies["polytomic-pulumi"]).toBe("0.1.0");
    expect(fs.existsSync(path.join(installed, ".npmrc"))).toBe(false);

    const checkout = path.join(dir, "src", "polytomic-pulumi");
    const fromCheckout = path.join(dir, "org");
    const info = { name: "polytomic-pulumi", version: "0.1.0", versions: { pulumi: "3.248.0", typescript: "5.9.3", nodeTypes: "20.19.43" }, checkout };
    expect((await run(["--out", fromCheckout], { packageInfo: info })).code).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(fromCheckout, "package.json"), "utf8")).dependencies["polytomic-pulumi"]).toBe("file:../src/polytomic-pulumi");
    expect(fs.readFileSync(path.join(fromCheckout, ".npmrc"), "utf8")).toBe("install-links=true\n");
  });
});
