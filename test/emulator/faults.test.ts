/** Fault injection (429 + Retry-After, 5xx, dropped connections, latency) and request stats. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../emulator";
import { call, startTestEmulator } from "./support";

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterEach(() => emulator.faults.clear());
afterAll(async () => {
  await emulator?.stop();
});

describe("faults", () => {
  it("answers 429 with Retry-After for the next N matching requests only", async () => {
    emulator.faults.set({ method: "GET", path: "^/api/connections$", status: 429, retryAfterSeconds: 7, times: 2 });
    for (let i = 0; i < 2; i++) {
      const limited = await call(emulator, "GET", "/api/connections");
      expect(limited.status).toBe(429);
      expect(limited.headers.get("retry-after")).toBe("7");
      expect(limited.body).toMatchObject({ status: 429 });
    }
    expect((await call(emulator, "GET", "/api/connections")).status).toBe(200);
  });

  it("matches the method", async () => {
    emulator.faults.set({ method: "POST", path: "^/api/connections", status: 500 });
    expect((await call(emulator, "GET", "/api/connections")).status).toBe(200);
    expect(emulator.faults.list()).toHaveLength(1);
  });

  it("answers a 5xx", async () => {
    emulator.faults.set({ path: "^/api/me$", status: 500 });
    const failed = await call(emulator, "GET", "/api/me");
    expect(failed.status).toBe(500);
    expect(failed.body).toMatchObject({ status: 500, message: expect.stringContaining("injected") });
    expect((await call(emulator, "GET", "/api/me")).status).toBe(200);
  });

  it("drops the connection", async () => {
    emulator.faults.set({ path: "^/api/me$", drop: true });
    await expect(call(emulator, "GET", "/api/me")).rejects.toThrow();
    expect((await call(emulator, "GET", "/api/me")).status).toBe(200);
  });

  it("adds latency", async () => {
    emulator.faults.set({ path: "^/api/me$", latencyMs: 300 });
    const started = Date.now();
    const slow = await call(emulator, "GET", "/api/me");
    expect(slow.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("rejects rules that inject nothing or an unsupported status", () => {
    expect(() => emulator.faults.set({ path: "x" })).toThrow();
    expect(() => emulator.faults.set({ path: "x", status: 404 })).toThrow();
  });

  it("can be driven over HTTP", async () => {
    const added = await call(emulator, "POST", "/__emulator/faults", { path: "^/api/me$", status: 503 });
    expect(added.status).toBe(200);
    expect(added.body.rules).toHaveLength(1);
    expect((await call(emulator, "GET", "/api/me")).status).toBe(503);
    expect((await call(emulator, "POST", "/__emulator/faults", { path: "x", status: 200 })).status).toBe(400);
    await call(emulator, "POST", "/__emulator/faults", { path: "^/api/me$", status: 503 });
    expect((await call(emulator, "DELETE", "/__emulator/faults")).body.rules).toEqual([]);
    expect((await call(emulator, "GET", "/api/me")).status).toBe(200);
  });
});

describe("stats", () => {
  it("counts requests per route pattern, including refused ones, and not the control plane", async () => {
    emulator.resetStats();
    await call(emulator, "GET", "/api/connections");
    await call(emulator, "GET", "/api/connections");
    const created = await call(emulator, "POST", "/api/connections", { name: "s", type: "webhook", configuration: { url: "http://127.0.0.1:1/" } });
    await call(emulator, "GET", `/api/connections/${created.body.data.id}`);
    await call(emulator, "GET", "/api/connections/7b0a4d7e-1111-4222-8333-944455556666");
    await call(emulator, "GET", "/api/me", undefined, { authorization: "Bearer wrong" });
    await call(emulator, "GET", "/api/unknown");
    await call(emulator, "GET", "/__emulator/stats");

    const stats = emulator.stats();
    expect(stats.routes).toEqual({
      "GET /api/connections": 2,
      "POST /api/connections": 1,
      "GET /api/connections/{id}": 2,
      "GET /api/me": 1,
      "GET (unmatched)": 1,
    });
    expect(stats.total).toBe(7);

    const overHttp = await call(emulator, "GET", "/__emulator/stats");
    expect(overHttp.body).toEqual(stats);
    const reset = await call(emulator, "POST", "/__emulator/stats/reset");
    expect(reset.body).toEqual({ total: 0, routes: {} });
  });
});
