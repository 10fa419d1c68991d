/**
 * The official `polytomic` SDK (1.18.1) against the emulator's roles, policies, users and global
 * error subscribers: a second, independent client of these endpoints.
 */
import { PolytomicClient } from "polytomic";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_API_KEY, DEFAULT_PARTNER_KEY, type Emulator, ORGANIZATION_ID } from "../../emulator";
import { startTestEmulator } from "./support";

let emulator: Emulator;
let client: PolytomicClient;
let partner: PolytomicClient;
const options = { maxRetries: 0 };

beforeAll(async () => {
  emulator = await startTestEmulator();
  client = new PolytomicClient({ token: DEFAULT_API_KEY, environment: emulator.url, version: "2024-02-08" });
  partner = new PolytomicClient({ token: DEFAULT_PARTNER_KEY, environment: emulator.url, version: "2024-02-08" });
});
afterAll(async () => {
  await emulator?.stop();
});

describe("polytomic SDK: organization administration", () => {
  it("roles and policies", async () => {
    const builtIn = (await client.permissions.roles.list(options)).data ?? [];
    expect(builtIn.map((r) => [r.name, r.system])).toEqual([["Admin", true], ["Member", true]]);
    const role = (await client.permissions.roles.create({ name: "SDK role" }, options)).data;
    expect(role).toMatchObject({ name: "SDK role", organization_id: ORGANIZATION_ID, system: false });
    const roleId = role?.id as string;
    expect((await client.permissions.roles.update(roleId, { name: "SDK role 2" }, options)).data?.name).toBe("SDK role 2");
    expect((await client.permissions.roles.get(roleId, options)).data?.name).toBe("SDK role 2");
    await expect(client.permissions.roles.remove(builtIn[0].id as string, options)).rejects.toMatchObject({ statusCode: 403 });

    const policy = (await client.permissions.policies.create({ name: "SDK policy", policy_actions: [{ action: "read", role_ids: [roleId] }] }, options)).data;
    expect(policy).toMatchObject({ name: "SDK policy", policy_actions: [{ action: "read", role_ids: [roleId] }], system: false });
    const policyId = policy?.id as string;
    const replaced = await client.permissions.policies.update(policyId, { name: "SDK policy", policy_actions: [{ action: "update", role_ids: [builtIn[1].id as string] }] }, options);
    expect(replaced.data?.policy_actions).toEqual([{ action: "update", role_ids: [builtIn[1].id] }]);
    expect(((await client.permissions.policies.list(options)).data ?? []).map((p) => p.id)).toContain(policyId);
    await client.permissions.policies.remove(policyId, options);
    await expect(client.permissions.policies.get(policyId, options)).rejects.toMatchObject({ statusCode: 404 });
    await client.permissions.roles.remove(roleId, options);
    await expect(client.permissions.roles.get(roleId, options)).rejects.toMatchObject({ statusCode: 404 });
  });

  it("users of a partner's organization", async () => {
    const organization = (await partner.organization.create({ name: "SDK tenant" }, options)).data?.id as string;
    const created = (await partner.users.create(organization, { email: "SDK.User@example.com", role: "admin" }, options)).data;
    expect(created).toMatchObject({ email: "sdk.user@example.com", organization_id: organization, role: "admin" });
    const id = created?.id as string;
    expect(((await partner.users.list(organization, options)).data ?? []).map((u) => u.id)).toEqual([id]);
    const updated = await partner.users.update(id, organization, { email: "sdk.user@example.com", role: "user" }, options);
    expect(updated.data).toMatchObject({ role: "user", role_ids: [expect.any(String)] });
    expect((await partner.users.get(id, organization, options)).data?.role).toBe("user");
    await partner.users.remove(id, organization, options);
    await expect(partner.users.get(id, organization, options)).rejects.toMatchObject({ statusCode: 404 });
    await partner.organization.remove(organization, options);
  });

  it("global error subscribers", async () => {
    expect(await client.notifications.getGlobalErrorSubscribers(options)).toEqual({ emails: [] });
    expect(await client.notifications.setGlobalErrorSubscribers({ emails: ["a@example.com", "B@example.com"] }, options)).toEqual({
      emails: ["a@example.com", "B@example.com"],
    });
    expect(await client.notifications.getGlobalErrorSubscribers(options)).toEqual({ emails: ["a@example.com", "B@example.com"] });
    expect(await client.notifications.setGlobalErrorSubscribers({ emails: [] }, options)).toEqual({ emails: [] });
  });
});
