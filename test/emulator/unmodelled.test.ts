/**
 * What Polytomic's clients may call and the emulator does not model (bulk syncs, users, roles,
 * policies): an empty list, or a 404 ApiError naming the missing object, for
 * every method, never a crash or an empty body.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_API_KEY, DEFAULT_PARTNER_KEY, type Emulator, ORGANIZATION_ID } from "../../emulator";
import { call, startTestEmulator } from "./support";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(async () => {
  await emulator?.stop();
});
/** Users are under /api/organizations, which takes a partner key; the rest takes the API key. */
const authFor = (path: string) => ({ authorization: `Bearer ${path.startsWith("/api/organizations") ? DEFAULT_PARTNER_KEY : DEFAULT_API_KEY}` });
const id = "3f1b2c4d-0000-4000-8000-00000000abcd";

describe("objects the emulator does not model", () => {
  const collections = ["/api/bulk/syncs", `/api/organizations/${ORGANIZATION_ID}/users`, "/api/permissions/roles", "/api/permissions/policies"];

  it.each(collections)("%s lists none", async (collection) => {
    const answer = await call(emulator, "GET", collection, undefined, authFor(collection));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ data: [] });
  });

  it.each(collections)("%s/{id} is a 404 naming the object, for every method", async (collection) => {
    for (const method of ["GET", "PUT", "PATCH", "DELETE", "POST"] as const) {
      const path = method === "POST" ? `${collection}/${id}/activate` : `${collection}/${id}`;
      const answer = await call(emulator, method, path, method === "GET" || method === "DELETE" ? undefined : {}, authFor(path));
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.body, `${method} ${path}`).toMatchObject({ status: 404, key: "not_found" });
      expect(answer.body.message, `${method} ${path}`).toMatch(new RegExp(`^[a-z ]+ ${id} not found$`));
    }
  });

  it.each(collections)("a create under %s is a 404 that says it is not modelled", async (collection) => {
    const answer = await call(emulator, "POST", collection, { name: "x" }, authFor(collection));
    expect(answer.status).toBe(404);
    expect(answer.body.message).toMatch(/does not model/);
  });
});
