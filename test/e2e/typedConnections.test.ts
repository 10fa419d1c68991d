/**
 * Typed connection classes with the real Pulumi engine against the emulator: a small program of
 * three typed connections (PostgreSQL, Snowflake, a webhook with basic auth) whose secrets are
 * plain string literals. `up` creates them, `pulumi stack export` and the preview's output hold
 * none of the secrets, a no-op preview shows no change, an edit updates in place, `destroy`
 * leaves none; a configuration its type's schema refuses fails the preview naming the field.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator";
import { repoRoot } from "../../scripts/lib/pulumiEnv";
import { openStack, type OpenedStack } from "../../scripts/lib/stack";

const API_KEY = "typed-e2e-api-key-0123456789";
const SECRETS = ["pg-plain-literal-password", "sf-plain-literal-password", "sf-plain-literal-private-key", "hook-plain-literal-basic"];

const PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const p = require("./dist/lib.js");
const config = new pulumi.Config();
const host = config.get("pgHost") ?? "db.example.com";
// Text when set in the stack config: a wrong type the preview must catch.
const port = config.get("pgPort") ?? 5432;
const pg = new p.PostgresqlConnection("pg", {
  name: "typed-pg",
  configuration: { hostname: host, username: "loader", database: "app", port, password: ${JSON.stringify(SECRETS[0])} },
});
const sf = new p.SnowflakeConnection("sf", {
  name: "typed-sf",
  configuration: { account: "acme", username: "u", dbname: "db", password: ${JSON.stringify(SECRETS[1])}, private_key: ${JSON.stringify(SECRETS[2])} },
});
const hook = new p.WebhookConnection("hook", {
  name: "typed-hook",
  configuration: { url: "http://127.0.0.1:9/in", auth_method: "basic", basic: { username: "polytomic", password: ${JSON.stringify(SECRETS[3])} } },
});
exports.ids = [pg.id, sf.id, hook.id];
exports.pgConfiguration = pg.configuration;
exports.pgStatus = pg.status;
`;

describe("typed connections with the real engine", () => {
  let dir: string;
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let opened: OpenedStack;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "typed-connections-e2e-"));
    const program = path.join(dir, "program");
    fs.mkdirSync(program);
    fs.writeFileSync(path.join(program, "Pulumi.yaml"), "name: typed-connections\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: program.js\n");
    fs.writeFileSync(path.join(program, "program.js"), PROGRAM);
    for (const link of ["node_modules", "dist", "package.json"]) fs.symlinkSync(path.join(repoRoot, link), path.join(program, link));
    emulator = await startEmulator({ port: 0, apiKey: API_KEY, log: () => undefined });
    opened = await openStack({ stackName: "typed", workDir: program, backendDir: path.join(dir, "state") });
    await opened.stack.setAllConfig({
      "polytomic:url": { value: emulator.url },
      "polytomic:apiKey": { value: API_KEY, secret: true },
    });
  }, 300_000);

  afterAll(async () => {
    await emulator?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  // `pulumi stack export` as a user runs it (the Automation API's exportStack shows secrets).
  const exported = async () =>
    execFileSync("pulumi", ["stack", "export", "--stack", "typed"], { cwd: opened.stack.workspace.workDir, env: opened.env, encoding: "utf8" });

  it("up creates the three connections, each secret sent to Polytomic", async () => {
    const preview = await opened.stack.preview({ diff: true });
    for (const secret of SECRETS) expect(preview.stdout).not.toContain(secret);
    const up = await opened.stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(up.summary.resourceChanges?.create).toBe(5); // stack, salt, three connections
    for (const secret of SECRETS) expect(up.stdout).not.toContain(secret);
    const stored = emulator.state.connections();
    expect(stored.map((c) => c.type).sort()).toEqual(["postgresql", "snowflake", "webhook"]);
    expect(stored.find((c) => c.type === "postgresql")?.configuration).toMatchObject({ password: SECRETS[0], hostname: "db.example.com" });
    expect(stored.find((c) => c.type === "webhook")?.configuration).toMatchObject({ basic: { username: "polytomic", password: SECRETS[3] } });
    expect(up.outputs.pgConfiguration.value).toEqual({ hostname: "db.example.com", username: "loader", database: "app", port: 5432 });
    expect(up.outputs.pgStatus.value).toBe("unhealthy");
  });

  it("pulumi stack export holds no sensitive value", async () => {
    const state = await exported();
    expect(state).toContain("typed-pg");
    for (const secret of SECRETS) expect(state).not.toContain(secret);
  });

  it("a no-op preview shows no change", async () => {
    const preview = await opened.stack.preview();
    expect(preview.changeSummary).toEqual({ same: 5 });
  });

  it("an edit is one in-place update that leaves the unchanged password out and Polytomic keeps it", async () => {
    await opened.stack.setConfig("pgHost", { value: "db2.example.com" });
    const up = await opened.stack.up();
    expect(up.summary.resourceChanges).toEqual({ same: 4, update: 1 });
    const pg = emulator.state.connections().find((c) => c.type === "postgresql");
    expect(pg?.configuration).toMatchObject({ hostname: "db2.example.com", password: SECRETS[0] });
    const state = await exported();
    for (const secret of SECRETS) expect(state).not.toContain(secret);
  });

  it("a wrong type fails the preview on one line naming the field, with no secret in the output", async () => {
    await opened.stack.setConfig("pgPort", { value: "5432" });
    const failed = await opened.stack.preview().then(
      () => undefined,
      (err: Error) => err,
    );
    expect(failed?.message).toMatch(/configuration\.port.*must be an integer/);
    for (const secret of SECRETS) expect(failed?.message).not.toContain(secret);
    await opened.stack.removeConfig("pgPort");
  });

  it("destroy leaves no connection", async () => {
    const result = await opened.stack.destroy();
    expect(result.summary.result).toBe("succeeded");
    expect(emulator.state.connections()).toEqual([]);
  });
});
