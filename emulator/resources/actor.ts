/** Who created or updated an object: always the emulator's API user. */
import { API_USER } from "../defaults";

export const API_ACTOR = { id: API_USER.id, name: API_USER.name, type: "apikey" } as const;

/** The fields the server gives a new object: its id, organization, creation and update by the API user. */
export function newObjectFields(organizationId: string, id: string, now: string) {
  return { id, organization_id: organizationId, created_at: now, created_by: API_ACTOR, updated_at: now, updated_by: API_ACTOR };
}

/** What a full replacement (PUT) keeps of the stored object, and its update by the API user at `now`. */
export function replacedObjectFields<T extends { id: string; organization_id: string; created_at: string; created_by?: unknown }>(stored: T, now: string) {
  return { id: stored.id, organization_id: stored.organization_id, created_at: stored.created_at, created_by: stored.created_by as T["created_by"], updated_at: now, updated_by: API_ACTOR };
}
