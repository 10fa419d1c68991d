/**
 * examples/org-admin with the real engine against the emulator: a role, a policy granting it (and
 * the built-in Admin role found by getRole) two actions, and the organization's error subscribers.
 * `up`; a preview with no change changes nothing; a rename is one update; `destroy` leaves no
 * custom role, no policy and no subscriber.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../client";
import { ORGANIZATION_ID, startEmulator } from "../../emulator";
import { openStack, type OpenedStack } from "../../scripts/lib/stack";
import { stepRecorder } from "./events";
import { openExample } from "./example";

const API_KEY = "org-admin-e2e-key-0123456789";

describe("examples/org-admin: roles, a policy and error subscribers as code", () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let dir: string;
  let opened: OpenedStack;
  const recorder = stepRecorder();
  const client = () => createClient({ baseUrl: emulator.url, apiKey: API_KEY });
  const customRoles = async () => (await client().roles.list()).filter((r) => !r.system);

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, apiKey: API_KEY, log: () => undefined });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "polytomic-org-admin-"));
    ({ opened } = await openExample("org-admin", dir, "org", "org-admin"));
    await opened.stack.setAllConfig(
      {
        "polytomic:url": { value: emulator.url },
        "polytomic:apiKey": { value: API_KEY, secret: true },
        "errorEmails[0]": { value: "oncall@example.com" },
        "errorEmails[1]": { value: "Data.Team@example.com" },
      },
      true,
    );
  }, 300_000);

  afterAll(async () => {
    await emulator?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("up creates the role, the policy and the subscribers, with the lookups' answers", async () => {
    const up = await opened.stack.up();
    expect(up.summary.result).toBe("succeeded");
    const [role] = await customRoles();
    expect(role).toMatchObject({ name: "Data editors", organization_id: ORGANIZATION_ID });
    const admin = (await client().roles.list()).find((r) => r.name === "Admin")!;
    const [policy] = await client().policies.list();
    expect(policy).toMatchObject({
      name: "Data editing",
      policy_actions: [
        { action: "create", role_ids: [role.id] },
        { action: "delete", role_ids: [role.id, admin.id] },
      ],
    });
    expect((await client().globalErrorSubscribers.get()).emails).toEqual(["oncall@example.com", "Data.Team@example.com"]);
    expect(up.outputs.organizationId.value).toBe(ORGANIZATION_ID);
    expect(up.outputs.adminRoleId.value).toBe(admin.id);
    expect(up.outputs.roleId.value).toBe(role.id);
  });

  it("a preview with no change changes nothing, and writes nothing", async () => {
    emulator.resetStats();
    recorder.reset();
    const preview = await opened.stack.preview({ onEvent: recorder.onEvent });
    expect(recorder.changed()).toEqual([]);
    expect(preview.changeSummary).toMatchObject({ same: expect.any(Number) });
    expect(Object.keys(preview.changeSummary).filter((op) => op !== "same")).toEqual([]);
    // The credential check and the two lookups (who the key is, the roles to find Admin in): reads only.
    expect(Object.keys(emulator.stats().routes).sort()).toEqual(["GET /api/me", "GET /api/permissions/roles"]);
  });

  it("a rename is one in-place update of the role", async () => {
    await opened.stack.setConfig("roleName", { value: "Analysts" });
    recorder.reset();
    const up = await opened.stack.up({ onEvent: recorder.onEvent });
    expect(up.summary.result).toBe("succeeded");
    expect(recorder.changed().map((s) => `${s.op} ${s.type} ${s.name}`)).toEqual(["update Role editors"]);
    expect((await customRoles()).map((r) => r.name)).toEqual(["Analysts"]);
  });

  it("a second stack's preview fails on the organization's list it does not own, naming adoptId, before anything is made", async () => {
    const other = await openStack({
      stackName: "other",
      workDir: path.join(dir, "program"),
      backendDir: path.join(dir, "backend"),
      pulumiHome: path.join(dir, "home"),
      passphrase: "org-admin",
    });
    await other.stack.setAllConfig(
      {
        "polytomic:url": { value: emulator.url },
        "polytomic:apiKey": { value: API_KEY, secret: true },
        "errorEmails[0]": { value: "someone@example.com" },
      },
      true,
    );
    emulator.resetStats();
    await expect(other.stack.preview()).rejects.toThrow(/already has global error subscribers .*adoptId: "global-error-subscribers"/s);
    expect(Object.keys(emulator.stats().routes).filter((route) => !route.startsWith("GET "))).toEqual([]);
    await other.stack.workspace.removeStack("other");
  });

  it("destroy leaves no custom role, no policy and no subscriber", async () => {
    const destroy = await opened.stack.destroy();
    expect(destroy.summary.result).toBe("succeeded");
    expect(await customRoles()).toEqual([]);
    expect(await client().policies.list()).toEqual([]);
    expect((await client().globalErrorSubscribers.get()).emails).toEqual([]);
  });
});
