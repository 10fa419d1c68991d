/**
 * With the real engine: an `up` and a `destroy` against an emulator that answers 429s, 5xx and
 * drops connections still converge, and no object is created twice.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, inventory } from "./api";
import { API_KEY, createWorld, E2eWorld } from "./fixture";

describe("an unreliable API", () => {
  let world: E2eWorld;

  beforeAll(async () => {
    world = await createWorld();
  }, 300_000);

  afterAll(async () => {
    await world?.dispose();
  });

  it("up converges through 429s, 5xx and dropped connections without duplicates, and destroy too", async () => {
    const { faults } = world.emulator;
    faults.set({ method: "POST", path: "^/api/connections$", status: 500, times: 2 });
    faults.set({ method: "GET", path: "^/api/connections/[^/]+/schemas/status$", status: 429, retryAfterSeconds: 1, times: 2 });
    faults.set({ method: "POST", path: "^/api/models$", status: 503, times: 1 });
    faults.set({ method: "POST", path: "^/api/syncs$", drop: true, times: 1 });
    faults.set({ method: "POST", path: "^/api/webhooks$", status: 429, retryAfterSeconds: 1, times: 1 });

    const { stack } = await world.stack("faults");
    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(count(await inventory(world.emulator.url, API_KEY))).toEqual({ connections: 2, models: 1, syncs: 1, webhooks: 1 });
    // Every injected fault was met (so the retries above really happened).
    expect(faults.list()).toEqual([]);

    faults.set({ method: "DELETE", path: "^/api/syncs/", status: 502, times: 1 });
    faults.set({ method: "DELETE", path: "^/api/connections/", status: 429, retryAfterSeconds: 1, times: 1 });
    const destroy = await stack.destroy();
    expect(destroy.summary.result).toBe("succeeded");
    expect(count(await inventory(world.emulator.url, API_KEY))).toEqual({ connections: 0, models: 0, syncs: 0, webhooks: 0 });
  });
});
