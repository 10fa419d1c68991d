/**
 * Roles, policies, users and global error subscribers as the emulator serves them: built-in
 * roles in every organization, full-replacement updates, the partner key's organizations for
 * users, one subscriber list per organization.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, ORGANIZATION_ID } from "../../emulator";
import { inside, newOrganization as createOrganization, partner } from "./partner";
import { call, startTestEmulator } from "./support";

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(async () => {
  await emulator?.stop();
});

const newOrganization = (name: string) => createOrganization(emulator, name);

describe("roles", () => {
  it("has the built-in Admin and Member roles, which cannot be changed or deleted", async () => {
    const listed = await call(emulator, "GET", "/api/permissions/roles");
    expect(listed.body.data.map((r: any) => [r.name, r.system])).toEqual([["Admin", true], ["Member", true]]);
    const admin = listed.body.data[0];
    expect((await call(emulator, "GET", `/api/permissions/roles/${admin.id}`)).body.data).toEqual(admin);
    for (const [method, body] of [["PUT", { name: "Boss" }], ["DELETE", undefined]] as const) {
      const refused = await call(emulator, method, `/api/permissions/roles/${admin.id}`, body);
      expect(refused.status, method).toBe(403);
      expect(refused.body.message).toContain("built-in");
    }
  });

  it("creates, renames and deletes a custom role; another organization never sees it", async () => {
    const created = await call(emulator, "POST", "/api/permissions/roles", { name: "Analysts" });
    expect(created.status, created.text).toBe(200);
    expect(created.body.data).toEqual({ id: expect.any(String), name: "Analysts", organization_id: ORGANIZATION_ID, system: false });
    const id = created.body.data.id;
    expect((await call(emulator, "PUT", `/api/permissions/roles/${id}`, { name: "Analysts EU" })).body.data.name).toBe("Analysts EU");
    const other = await newOrganization("Role tenant");
    expect((await call(emulator, "GET", `/api/permissions/roles/${id}`, undefined, inside(other))).status).toBe(404);
    const otherRoles = (await call(emulator, "GET", "/api/permissions/roles", undefined, inside(other))).body.data;
    expect(otherRoles.map((r: any) => r.name)).toEqual(["Admin", "Member"]);
    // Built-in roles are each organization's own.
    expect(otherRoles[0].id).not.toBe((await call(emulator, "GET", "/api/permissions/roles")).body.data[0].id);
    expect((await call(emulator, "DELETE", `/api/permissions/roles/${id}`)).status).toBe(200);
    expect((await call(emulator, "GET", `/api/permissions/roles/${id}`)).status).toBe(404);
    expect((await call(emulator, "POST", "/api/permissions/roles", { name: "x", organization_id: other })).status).toBe(403);
  });
});

describe("policies", () => {
  it("bind actions to the organization's roles, and a PUT replaces every binding", async () => {
    const role = (await call(emulator, "POST", "/api/permissions/roles", { name: "Editors" })).body.data.id;
    const created = await call(emulator, "POST", "/api/permissions/policies", {
      name: "Edit",
      policy_actions: [{ action: "apply_policy", role_ids: [role] }, { action: "delete", role_ids: [role] }],
    });
    expect(created.status, created.text).toBe(200);
    const id = created.body.data.id;
    expect(created.body.data).toEqual({
      id,
      name: "Edit",
      organization_id: ORGANIZATION_ID,
      system: false,
      policy_actions: [{ action: "apply_policy", role_ids: [role] }, { action: "delete", role_ids: [role] }],
    });
    const replaced = await call(emulator, "PUT", `/api/permissions/policies/${id}`, { name: "Edit only", policy_actions: [{ action: "update", role_ids: [role] }] });
    expect(replaced.body.data.policy_actions).toEqual([{ action: "update", role_ids: [role] }]);
    expect((await call(emulator, "GET", "/api/permissions/policies")).body.data.map((p: any) => p.name)).toContain("Edit only");
    const unknown = await call(emulator, "PUT", `/api/permissions/policies/${id}`, { name: "x", policy_actions: [{ action: "read", role_ids: ["nope"] }] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain("policy_actions[0].role_ids[0]");
    expect((await call(emulator, "DELETE", `/api/permissions/policies/${id}`)).status).toBe(200);
    expect((await call(emulator, "GET", `/api/permissions/policies/${id}`)).status).toBe(404);
  });
});

describe("users", () => {
  it("live in one organization, managed with the partner key alone or scoped to that organization", async () => {
    const org = await newOrganization("Users tenant");
    const base = `/api/organizations/${org}/users`;
    const created = await call(emulator, "POST", base, { email: "Ada@Example.com", role: "Admin" }, inside(org));
    expect(created.status, created.text).toBe(200);
    const roles = (await call(emulator, "GET", "/api/permissions/roles", undefined, inside(org))).body.data;
    expect(created.body.data).toEqual({ id: expect.any(String), email: "ada@example.com", organization_id: org, role: "admin", role_ids: [roles[0].id] });
    const id = created.body.data.id;
    // The partner key alone reads it too; a key scoped to another organization, or the API key, does not.
    expect((await call(emulator, "GET", `${base}/${id}`, undefined, partner)).body.data.email).toBe("ada@example.com");
    const other = await newOrganization("Other tenant");
    expect((await call(emulator, "GET", base, undefined, inside(other))).status).toBe(403);
    expect((await call(emulator, "GET", `/api/organizations/${ORGANIZATION_ID}/users`)).status).toBe(403);
    // An update changes the roles only.
    const updated = await call(emulator, "PUT", `${base}/${id}`, { email: "someone@else.com", role_ids: [roles[1].id] }, partner);
    expect(updated.body.data).toMatchObject({ email: "ada@example.com", role: "user", role_ids: [roles[1].id] });
    // Refused: both role forms, an unknown legacy role, an email taken (any case).
    expect((await call(emulator, "POST", base, { email: "b@example.com", role: "admin", role_ids: [roles[0].id] }, partner)).status).toBe(422);
    expect((await call(emulator, "POST", base, { email: "b@example.com", role: "owner" }, partner)).status).toBe(422);
    expect((await call(emulator, "POST", base, { email: "ADA@example.com" }, partner)).status).toBe(422);
    // A user keeps the organization from being deleted; once gone, the organization goes.
    expect((await call(emulator, "DELETE", `/api/organizations/${org}`, undefined, partner)).status).toBe(422);
    expect((await call(emulator, "DELETE", `${base}/${id}`, undefined, inside(org))).status).toBe(200);
    expect((await call(emulator, "GET", base, undefined, partner)).body.data).toEqual([]);
    expect((await call(emulator, "DELETE", `/api/organizations/${org}`, undefined, partner)).status).toBe(200);
    expect((await call(emulator, "GET", base, undefined, partner)).status).toBe(404);
  });
});

describe("users of the caller's own organization (/api/organization/users, 2025-09-18)", () => {
  it("are the same users, reached with the organization's API key; an update there takes roles only", async () => {
    const created = await call(emulator, "POST", "/api/organization/users", { email: "own@example.com" });
    expect(created.status, created.text).toBe(200);
    expect(created.body.data).toMatchObject({ email: "own@example.com", organization_id: ORGANIZATION_ID, role: "user" });
    const id = created.body.data.id;
    // The partner key sees the same user under the organization's path.
    expect((await call(emulator, "GET", `/api/organizations/${ORGANIZATION_ID}/users/${id}`, undefined, partner)).body.data.id).toBe(id);
    const admin = (await call(emulator, "GET", "/api/permissions/roles")).body.data[0];
    expect((await call(emulator, "PUT", `/api/organization/users/${id}`, { role_ids: [admin.id] })).body.data).toMatchObject({ role: "admin", role_ids: [admin.id] });
    expect((await call(emulator, "GET", "/api/organization/users", undefined, partner)).status).toBe(403);
    expect((await call(emulator, "DELETE", `/api/organization/users/${id}`)).status).toBe(200);
    expect((await call(emulator, "GET", "/api/organization/users")).body.data).toEqual([]);
  });
});

describe("global error subscribers", () => {
  const path = "/api/notifications/global-error-subscribers";
  it("are one list per organization, answered without an envelope, replaced whole and cleared with an empty list", async () => {
    expect((await call(emulator, "GET", path)).body).toEqual({ emails: [] });
    const set = await call(emulator, "PUT", path, { emails: ["Ops@Example.com", "dev@example.com"] });
    expect(set.status, set.text).toBe(200);
    expect(set.body).toEqual({ emails: ["Ops@Example.com", "dev@example.com"] });
    const other = await newOrganization("Subscribers tenant");
    expect((await call(emulator, "GET", path, undefined, inside(other))).body).toEqual({ emails: [] });
    expect((await call(emulator, "PUT", path, { emails: ["dev@example.com"] })).body).toEqual({ emails: ["dev@example.com"] });
    expect((await call(emulator, "PUT", path, { emails: ["not an email"] })).status).toBe(422);
    expect((await call(emulator, "PUT", path, { emails: [] })).body).toEqual({ emails: [] });
    expect((await call(emulator, "GET", path)).body).toEqual({ emails: [] });
    expect((await call(emulator, "GET", path, undefined, partner)).status).toBe(403);
  });
});
