/** Helpers for emulator tests that act as a Connect partner: its key alone, or scoped to one organization. */
import { expect } from "vitest";
import { organizations } from "../../contract";
import { DEFAULT_PARTNER_KEY, type Emulator } from "../../emulator";
import { call } from "./support";

/** The partner key alone (organization and user endpoints). */
export const partner = { authorization: `Bearer ${DEFAULT_PARTNER_KEY}` };

/** The partner key acting inside one organization (`Basic base64(<org>:<partner key>)`). */
export const inside = (organizationId: string) => ({ authorization: organizations.organizationScopedAuthorization(organizationId, DEFAULT_PARTNER_KEY) });

/** Creates an organization with the partner key; its id. */
export async function newOrganization(emulator: Pick<Emulator, "url">, name: string): Promise<string> {
  const created = await call(emulator, "POST", "/api/organizations", { name }, partner);
  expect(created.status, created.text).toBe(200);
  return created.body.data.id;
}
