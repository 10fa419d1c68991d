/**
 * `polytomic-export --check` in-process against the emulator, with a stack state written the way
 * the providers write it (declared inputs in the outputs, secrets in Pulumi's envelope): a
 * partner's organizations checked one by one, secrets reported only as "changed", reads only.
 * The real engine and the workflow: test/e2e/drift.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, PolytomicClient } from "../../client";
import { runExportCommand } from "../../cli/export/command";
import type { StackSnapshot, StateResource } from "../../cli/export/check";
import { DEFAULT_PARTNER_KEY, startEmulator } from "../../emulator";

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

describe("polytomic-export --check with a partner key", () => {
  let emulator: Emulator;
  let partner: PolytomicClient;
  const orgs: Record<string, { id: string; client: PolytomicClient; hookId: string }> = {};
  let state: StackSnapshot;

  const check = async (snapshot: StackSnapshot) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runExportCommand(["--check", "tenants", "--stack", "partner"], {
      createClient,
      stackConfig: async () => ({}),
      readStack: async () => snapshot,
      packageInfo: { name: "polytomic-pulumi", version: "0.1.0", versions: { pulumi: "3.248.0", typescript: "5.9.3", nodeTypes: "20.19.43" } },
      env: {},
      out: (line) => out.push(line),
      err: (line) => err.push(line),
    });
    return { code, out: out.join("\n"), err: err.join("\n") };
  };

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
