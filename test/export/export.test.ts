/**
 * The export without the engine: names, references, secrets, ordering and determinism from
 * hand-written API objects, paging against the emulator, and the command's arguments.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../client";
import { connections, models, syncs, webhooks } from "../../contract";
import { DEMO_BUCKET, DEMO_OBJECT, generateServiceAccountKey, startEmulator } from "../../emulator";
import { ExportCommandDeps, runExportCommand } from "../../cli/export/command";
import { slug, uniqueNames, variableName } from "../../cli/export/names";
import { OrgSnapshot, planExport } from "../../cli/export/plan";
import { readOrganization } from "../../cli/export/read";
import { renderProgram } from "../../cli/export/render";

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
    expect(text).toContain('const bucketConnection = new Connection("bucket", {');
    expect(text).toContain('configuration: { bucket: "b" },');
    expect(text).toContain('sensitiveConfiguration: { service_account: config.requireSecret("bucket-service-account") },');
    expect(text).toContain("connectionId: bucketConnection.id,");
    expect(text).toContain("connectionId: hookConnection.id,");
    expect(text).toContain('fields: [{ target: "record", source: { modelId: usersModel.id, field: "email" } }],');
    expect(text).toContain('secret: config.requireSecret("org-webhook-secret"),');
    for (const absent of ["********", "generated-by-polytomic", "shown-in-clear", "project_id", "client_email"]) expect(text).not.toContain(absent);
  });

  it("make every masked value a secret, nested ones included, for any connection type", () => {
    const crm = connection("c-crm", "CRM", "salesforce", { username: "ops", password: "********", oauth: { client_id: "id", client_secret: "********" } });
    const plan = planExport(snapshot({ connections: [crm], models: [], syncs: [], webhooks: [] }));
    expect(plan.secrets).toEqual([
      { configKey: "crm-configuration-oauth-client-secret", label: 'connection "CRM"', property: "configuration.oauth.client_secret" },
      { configKey: "crm-password", label: 'connection "CRM"', property: "sensitiveConfiguration.password" },
    ]);
    const text = render(snapshot({ connections: [crm], models: [], syncs: [], webhooks: [] }));
    expect(text).toContain('client_secret: config.requireSecret("crm-configuration-oauth-client-secret"),');
    expect(text).toContain('sensitiveConfiguration: { password: config.requireSecret("crm-password") },');
    expect(text).not.toContain("********");
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
    expect(render(org)).toContain('new Connection("hook-c-2", {');
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
