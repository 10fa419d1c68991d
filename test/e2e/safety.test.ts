/**
 * What a careful operator tries, with the real engine and the emulator: two stack states on one
 * organization, previews with bad credentials, config and provider errors, and a second stack
 * claiming the organization's one event webhook.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { ConfigMap } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStack } from "../../scripts/lib/stack";
import { providePulumiCli } from "../../scripts/lib/pulumiEnv";
import { count, inventory } from "./api";
import { API_KEY, createWorld, E2eWorld } from "./fixture";
import { closedPort } from "./ports";

const SALT_TYPE = "pulumi-nodejs:dynamic/polytomic-state:IdempotencySalt";
/** A stack trace line as Node prints it. */
const STACK_FRAME = /^\s+at .+[(:]\d+/m;

describe("safety with the real engine", () => {
  let world: E2eWorld;
  const api = () => inventory(world.emulator.url, API_KEY);
  const requests = () => world.emulator.stats().total;
  /** The dev-shaped config without the org webhook (only one stack may own it). */
  const withoutOrgWebhook = (): ConfigMap => {
    const { orgWebhookUrl: _url, orgWebhookSecret: _secret, ...rest } = world.baseConfig();
    return rest;
  };
  /** The same program folder and stack name, with a state backend of its own: a second clone. */
  const secondClone = async (name: string, config: ConfigMap) => {
    const opened = await openStack({
      stackName: name,
      workDir: path.join(world.dir, "program"),
      binDir: providePulumiCli(),
      backendDir: path.join(world.dir, "backend-of-a-second-clone"),
      pulumiHome: path.join(world.dir, "home"),
      passphrase: "e2e-passphrase",
    });
    await opened.stack.setAllConfig(config);
    return opened;
  };

  beforeAll(async () => {
    world = await createWorld();
  }, 300_000);

  afterAll(async () => {
    await world?.dispose();
  });

  it("two states of one stack (one config file) on one organization never share objects", async () => {
    const opened = await world.stack("shared", withoutOrgWebhook());
    const first = opened.stack;
    const firstUp = await first.up();
    const firstIds = [firstUp.outputs.gcsConnectionId.value, firstUp.outputs.webhookConnectionId.value, firstUp.outputs.modelId.value, firstUp.outputs.syncId.value];
    expect(count(await api())).toMatchObject({ connections: 2, models: 1, syncs: 1 });

    // The salt lives in the state, as a secret.
    const exported = JSON.parse(execFileSync("pulumi", ["stack", "export", "--stack", "shared"], { cwd: first.workspace.workDir, env: opened.env, encoding: "utf8" }));
    const salts = exported.deployment.resources.filter((r: { type: string }) => r.type === SALT_TYPE);
    expect(salts).toHaveLength(1);
    expect(salts[0].outputs.value).toMatchObject({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" });

    const { stack: second } = await secondClone("shared", withoutOrgWebhook());
    const secondUp = await second.up();
    expect(secondUp.summary.resourceChanges).toMatchObject({ create: 7 });
    const secondIds = [secondUp.outputs.gcsConnectionId.value, secondUp.outputs.webhookConnectionId.value, secondUp.outputs.modelId.value, secondUp.outputs.syncId.value];
    for (const id of secondIds) expect(firstIds).not.toContain(id);
    expect(count(await api())).toMatchObject({ connections: 4, models: 2, syncs: 2 });

    // The second state's destroy takes only its own objects; the first sees no change.
    await second.destroy();
    const left = await api();
    expect([...left.connections, ...left.models, ...left.syncs].map((o) => o.id).sort()).toEqual([...firstIds].sort());
    const refresh = await first.refresh();
    expect(Object.keys(refresh.summary.resourceChanges ?? {}).filter((op) => op !== "same")).toEqual([]);
    await first.destroy();
    expect(count(await api())).toEqual({ connections: 0, models: 0, syncs: 0, webhooks: 0 });
  }, 300_000);

  it("a stack made before the salt existed gets one without any other change", async () => {
    const opened = await world.stack("upgrade", withoutOrgWebhook());
    const { stack } = opened;
    await stack.up();
    // Turn the state back into one written before this change: no salt resource, no salt input.
    const cli = (args: string[]) => execFileSync("pulumi", [...args, "--stack", "upgrade"], { cwd: stack.workspace.workDir, env: opened.env, encoding: "utf8" });
    const state = JSON.parse(cli(["stack", "export"]));
    const saltUrn = state.deployment.resources.find((r: { type: string }) => r.type === SALT_TYPE).urn;
    state.deployment.resources = state.deployment.resources
      .filter((r: { urn: string }) => r.urn !== saltUrn)
      .map((r: { inputs?: Record<string, unknown>; dependencies?: string[]; propertyDependencies?: Record<string, string[]> }) => {
        delete r.inputs?.idempotencySalt;
        delete r.propertyDependencies?.idempotencySalt;
        return { ...r, dependencies: r.dependencies?.filter((urn) => urn !== saltUrn) };
      });
    const file = path.join(world.dir, "pre-salt-state.json");
    fs.writeFileSync(file, JSON.stringify(state));
    cli(["stack", "import", "--file", file]);

    const ops: string[] = [];
    await stack.preview({ onEvent: (e) => e.resourcePreEvent && ops.push(`${e.resourcePreEvent.metadata.op} ${e.resourcePreEvent.metadata.type.split(":").pop()}`) });
    expect(ops.filter((op) => !op.startsWith("same ")).sort()).toEqual(["create IdempotencySalt"]);
    const up = await stack.up();
    expect(up.summary.resourceChanges).toEqual({ create: 1, same: 6 });
    await stack.destroy();
  }, 300_000);

  it("a preview checks the credentials with one request and fails in seconds, naming the key or the URL", async () => {
    const { stack } = await world.stack("creds", withoutOrgWebhook());
    await stack.up();
    let before = requests();
    await stack.preview({ expectNoChanges: true });
    expect(requests() - before).toBe(1);

    await stack.setConfig("polytomic:apiKey", { value: "revoked-key-0000000000", secret: true });
    before = requests();
    let started = Date.now();
    const refused = await stack.preview({ color: "never" }).catch((e: Error) => e);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(requests() - before).toBe(1);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toMatch(/refused the API key from polytomic:apiKey \(HTTP 401\)/);
    expect((refused as Error).message).not.toContain("revoked-key-0000000000");
    expect((refused as Error).message).not.toMatch(STACK_FRAME);

    const port = await closedPort();
    await stack.setConfig("polytomic:apiKey", { value: API_KEY, secret: true });
    await stack.setConfig("polytomic:url", { value: `http://127.0.0.1:${port}` });
    started = Date.now();
    const unreachable = await stack.preview({ color: "never" }).catch((e: Error) => e);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect((unreachable as Error).message).toMatch(new RegExp(`Cannot reach the Polytomic API at http://127.0.0.1:${port} \\(polytomic:url\\)`));
    expect((unreachable as Error).message).not.toMatch(STACK_FRAME);
    // Printed once per failing resource, by the engine: its line and the diagnostics. Not a third
    // and fourth time as a message of the stack (the dynamic-provider host's stderr copy, "Error: ...").
    // The CLI's output as the Automation API's error holds it (its "err?:" part repeats it).
    const text = (unreachable as Error).message.split("\n err?: ")[0];
    const failing = new Set([...text.matchAll(/^ {2}(\S+ \([^)]+\)):\n {4}error: Cannot reach/gm)].map((m) => m[1]));
    expect(failing.size).toBeGreaterThan(0);
    expect(text.split("Cannot reach the Polytomic API").length - 1).toBe(2 * failing.size);
    expect(text).not.toContain("Error: Cannot reach");
    expect(text).not.toMatch(/pulumi:pulumi:Stack \([^)]+\):\n\s+Error:/);

    await stack.setConfig("polytomic:url", { value: world.emulator.url });
    await stack.destroy();
  }, 300_000);

  it("a config mistake and a provider failure print a message, not a crash", async () => {
    const { stack } = await world.stack("errors", withoutOrgWebhook());
    await stack.up();

    await stack.setConfig("batchSize", { value: "0" });
    const configError = await stack.preview({ color: "never" }).catch((e: Error) => e);
    expect((configError as Error).message).toMatch(/batchSize: must be at least 1\. Fix: pulumi config set batchSize/);
    expect((configError as Error).message).not.toMatch(STACK_FRAME);
    expect((configError as Error).message).not.toMatch(/unhandled exception|ConfigError|problems:/);
    expect((configError as Error).message).not.toContain("\u001b[");
    await stack.setConfig("batchSize", { value: "100" });

    // A refresh with a wrong key (run with the program, so the current config is used): the
    // engine reads every object; each says what to fix, once.
    await stack.setConfig("polytomic:apiKey", { value: "wrong-key-00000000000", secret: true });
    const providerError = await stack.refresh({ color: "never", runProgram: true }).catch((e: Error) => e);
    const message = (providerError as Error).message;
    expect(message).toMatch(/refused the API key from polytomic:apiKey/);
    expect(message).not.toMatch(STACK_FRAME);
    expect(message).not.toMatch(/PolytomicApiError/);
    await stack.setConfig("polytomic:apiKey", { value: API_KEY, secret: true });
    // That failed refresh recorded the wrong key in the state: destroy on the current config.
    await stack.destroy({ runProgram: true });
  }, 300_000);

  it("the org webhook has one owner: a second stack claiming it fails before creating anything, and may leave it out", async () => {
    const { stack: owner } = await world.stack("owner");
    const ownerUp = await owner.up();
    const webhookId = String(ownerUp.outputs.orgWebhookId.value);
    const before = count(await api());
    expect(before).toEqual({ connections: 2, models: 1, syncs: 1, webhooks: 1 });

    const { stack: staging } = await world.stack("staging");
    const preview = await staging.preview({ color: "never" }).catch((e: Error) => e);
    expect((preview as Error).message).toMatch(new RegExp(`already has its event webhook, ${webhookId} .*does not own it`));
    // `up` without a preview (the Automation API's, `npm start`'s): still nothing created.
    const up = await staging.up({ color: "never" }).catch((e: Error) => e);
    expect((up as Error).message).toMatch(/already has its event webhook/);
    expect((up as Error).message).not.toMatch(STACK_FRAME);
    expect(count(await api())).toEqual(before);

    // The pattern for other environments: leave the org webhook out.
    await staging.setAllConfig(withoutOrgWebhook());
    await staging.removeConfig("orgWebhookUrl");
    await staging.removeConfig("orgWebhookSecret");
    await staging.up();
    expect(count(await api())).toEqual({ connections: 4, models: 2, syncs: 2, webhooks: 1 });
    await staging.destroy();
    await owner.destroy();
    expect(count(await api())).toEqual({ connections: 0, models: 0, syncs: 0, webhooks: 0 });
  }, 300_000);
});
