/** Who created or updated an object: always the emulator's API user. */
import { API_USER } from "../defaults";

export const API_ACTOR = { id: API_USER.id, name: API_USER.name, type: "apikey" } as const;

/** The fields the server gives a new object: its id, organization, creation and update by the API user. */
export function newObjectFields(organizationId: string, id: string, now: string) {
  return { id, organization_id: organizationId, created_at: now, created_by: API_ACTOR, updated_at: now, updated_by: API_ACTOR };
}
