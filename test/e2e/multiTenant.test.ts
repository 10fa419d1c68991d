/**
 * examples/multi-tenant with the real engine against the emulator, as a Connect partner runs it:
 * 20 tenants, each its own organization with a pipeline inside; adding a tenant creates only its
 * objects, removing one deletes only its objects; a no-op preview asks the API nothing but who
 * the key is.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../client";
import { DEFAULT_PARTNER_KEY, generateServiceAccountKey, ORGANIZATION_ID, startEmulator } from "../../emulator";
import { repoRoot } from "../../scripts/lib/pulumiEnv";
import type { OpenedStack } from "../../scripts/lib/stack";
import { stepRecorder } from "./events";
import { openExample } from "./example";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

const tenant = (i: number) => ({
  name: `tenant-${String(i).padStart(2, "0")}`,
  bucket: "polytomic-demo",
  receiverUrl: `http://127.0.0.1:9/tenant-${i}/records`,
  // Not twenty copies of one: settings vary by tenant.
  batchSize: 50 + i,
  ...(i % 5 === 0 ? { syncs: { contacts: {}, nightly: { batchSize: 1000, schedule: { frequency: "daily", hour: "2" } } } } : {}),
  ...(i % 7 === 0 ? { fields: ["email_address", "first_name"] } : {}),
});

describe("examples/multi-tenant: one organization and pipeline per tenant", () => {
  let emulator: Emulator;
  let dir: string;
  let programDir: string;
  let opened: OpenedStack;
  const recorder = stepRecorder();
  const writeTenants = (indexes: number[]) =>
    fs.writeFileSync(path.join(programDir, "tenants.json"), JSON.stringify(indexes.map(tenant), null, 2));
  /** Objects per organization name (the emulator's own organization left out). */
  const byOrganization = () => {
    const names = new Map(emulator.state.organizations().map((o) => [o.id, o.name]));
    const counts: Record<string, { connections: number; models: number; syncs: number }> = {};
    const add = (orgId: string, kind: "connections" | "models" | "syncs") => {
      if (orgId === ORGANIZATION_ID) return;
      const name = names.get(orgId) ?? `unknown ${orgId}`;
      counts[name] ??= { connections: 0, models: 0, syncs: 0 };
      counts[name][kind] += 1;
    };
    for (const c of emulator.state.connections()) add(c.organization_id, "connections");
    for (const m of emulator.state.models()) add(m.organization_id, "models");
    for (const s of emulator.state.syncs()) add(s.organization_id, "syncs");
    return counts;
  };

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, partnerKey: DEFAULT_PARTNER_KEY, log: () => undefined });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "polytomic-tenants-"));
    ({ programDir, opened } = await openExample("multi-tenant", dir, "partner", "tenants"));
    await opened.stack.setAllConfig({
      "polytomic:url": { value: emulator.url },
      "polytomic:partnerKey": { value: DEFAULT_PARTNER_KEY, secret: true },
      serviceAccountKey: { value: generateServiceAccountKey({ projectId: "tenants-project" }), secret: true },
    });
  }, 300_000);

  afterAll(async () => {
    await emulator?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("up creates 20 organizations, each holding its own tenant's pipeline", async () => {
    writeTenants(Array.from({ length: 20 }, (_, i) => i + 1));
    const started = Date.now();
    const up = await opened.stack.up();
    const seconds = (Date.now() - started) / 1000;
    console.log(`multi-tenant: up of 20 tenants took ${seconds.toFixed(1)} s`);
    expect(up.summary.result).toBe("succeeded");
    const counts = byOrganization();
    expect(Object.keys(counts).sort()).toEqual(Array.from({ length: 20 }, (_, i) => tenant(i + 1).name).sort());
    expect(counts["tenant-05"]).toEqual({ connections: 2, models: 1, syncs: 2 });
    expect(counts["tenant-01"]).toEqual({ connections: 2, models: 1, syncs: 1 });
    // Each tenant's settings reached its own objects only.
    const syncsOf = (name: string) => {
      const org = emulator.state.organizations().find((o) => o.name === name)!;
      return emulator.state.syncs().filter((s) => s.organization_id === org.id);
    };
    expect(syncsOf("tenant-03").map((s) => s.target.configuration?.batch_size)).toEqual([53]);
    expect(syncsOf("tenant-07")[0].fields.map((f) => f.source?.field)).toEqual(["email_address", "first_name"]);
    const outputs = up.outputs.tenants.value as Record<string, { organizationId: string; syncs: Record<string, string> }>;
    expect(Object.keys(outputs[tenant(10).name].syncs).sort()).toEqual(["contacts", "nightly"]);
  });

  it("adding a tenant creates only that tenant's objects", async () => {
    writeTenants(Array.from({ length: 21 }, (_, i) => i + 1));
    recorder.reset();
    const up = await opened.stack.up({ onEvent: recorder.onEvent });
    expect(up.summary.resourceChanges).toMatchObject({ create: 6 });
    expect(recorder.changed().map((s) => `${s.op} ${s.type} ${s.name}`).sort()).toEqual([
      "create Connection tenant-21-gcs",
      "create Connection tenant-21-webhook",
      "create Model tenant-21-model",
      "create ModelSync tenant-21-sync",
      "create Organization tenant-21",
    ]);
    expect(byOrganization()["tenant-21"]).toEqual({ connections: 2, models: 1, syncs: 1 });
  });

  it("removing a tenant deletes only that tenant's objects, then its organization", async () => {
    const before = byOrganization();
    writeTenants(Array.from({ length: 21 }, (_, i) => i + 1).filter((i) => i !== 4));
    recorder.reset();
    await opened.stack.up({ onEvent: recorder.onEvent });
    expect(recorder.changed().map((s) => `${s.op} ${s.type} ${s.name}`).sort()).toEqual([
      "delete Connection tenant-04-gcs",
      "delete Connection tenant-04-webhook",
      "delete Model tenant-04-model",
      "delete ModelSync tenant-04-sync",
      "delete Organization tenant-04",
    ]);
    const after = byOrganization();
    const { "tenant-04": removed, ...others } = before;
    expect(removed).toBeDefined();
    expect(after).toEqual(others);
    expect(emulator.state.organizations().some((o) => o.name === "tenant-04")).toBe(false);
  });

  it("a preview with no change asks the API nothing but who the key is", async () => {
    emulator.resetStats();
    recorder.reset();
    const preview = await opened.stack.preview({ onEvent: recorder.onEvent });
    expect(recorder.changed()).toEqual([]);
    expect(preview.changeSummary.same).toBeGreaterThan(100);
    expect(Object.keys(emulator.stats().routes).filter((route) => route !== "GET /api/me")).toEqual([]);
  });

  it("polytomic-export --check walks every tenant's organization and reports each one, with reads only", async () => {
    const check = async () => {
      try {
        const { stdout } = await promisify(execFile)(process.execPath, [path.join(repoRoot, "dist", "bin", "polytomic-export.js"), "--check", programDir, "--stack", "partner"], {
          env: opened.env,
        });
        return { code: 0, stdout };
      } catch (err) {
        const e = err as { code?: number; stdout?: string; stderr?: string };
        return { code: e.code ?? -1, stdout: `${e.stdout ?? ""}${e.stderr ?? ""}` };
      }
    };
    const clean = await check();
    expect(clean.stdout).toMatch(/^No drift: .* \d+ managed objects/);
    expect(clean.code).toBe(0);

    // A batch size edited in tenant-07's organization, in its UI.
    const org = emulator.state.organizations().find((o) => o.name === "tenant-07")!;
    const client = createClient({ baseUrl: emulator.url, apiKey: DEFAULT_PARTNER_KEY, organizationId: org.id });
    const [sync] = await client.syncs.list();
    const full = await client.syncs.get(sync.id);
    const { id: _id, ...rest } = full;
    await client.syncs.update(sync.id, { ...rest, target: { ...full.target, configuration: { ...full.target.configuration, batch_size: 999 } } } as never);
    emulator.resetStats();
    const drifted = await check();
    expect(drifted.code).toBe(1);
    expect(drifted.stdout).toMatch(new RegExp(`organization "tenant-07" \\(${org.id}\\):\n  Changed outside the program[^\n]*\n    sync "tenant-07-sync"[^\n]*\n      target\.configuration\.batch_size +57 \\| 999`));
    expect(drifted.stdout).toContain('organization "tenant-08" (');
    expect(drifted.stdout.match(/: no drift\.$/gm)).toHaveLength(19);
    expect(Object.keys(emulator.stats().routes).filter((route) => !route.startsWith("GET "))).toEqual([]);
  });

  it("destroy removes every tenant's objects and organizations", async () => {
    const destroy = await opened.stack.destroy();
    expect(destroy.summary.result).toBe("succeeded");
    expect(byOrganization()).toEqual({});
    expect(emulator.state.organizations().map((o) => o.id)).toEqual([ORGANIZATION_ID]);
  });
});
