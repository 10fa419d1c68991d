/**
 * The connection runtime against the in-process emulator: a typed type's configuration checked at
 * preview, and an update that leaves a secret unchanged does not send it (Polytomic keeps it:
 * handleSensitiveValues in its Terraform provider's provider/internal/connections/common.go).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { REDACTED } from "../../contract";
import { startEmulator } from "../../emulator";
import * as runtime from "../../providers/runtime";

const API_KEY = "connection-secrets-test-key";
const SALT = "connection-secrets-salt-0123456789";
let emulator: Awaited<ReturnType<typeof startEmulator>>;
const sent: { method: string; url: string; body: string }[] = [];
const realFetch = globalThis.fetch;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, apiKey: API_KEY, log: () => undefined });
  await runtime.configure({ config: { get: (key) => ({ "polytomic:url": emulator.url, "polytomic:apiKey": API_KEY })[key] } });
  globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    sent.push({ method: init?.method ?? "GET", url: String(input), body: typeof init?.body === "string" ? init.body : "" });
    return realFetch(input, init);
  }) as typeof fetch;
});
afterAll(async () => {
  globalThis.fetch = realFetch;
  await emulator.stop();
});
afterEach(() => {
  sent.length = 0;
});

const inputs = (hostname: string, password: string) => ({
  name: "warehouse",
  type: "postgresql",
  configuration: { hostname, username: "loader", database: "app" },
  sensitiveConfiguration: { password, ssh_private_key: "key-1" },
});

describe("postgresql connection through the runtime", () => {
  it("fails the preview naming the field", async () => {
    const { failures } = await runtime.check("connection", {}, { ...inputs("h", "p"), configuration: { hostname: "h", username: "u", database: "d", port: "x" } });
    expect(failures).toEqual([{ property: "configuration.port", reason: "must be an integer" }]);
  });

  it("creates with every secret, then updates without the unchanged ones", async () => {
    const first = inputs("db1.example.com", "pw-first");
    const created = await runtime.create("connection", { ...first, idempotencySalt: SALT });
    const post = sent.find((r) => r.method === "POST" && r.url.endsWith("/api/connections"));
    expect(JSON.parse(post!.body).configuration).toMatchObject({ password: "pw-first", ssh_private_key: "key-1" });
    expect(created.outs.readOnlyConfiguration).toEqual({});

    sent.length = 0;
    const second = { ...first, configuration: { ...first.configuration, hostname: "db2.example.com" }, sensitiveConfiguration: { password: "pw-first", ssh_private_key: "key-2" } };
    await runtime.update("connection", created.id, created.outs, second);
    const put = sent.find((r) => r.method === "PUT");
    const body = JSON.parse(put!.body);
    expect(body.configuration).toEqual({ hostname: "db2.example.com", username: "loader", database: "app", ssh_private_key: "key-2" });
    expect(put!.body).not.toContain("pw-first");

    // Polytomic kept the password left out (the emulator's rule, from the same source).
    const stored = emulator.state.connections().find((c) => c.id === created.id)?.configuration;
    expect(stored).toMatchObject({ password: "pw-first", hostname: "db2.example.com" });
    const read = await runtime.read("connection", created.id, { ...second, id: created.id });
    expect(read.props?.configuration).toEqual(second.configuration);
    expect(JSON.stringify(read.props?.configuration)).not.toContain(REDACTED);
  });
});
