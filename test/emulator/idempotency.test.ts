/** `Idempotency-Key`: replay of the first outcome, errors included; conflicts; the in-flight lock. */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../emulator";
import { bodies, call, startTestEmulator } from "./support";

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(async () => {
  await emulator?.stop();
});

const key = (name: string) => ({ "idempotency-key": `${name}-${Date.now()}-0123` });

describe("Idempotency-Key", () => {
  it("replays the first success: same status and body, marked as replayed, nothing created twice", async () => {
    const headers = key("create-webhook-connection");
    const body = bodies.webhookConnection("http://127.0.0.1:1/hook", "idempotent");
    const first = await call(emulator, "POST", "/api/connections", body, headers);
    const second = await call(emulator, "POST", "/api/connections", body, headers);
    expect(first.status).toBe(200);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect(second.status).toBe(200);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(second.text).toBe(first.text);
    expect(emulator.state.connections().filter((c) => c.name === "idempotent")).toHaveLength(1);
  });

  it("replays the first error even after the cause went away", async () => {
    const headers = key("create-gcs-connection");
    const body = bodies.gcsConnection("late bucket", { bucket: "late-bucket" });
    const first = await call(emulator, "POST", "/api/connections", body, headers);
    expect(first.status).toBe(422);

    fs.mkdirSync(path.join(emulator.gcsRoot, "late-bucket"));
    const replayed = await call(emulator, "POST", "/api/connections", body, headers);
    expect(replayed.status).toBe(422);
    expect(replayed.text).toBe(first.text);
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");

    const fresh = await call(emulator, "POST", "/api/connections", body, key("create-gcs-connection-again"));
    expect(fresh.status).toBe(200);
  });

  it("rejects the same key with a different body (422) and a different path", async () => {
    const headers = key("reuse");
    await call(emulator, "POST", "/api/connections", bodies.webhookConnection("http://127.0.0.1:1/a", "reuse-a"), headers);
    const changed = await call(emulator, "POST", "/api/connections", bodies.webhookConnection("http://127.0.0.1:1/b", "reuse-b"), headers);
    expect(changed.status).toBe(422);
    expect(changed.body.message).toMatch(/different request/);
    const otherRoute = await call(emulator, "POST", "/api/webhooks", { endpoint: "http://127.0.0.1:1/a", secret: "abcdef" }, headers);
    expect(otherRoute.status).toBe(422);
    expect(emulator.state.connections().some((c) => c.name === "reuse-b")).toBe(false);
  });

  it("answers 409 while the first request with the key is in flight", async () => {
    const headers = key("in-flight");
    const body = bodies.webhookConnection("http://127.0.0.1:1/slow", "slow");
    emulator.faults.set({ method: "POST", path: "^/api/connections$", latencyMs: 400 });
    const slow = call(emulator, "POST", "/api/connections", body, headers);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const concurrent = await call(emulator, "POST", "/api/connections", body, headers);
    expect(concurrent.status).toBe(409);
    expect(concurrent.body.message).toMatch(/in progress/);
    const first = await slow;
    expect(first.status).toBe(200);
    // Once finished, the same key replays the outcome.
    const after = await call(emulator, "POST", "/api/connections", body, headers);
    expect(after.headers.get("idempotent-replayed")).toBe("true");
    expect(after.body.data.id).toBe(first.body.data.id);
  });

  it("does not record front-door faults as the outcome", async () => {
    const headers = key("after-503");
    const body = bodies.webhookConnection("http://127.0.0.1:1/x", "after-503");
    emulator.faults.set({ method: "POST", path: "^/api/connections$", status: 503 });
    expect((await call(emulator, "POST", "/api/connections", body, headers)).status).toBe(503);
    const retried = await call(emulator, "POST", "/api/connections", body, headers);
    expect(retried.status).toBe(200);
    expect(retried.headers.get("idempotent-replayed")).toBeNull();
  });

  it("ignores the header on GET and DELETE", async () => {
    const headers = { "idempotency-key": "bad key!" };
    expect((await call(emulator, "GET", "/api/connections", undefined, headers)).status).toBe(200);
  });
});
