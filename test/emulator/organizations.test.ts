/**
 * Several organizations under a partner key, as Polytomic Connect partners run them: the partner
 * key manages organizations; `Basic base64(<org>:<partner key>)` acts inside one, and no
 * organization sees another's objects, events or idempotency keys.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, ORGANIZATION_ID } from "../../emulator";
import { inside, newOrganization as createOrganization, partner } from "./partner";
import { bodies, call, eventually, recordingReceiver, startTestEmulator } from "./support";

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(async () => {
  await emulator?.stop();
});

const newOrganization = (name: string) => createOrganization(emulator, name);

describe("organizations under a partner key", () => {
  it("are created, listed, read, renamed and deleted with the partner key alone", async () => {
    const id = await newOrganization("Acme");
    const listed = await call(emulator, "GET", "/api/organizations", undefined, partner);
    expect(listed.body.data.map((o: { name: string }) => o.name)).toEqual(expect.arrayContaining(["Acme", "Emulator Organization"]));
    expect((await call(emulator, "PUT", `/api/organizations/${id}`, { name: "Acme Inc" }, partner)).body.data).toEqual({ id, name: "Acme Inc" });
    expect((await call(emulator, "GET", `/api/organizations/${id}`, undefined, partner)).body.data.name).toBe("Acme Inc");
    expect((await call(emulator, "DELETE", `/api/organizations/${id}`, undefined, partner)).status).toBe(200);
    expect((await call(emulator, "GET", `/api/organizations/${id}`, undefined, partner)).status).toBe(404);
  });

  it("keeps the partner key alone out of an organization's objects, and organization keys out of the partner endpoints", async () => {
    const alone = await call(emulator, "GET", "/api/connections", undefined, partner);
    expect(alone.status).toBe(403);
    expect(alone.body.message).toContain("Basic base64(<organization id>:<partner key>)");
    expect((await call(emulator, "GET", "/api/organizations")).status).toBe(403);
    const id = await newOrganization("Scoped");
    expect((await call(emulator, "GET", "/api/organizations", undefined, inside(id))).status).toBe(403);
    // A Basic scope naming an organization that does not exist is no credential at all.
    expect((await call(emulator, "GET", "/api/connections", undefined, inside("00000000-0000-4000-8000-00000000dead"))).status).toBe(401);
    expect((await call(emulator, "GET", "/api/me", undefined, inside(id))).body.data).toMatchObject({ organization_id: id, organization_name: "Scoped", is_partner: false });
    expect((await call(emulator, "GET", "/api/me", undefined, partner)).body.data.is_partner).toBe(true);
  });

  it("gives each organization its own objects, webhook, events and idempotency keys", async () => {
    const [a, b] = [await newOrganization("Tenant A"), await newOrganization("Tenant B")];
    const hooks = await recordingReceiver();
    try {
      const key = { "idempotency-key": "same-key-in-two-organizations" };
      const gcsA = await call(emulator, "POST", "/api/connections", bodies.gcsConnection("tenant gcs"), { ...inside(a), ...key });
      const gcsB = await call(emulator, "POST", "/api/connections", bodies.gcsConnection("tenant gcs"), { ...inside(b), ...key });
      expect(gcsA.body.data.id).not.toBe(gcsB.body.data.id);
      expect(gcsA.body.data.organization_id).toBe(a);
      expect(gcsB.headers.get("idempotent-replayed")).toBeNull();

      // Neither sees the other's objects, nor does the emulator's own API key.
      expect((await call(emulator, "GET", "/api/connections", undefined, inside(a))).body.data.map((x: { id: string }) => x.id)).toEqual([gcsA.body.data.id]);
      expect((await call(emulator, "GET", `/api/connections/${gcsA.body.data.id}`, undefined, inside(b))).status).toBe(404);
      expect((await call(emulator, "GET", `/api/connections/${gcsA.body.data.id}`)).status).toBe(404);
      const crossModel = await call(emulator, "POST", "/api/models", bodies.model(gcsA.body.data.id), inside(b));
      expect(crossModel.status).toBe(422);
      expect(crossModel.body.message).toContain("connection_id");

      // One org webhook each; a sync run in A reports to A's webhook and A's event list only.
      for (const org of [a, b]) {
        const webhook = await call(emulator, "POST", "/api/webhooks", { endpoint: `${hooks.url}/${org}`, secret: "tenant-secret" }, inside(org));
        expect(webhook.status, webhook.text).toBe(200);
      }
      const hook = await call(emulator, "POST", "/api/connections", bodies.webhookConnection(`${hooks.url}/records`), inside(a));
      const model = await call(emulator, "POST", "/api/models", bodies.model(gcsA.body.data.id), inside(a));
      expect(model.body.data.fields.length).toBeGreaterThan(0);
      const sync = await call(emulator, "POST", "/api/syncs", bodies.sync(model.body.data.id, hook.body.data.id), inside(a));
      expect(sync.status, sync.text).toBe(200);
      const started = await call(emulator, "POST", `/api/syncs/${sync.body.data.id}/executions`, {}, inside(a));
      await eventually(async () => {
        const events = await call(emulator, "GET", "/api/events?type=sync.completed", undefined, inside(a));
        return events.body.data.find((e: any) => e.event.execution_id === started.body.data.id);
      }, 10_000, "the run's sync.completed event");
      expect((await call(emulator, "GET", "/api/events", undefined, inside(b))).body.data).toEqual([]);
      expect((await call(emulator, "GET", "/api/events")).body.data.filter((e: any) => e.organization_id !== ORGANIZATION_ID)).toEqual([]);
      await eventually(async () => (hooks.received.some((r) => r.body.type === "sync.completed") ? true : undefined), 10_000, "the event delivery");
      const eventOrganizations = new Set(hooks.received.filter((r) => r.body.type).map((r) => r.body.organization_id));
      expect(eventOrganizations).toEqual(new Set([a]));

      // An organization with objects is not deleted silently.
      const refused = await call(emulator, "DELETE", `/api/organizations/${a}`, undefined, partner);
      expect(refused.status).toBe(422);
      expect(refused.body.message).toContain("delete them first");
    } finally {
      await hooks.close();
    }
  });
});
