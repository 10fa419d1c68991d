/**
 * Secret inputs given as plain literals (a key pasted in the program, a string read from a file)
 * are Pulumi secrets all the same, with the real engine: a program passes plain values to every
 * secret input of the resource classes (stub.ts `secretInputs`), and none of them shows in
 * `pulumi preview --diff`, in `pulumi stack export` (after up, after a refresh, after an update
 * of the secret), in any output of `up`/`refresh`, or in the engine's log (`--logflow -v=9`)
 * beyond Pulumi's own RPC traces, which at -v=3 and above print every secret value in clear, its
 * own `--secret` config values included (shown below with `polytomic:apiKey`): that exposure is
 * Pulumi's, the same for a value given with `pulumi.secret`, and no provider can prevent it.
 * And the org webhook that another stack's notes say it manages cannot be adopted without naming
 * that stack.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { providers } from "../../providers/stub";
import { makeProgramFolder, openStack, type OpenedStack } from "../../scripts/lib/stack";
import { providePulumiCli } from "../../scripts/lib/pulumiEnv";
import { API_KEY, createWorld, type E2eWorld } from "./fixture";
import { pulumiCli } from "./crashKit";

const HOOK_SECRET = "plain-hook-secret-7731";
const NEW_HOOK_SECRET = "plain-hook-secret-8842";

/** A program with every secret input given as a literal in its text. */
function programText(serviceAccountKey: string, hookSecret: string, extra = ""): string {
  return `
const { Connection, OrgWebhook } = require("./dist/providers");
new Connection("gcs", {
  name: "secret-inputs-gcs",
  type: "gcs",
  configuration: { bucket: "polytomic-demo" },
  sensitiveConfiguration: { service_account: ${JSON.stringify(serviceAccountKey)} },
  schemaReadyTimeoutSeconds: 0,
});
new OrgWebhook("hook", { endpoint: "http://127.0.0.1:9/events", secret: ${JSON.stringify(hookSecret)}${extra} });
`;
}

describe("secret inputs given in clear", () => {
  let world: E2eWorld;
  let programDir: string;
  let opened: OpenedStack;
  /** Text that must never appear: the hook's secrets and the service-account key's private parts. */
  let secrets: string[];

  const pulumi = (args: string[], stack = opened, cwd = programDir) => pulumiCli(args, cwd, stack.env);
  const leaked = (text: string) => secrets.filter((secret) => text.includes(secret));
  /**
   * Pulumi's own traces at -v=3 and above that print property values, secrets in clear: the
   * engine's RPC (un)marshaling and planner lines, the Node.js SDK's RegisterResource debug line.
   */
  const PULUMI_TRACE = /"msg":"(?:(?:Un)?[Mm]arshaling property for RPC|Planner decided |(?:eventSink::Debug\(<\{%reset%\}>)?RegisterResource RPC finished: )/;
  /** What a verbose run shows of the secrets outside Pulumi's own traces. */
  const leakedBeyondTraces = (text: string) => leaked(text.split("\n").filter((line) => !PULUMI_TRACE.test(line)).join("\n"));
  const open = async (name: string, dir: string) => {
    const stack = await openStack({
      stackName: name,
      workDir: dir,
      binDir: providePulumiCli(),
      backendDir: path.join(world.dir, "backend"),
      pulumiHome: path.join(world.dir, "home"),
      passphrase: "e2e-passphrase",
    });
    await stack.stack.setAllConfig({ "polytomic:url": { value: world.emulator.url }, "polytomic:apiKey": { value: API_KEY, secret: true } });
    return stack;
  };
  const writeProgram = (dir: string, text: string) => {
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: secret-inputs\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: program.js\n");
    fs.writeFileSync(path.join(dir, "program.js"), text);
  };

  beforeAll(async () => {
    world = await createWorld();
    programDir = makeProgramFolder(path.join(world.dir, "secret-program"));
    writeProgram(programDir, programText(world.serviceAccountKey, HOOK_SECRET));
    const key = JSON.parse(world.serviceAccountKey) as { private_key: string; private_key_id: string };
    const body = key.private_key.split("\n").filter((line) => line && !line.startsWith("-----"));
    secrets = [HOOK_SECRET, NEW_HOOK_SECRET, key.private_key_id, ...body.slice(0, 3), world.serviceAccountKey];
    opened = await open("first", programDir);
  }, 300_000);

  afterAll(async () => {
    await world?.dispose();
  });

  it("every secret input the resource classes declare is given in clear by this program", () => {
    const declared = Object.values(providers).flatMap((p) => p.secretInputs ?? []);
    const program = fs.readFileSync(path.join(programDir, "program.js"), "utf8");
    // The ModelSync's encryptionPassphrase is declared for the field to come; the others are exercised here.
    expect(declared.filter((key) => key !== "encryptionPassphrase").every((key) => program.includes(`${key}:`))).toBe(true);
    expect(declared).toEqual(expect.arrayContaining(["sensitiveConfiguration", "secret"]));
  });

  it("never shows them: preview --diff, up, the state, a refresh, an update of the secret, the engine's log at -v=9", async () => {
    const verbose = ["--logflow", "-v=9", "--logtostderr"];
    const preview = await pulumi(["preview", "--diff", "--stack", "first"]);
    expect(preview.code, preview.output.slice(-2000)).toBe(0);
    // The preview did show the inputs (masked), so it could have shown them in clear.
    expect(preview.output).toContain("sensitiveConfiguration");
    expect(preview.output).toContain("[secret]");
    expect(leaked(preview.output)).toEqual([]);
    expect(leakedBeyondTraces((await pulumi(["preview", "--diff", "--stack", "first", ...verbose])).output)).toEqual([]);

    const up = await pulumi(["up", "--yes", "--skip-preview", "--stack", "first", ...verbose]);
    expect(up.code, up.output.slice(-2000)).toBe(0);
    expect(world.emulator.state.webhooks().map((w) => w.secret)).toEqual([HOOK_SECRET]);
    expect(leakedBeyondTraces(up.output)).toEqual([]);
    // Pulumi's traces print its own secret config in clear too: what remains is Pulumi's, not ours.
    expect(up.output.split("\n").some((line) => PULUMI_TRACE.test(line) && line.includes(API_KEY))).toBe(true);

    const exported = await pulumi(["stack", "export", "--stack", "first"]);
    expect(exported.output).toContain("secret-inputs-gcs");
    expect(exported.output).toContain("4dabf18193072939515e22adb298388d"); // Pulumi's secret signature: the values are there, encrypted
    expect(leaked(exported.output)).toEqual([]);

    const refresh = await pulumi(["refresh", "--yes", "--skip-preview", "--stack", "first", ...verbose]);
    expect(refresh.code, refresh.output.slice(-2000)).toBe(0);
    expect(leakedBeyondTraces(refresh.output)).toEqual([]);
    expect(leaked((await pulumi(["stack", "export", "--stack", "first"])).output)).toEqual([]);

    writeProgram(programDir, programText(world.serviceAccountKey, NEW_HOOK_SECRET));
    const changed = await pulumi(["preview", "--diff", "--stack", "first"]);
    expect(changed.output).toMatch(/~ .*OrgWebhook/);
    expect(leaked(changed.output)).toEqual([]);
    const update = await pulumi(["up", "--yes", "--skip-preview", "--stack", "first", ...verbose]);
    expect(update.code, update.output.slice(-2000)).toBe(0);
    expect(world.emulator.state.webhooks().map((w) => w.secret)).toEqual([NEW_HOOK_SECRET]);
    expect(leakedBeyondTraces(update.output)).toEqual([]);
    expect(leaked((await pulumi(["stack", "export", "--stack", "first"])).output)).toEqual([]);
    // Pulumi's automatic log files, if it wrote any in its home.
    for (const file of fs.readdirSync(path.join(world.dir, "home"), { recursive: true }).map(String)) {
      const full = path.join(world.dir, "home", file);
      if (fs.statSync(full).isFile() && /log/i.test(file)) expect(leakedBeyondTraces(fs.readFileSync(full, "utf8"))).toEqual([]);
    }
  }, 300_000);

  it("adopting the org webhook another stack's notes manage fails at preview in one line, unless takeOverFrom names that stack", async () => {
    const hookId = world.emulator.state.webhooks()[0].id;
    const otherDir = makeProgramFolder(path.join(world.dir, "other-program"));
    writeProgram(otherDir, programText(world.serviceAccountKey, NEW_HOOK_SECRET, `, adoptId: ${JSON.stringify(hookId)}`));
    const other = await open("other", otherDir);
    const refused = await pulumi(["preview", "--stack", "other"], other, otherDir);
    expect(refused.code).not.toBe(0);
    // One line in the diagnostics (the progress display shows the same line as it happens).
    const diagnostics = refused.output.slice(refused.output.indexOf("Diagnostics:"));
    const lines = diagnostics.split("\n").filter((line) => line.includes("is managed by stack"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`org webhook ${hookId} is managed by stack secret-inputs/first`);
    expect(lines[0]).toContain('takeOverFrom: "secret-inputs/first"');
    expect(leaked(refused.output)).toEqual([]);

    writeProgram(otherDir, programText(world.serviceAccountKey, NEW_HOOK_SECRET, `, adoptId: ${JSON.stringify(hookId)}, takeOverFrom: "secret-inputs/first"`));
    const allowed = await pulumi(["preview", "--stack", "other"], other, otherDir);
    expect(allowed.code, allowed.output.slice(-2000)).toBe(0);
  }, 300_000);
});
