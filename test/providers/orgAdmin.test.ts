/**
 * The organization-administration kinds (Role, Policy, User, GlobalErrorSubscribers) and the
 * lookups, through the providers' runtime against the in-process emulator: checks at preview,
 * update vs replace, create, drift by refresh, adoption by id, delete.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator";
import { getCallerIdentity, getRole } from "../../providers/lookups";
import * as runtime from "../../providers/runtime";
import { stackNotes } from "../../providers/runtime/stackNotes";

const API_KEY = "org-admin-test-key-123";
const PARTNER_KEY = "org-admin-test-partner-key";
const SALT = "org-admin-test-salt-0123456789abcdef";
let emulator: Awaited<ReturnType<typeof startEmulator>>;

const create = (kind: string, inputs: Record<string, unknown>) => runtime.create(kind, { ...inputs, idempotencySalt: SALT });
const failures = async (kind: string, news: Record<string, unknown>) => (await runtime.check(kind, {}, news)).failures ?? [];
const api = async (method: string, path: string, body?: unknown, authorization = `Bearer ${API_KEY}`) => {
  const res = await fetch(emulator.url + path, {
    method,
    headers: { authorization, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
};
const requestsTo = (route: string) => emulator.stats().routes[route] ?? 0;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, apiKey: API_KEY, partnerKey: PARTNER_KEY, log: () => undefined });
  await runtime.configure({
    config: { get: (key) => ({ "polytomic:url": emulator.url, "polytomic:apiKey": API_KEY, "polytomic:partnerKey": PARTNER_KEY })[key] },
  });
  await runtime.check("role", {}, { name: "warm-up" });
});
afterAll(async () => {
  await emulator.stop();
});
beforeEach(() => emulator.resetStats());

describe("check", () => {
  it("names the field of each bad input, before anything is sent", async () => {
    expect(await failures("role", { name: "" })).toEqual([expect.objectContaining({ property: "name" })]);
    expect(await failures("policy", { name: "p", policyActions: [{ action: "read" }, { action: "read", roleIds: ["r"] }] })).toEqual([
      { property: "policyActions[1].action", reason: expect.stringContaining("already policyActions[0]") },
    ]);
    expect(await failures("user", { email: "Ada@example.com", organizationId: "o" })).toEqual([
      { property: "email", reason: expect.stringContaining("lowercase") },
    ]);
    expect(await failures("user", { email: "ada@example.com", organizationId: "o", role: "admin", roleIds: ["r"] })).toEqual([
      { property: "role", reason: expect.stringContaining("not both") },
    ]);
    expect(await failures("user", { email: "ada@example.com", organizationId: "o", role: "owner" })).toEqual([
      expect.objectContaining({ property: "role", reason: expect.stringContaining("`admin` or `user`") }),
    ]);
    expect(await failures("user", { email: "ada@example.com" })).toEqual([expect.objectContaining({ property: "organizationId" })]);
    expect(await failures("globalErrorSubscribers", { emails: ["a@example.com", "nope", "a@example.com"] })).toEqual([
      { property: "emails[1]", reason: "must be an email address" },
      { property: "emails[2]", reason: expect.stringContaining("already emails[0]") },
    ]);
    expect(emulator.stats().total).toBe(0);
  });
});

describe("diff", () => {
  it("a rename is an update; a new organization (or a user's new email) is a replacement; no request", async () => {
    const role = { name: "Analysts", organizationId: "o1" };
    expect(await runtime.diff("role", "id", role, role)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    expect(await runtime.diff("role", "id", role, { ...role, name: "Analysts EU" })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect(await runtime.diff("role", "id", role, { ...role, organizationId: "o2" })).toMatchObject({ replaces: ["organizationId"] });
    const policy = { name: "p", policyActions: [{ action: "read", roleIds: ["r1"] }] };
    expect(await runtime.diff("policy", "id", policy, { ...policy, policyActions: [{ action: "read", roleIds: ["r1", "r2"] }] })).toMatchObject({ changes: true, replaces: [] });
    const user = { email: "ada@example.com", organizationId: "o1", role: "user" };
    expect(await runtime.diff("user", "id", user, { ...user, role: "admin" })).toMatchObject({ changes: true, replaces: [] });
    expect(await runtime.diff("user", "id", user, { ...user, email: "grace@example.com" })).toMatchObject({ replaces: ["email"] });
    const subscribers = { emails: ["a@example.com"] };
    expect(await runtime.diff("globalErrorSubscribers", "id", subscribers, { emails: ["b@example.com"] })).toMatchObject({ changes: true, replaces: [] });
    expect(await runtime.diff("globalErrorSubscribers", "id", subscribers, { ...subscribers, organizationId: "o2" })).toEqual({
      changes: true,
      replaces: ["organizationId"],
      deleteBeforeReplace: true,
    });
    expect(emulator.stats().total).toBe(0);
  });
});

describe("Role and Policy", () => {
  it("are created, renamed in place, drift by refresh, adopted by id and deleted", async () => {
    const role = await create("role", { name: "Editors" });
    expect(role.outs).toMatchObject({ name: "Editors", system: false });
    const policy = await create("policy", { name: "Edit", policyActions: [{ action: "update", roleIds: [role.id] }, { action: "delete", roleIds: [role.id] }] });
    expect((await api("GET", `/api/permissions/policies/${policy.id}`)).body.data.policy_actions).toEqual([
      { action: "update", role_ids: [role.id] },
      { action: "delete", role_ids: [role.id] },
    ]);

    // A rename is one PUT.
    emulator.resetStats();
    await runtime.update("role", role.id, role.outs, { name: "Editors EU" });
    expect(requestsTo("PUT /api/permissions/roles/{id}")).toBe(1);
    expect((await api("GET", `/api/permissions/roles/${role.id}`)).body.data.name).toBe("Editors EU");

    // An edit made elsewhere shows on refresh; a deleted object is gone.
    await api("PUT", `/api/permissions/policies/${policy.id}`, { name: "Edit", policy_actions: [{ action: "update", role_ids: [] }] });
    const refreshed = await runtime.read("policy", policy.id, policy.outs);
    expect(refreshed.inputs?.policyActions).toEqual([{ action: "update", roleIds: [] }]);
    expect((await runtime.diff("policy", policy.id, refreshed.props ?? {}, { name: "Edit", policyActions: policy.outs.policyActions })).changes).toBe(true);

    // Adoption: one read, and a PUT only when what is declared differs.
    emulator.resetStats();
    const adopted = await create("policy", { name: "Edit", policyActions: [{ action: "update", roleIds: [] }], adoptId: policy.id });
    expect(adopted.id).toBe(policy.id);
    expect(requestsTo("POST /api/permissions/policies") + requestsTo("PUT /api/permissions/policies/{id}")).toBe(0);
    await create("policy", { name: "Edit", policyActions: [{ action: "update", roleIds: [role.id] }], adoptId: policy.id });
    expect(requestsTo("PUT /api/permissions/policies/{id}")).toBe(1);
    await expect(create("role", { name: "x", adoptId: "00000000-0000-4000-8000-000000000bad" })).rejects.toThrow("cannot adopt Role");

    await runtime.remove("policy", policy.id, policy.outs);
    await runtime.remove("role", role.id, role.outs);
    expect(await runtime.read("role", role.id, role.outs)).toEqual({});
    // Deleting what is already gone succeeds.
    await runtime.remove("role", role.id, role.outs);
  });

  it("a built-in role cannot be adopted into a stack: Polytomic refuses to change it", async () => {
    const admin = await getRoleWithEnv({ name: "admin" });
    expect(admin).toMatchObject({ name: "Admin", system: true });
    await expect(create("role", { name: "Boss", adoptId: admin.id })).rejects.toThrow(/403|built-in/);
  });
});

describe("User", () => {
  it("is managed with the partner key inside its organization; a role change is an update", async () => {
    const organization = await create("organization", { name: "users-tenant" });
    const user = await create("user", { email: "ada@example.com", organizationId: organization.id, role: "admin" });
    const roles = (await api("GET", "/api/permissions/roles", undefined, basic(organization.id))).body.data;
    expect(user.outs).toMatchObject({ email: "ada@example.com", organizationId: organization.id, role: "admin" });

    emulator.resetStats();
    await runtime.update("user", user.id, user.outs, { email: "ada@example.com", organizationId: organization.id, roleIds: [roles[1].id] });
    expect(requestsTo("PUT /api/organizations/{organization}/users/{id}")).toBe(1);
    const read = await runtime.read("user", user.id, { ...user.outs, role: undefined, roleIds: [roles[1].id] });
    expect(read.inputs).toMatchObject({ roleIds: [roles[1].id] });

    // Users need the partner key: without one the setting is named.
    await runtime.configure({ config: { get: (key) => ({ "polytomic:url": emulator.url, "polytomic:apiKey": API_KEY })[key] } });
    try {
      await expect(create("user", { email: "grace@example.com", organizationId: organization.id })).rejects.toThrow("polytomic:partnerKey");
    } finally {
      await runtime.configure({
        config: { get: (key) => ({ "polytomic:url": emulator.url, "polytomic:apiKey": API_KEY, "polytomic:partnerKey": PARTNER_KEY })[key] },
      });
    }

    await runtime.remove("user", user.id, user.outs);
    expect(await runtime.read("user", user.id, user.outs)).toEqual({});
    await runtime.remove("organization", organization.id, organization.outs);
  });
});

describe("GlobalErrorSubscribers", () => {
  const path = "/api/notifications/global-error-subscribers";
  it("create sets the list, refresh finds edits, delete clears it; a list this stack does not own fails the preview", async () => {
    const created = await create("globalErrorSubscribers", { emails: ["ops@example.com", "Dev@Example.com"] });
    expect(created.id).toBe("global-error-subscribers");
    expect((await api("GET", path)).body).toEqual({ emails: ["ops@example.com", "Dev@Example.com"] });

    await api("PUT", path, { emails: ["ops@example.com"] });
    expect((await runtime.read("globalErrorSubscribers", created.id, created.outs)).inputs).toEqual({ emails: ["ops@example.com"] });

    await runtime.update("globalErrorSubscribers", created.id, created.outs, { emails: ["oncall@example.com"] });
    expect((await api("GET", path)).body).toEqual({ emails: ["oncall@example.com"] });

    // A second stack's preview: the organization's list exists and is not its own.
    expect(await failures("globalErrorSubscribers", { emails: ["other@example.com"] })).toEqual([
      { property: "emails", reason: expect.stringContaining('adoptId: "global-error-subscribers"') },
    ]);
    expect(await failures("globalErrorSubscribers", { emails: ["other@example.com"], adoptId: "global-error-subscribers" })).toEqual([]);
    expect(await failures("globalErrorSubscribers", { emails: ["other@example.com"], adoptId: "elsewhere" })).toEqual([
      expect.objectContaining({ property: "adoptId" }),
    ]);

    await runtime.remove("globalErrorSubscribers", created.id, created.outs);
    expect((await api("GET", path)).body).toEqual({ emails: [] });
  });
});

describe("a create retried after a killed run (file backend, Idempotency-Keys forgotten)", () => {
  const stack = "polytomic-org-admin/journal";
  const savedBackend = process.env.PULUMI_BACKEND_URL;
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "org-admin-journal-"));
    process.env.PULUMI_BACKEND_URL = `file://${path.join(dir, "backend")}`;
  });
  afterAll(() => {
    if (savedBackend === undefined) delete process.env.PULUMI_BACKEND_URL;
    else process.env.PULUMI_BACKEND_URL = savedBackend;
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const journaled = (kind: string, inputs: Record<string, unknown>) => create(kind, { ...inputs, polytomicStack: stack });

  it("takes over the role a killed run made, from its intent alone, and the user whose id it noted: no second POST", async () => {
    const role = await journaled("role", { name: "Journal role" });
    // Killed after the POST landed, before the id was noted: only the intent is left.
    const notes = stackNotes(stack)!;
    const [[key, record]] = [...(await notes.list("creates/"))].filter(([, r]) => JSON.parse(r).name === "Journal role");
    const { id: _id, ...intent } = JSON.parse(record);
    await notes.write(key, JSON.stringify(intent));

    const organization = await create("organization", { name: "journal-tenant" });
    const user = await journaled("user", { email: "journal@example.com", organizationId: organization.id });
    emulator.forgetIdempotencyKeys();
    emulator.resetStats();

    expect((await journaled("role", { name: "Journal role" })).id).toBe(role.id);
    expect((await journaled("user", { email: "journal@example.com", organizationId: organization.id })).id).toBe(user.id);
    expect(requestsTo("POST /api/permissions/roles") + requestsTo("POST /api/organizations/{organization}/users")).toBe(0);
    expect((await api("GET", "/api/permissions/roles")).body.data.filter((r: { name: string }) => r.name === "Journal role")).toHaveLength(1);
    await runtime.remove("user", user.id, user.outs);
    await runtime.remove("organization", organization.id, organization.outs);
    await runtime.remove("role", role.id, role.outs);
  });
});

describe("lookups", () => {
  it("getCallerIdentity and getRole read with the configured credentials", async () => {
    const me = await withEnv(() => getCallerIdentity());
    expect(me).toMatchObject({ organizationId: expect.any(String), isPartner: false });
    const member = await getRoleWithEnv({ name: "MEMBER" });
    expect(member).toMatchObject({ name: "Member", system: true, organizationId: me.organizationId });
    await expect(getRoleWithEnv({ name: "Nobody" })).rejects.toThrow('no role named "Nobody"');
    // Inside another organization, with the partner key scoped to it.
    const organization = await create("organization", { name: "lookup-tenant" });
    try {
      expect(await withEnv(() => getCallerIdentity({ organizationId: organization.id }))).toMatchObject({ organizationId: organization.id });
      const scoped = await getRoleWithEnv({ name: "Admin", organizationId: organization.id });
      expect(scoped.organizationId).toBe(organization.id);
      expect(scoped.id).not.toBe((await getRoleWithEnv({ name: "Admin" })).id);
    } finally {
      await runtime.remove("organization", organization.id, organization.outs);
    }
  });
});

function basic(organizationId: string): string {
  return `Basic ${Buffer.from(`${organizationId}:${PARTNER_KEY}`).toString("base64")}`;
}

/** Outside a Pulumi program the lookups read the environment, as the providers do. */
async function withEnv<T>(run: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  Object.assign(process.env, { POLYTOMIC_URL: emulator.url, POLYTOMIC_API_KEY: API_KEY, POLYTOMIC_PARTNER_KEY: PARTNER_KEY });
  try {
    return await run();
  } finally {
    for (const key of ["POLYTOMIC_URL", "POLYTOMIC_API_KEY", "POLYTOMIC_PARTNER_KEY"]) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  }
}

const getRoleWithEnv = (args: Parameters<typeof getRole>[0]) => withEnv(() => getRole(args));
