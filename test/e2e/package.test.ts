/**
 * The npm package as a platform team uses it (issue 13): `npm pack`, a fresh TypeScript Pulumi
 * program in a temporary folder that depends only on the tarball, the emulator and receiver
 * started from the package's `bin`, then `pulumi up`, a no-op `preview`, a sync run with the
 * packaged `polytomic-sync`, and `destroy`, with the real engine. Nothing of this repository is on
 * the program's paths: the providers must find their runtime from the installed package.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachHost } from "../support/languageHosts";
import { generateServiceAccountKey } from "../../emulator";
import { providePulumiCli, pulumiEnv, repoRoot } from "../../scripts/lib/pulumiEnv";
import { count, inventory } from "./api";
import { freePort } from "./ports";
import { createConsumer, packProject, PackedProject } from "./consumer";

const API_KEY = "package-e2e-api-key-5150";
const PASSPHRASE = "package-e2e-passphrase";

interface Started {
  proc: ChildProcess;
  output: () => string;
  /** SIGTERM, then the exit code. */
  stop: () => Promise<number | null>;
}

/** Starts a packaged command and waits until its output matches `ready`. */
function startBin(file: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<Started & { match: RegExpExecArray }> {
  const proc = spawn(file, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const stop = () =>
    new Promise<number | null>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve(proc.exitCode);
      proc.once("exit", (code) => resolve(code));
      proc.kill("SIGTERM");
    });
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`${path.basename(file)} not ready after 20 s:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const match = ready.exec(output);
      if (match) {
        clearTimeout(deadline);
        resolve({ proc, match, output: () => output, stop });
      }
    };
    proc.stdout?.on("data", onData);
    proc.stderr?.on("data", onData);
    proc.once("exit", (code) => reject(new Error(`${path.basename(file)} exited (${code}) before it was ready:\n${output}`)));
  });
}

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(file: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<Ran> {
  try {
    const { stdout, stderr } = await promisify(execFile)(file, args, { ...opts, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof e.code !== "number") throw err;
    return { code: e.code, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

describeEachHost("the npm package in a program of its own", (host) => {
  let dir: string;
  let program: string;
  let packed: PackedProject;
  let env: NodeJS.ProcessEnv;
  let emulator: Started & { match: RegExpExecArray };
  let emulatorUrl: string;
  let serviceAccountKey: string;
  let receiverPort: number;
  const bin = (name: string) => path.join(program, "node_modules", ".bin", name);
  const pulumi = (...args: string[]) => run("pulumi", args, { cwd: program, env });
  const admin = async (method: string, route: string): Promise<unknown> => {
    const res = await fetch(`${emulatorUrl}/__emulator${route}`, { method, headers: { Authorization: `Bearer ${API_KEY}` } });
    if (!res.ok) throw new Error(`${method} ${route}: HTTP ${res.status}`);
    return res.json();
  };

  beforeAll(async () => {
    const binDir = providePulumiCli(repoRoot, host);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "polytomic-package-"));
    program = path.join(dir, "consumer");
    packed = packProject(repoRoot, dir);
    await createConsumer(program, packed, JSON.parse(fs.readFileSync(path.join(repoRoot, "package-lock.json"), "utf8")));

    // The user's environment: no variable pointing at this repository or at the runtime.
    const base = pulumiEnv({ binDir, root: dir, backendDir: path.join(dir, "backend"), pulumiHome: path.join(dir, "home"), passphrase: PASSPHRASE });
    delete base.POLYTOMIC_PROVIDER_RUNTIME;
    delete base.POLYTOMIC_URL;
    delete base.POLYTOMIC_API_KEY;
    env = base;

    emulator = await startBin(bin("polytomic-emulator"), ["--port", "0", "--memory", "--schema-ready-delay-ms", "0"], { ...env, POLYTOMIC_API_KEY: API_KEY }, /emulator listening on (http:\/\/\S+)/);
    emulatorUrl = emulator.match[1];
    serviceAccountKey = generateServiceAccountKey({ projectId: "package-e2e" });
    receiverPort = await freePort();
  }, 600_000);

  afterAll(async () => {
    await emulator?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("packs the library, its declarations with TSDoc, the runtime and the commands, and nothing else", () => {
    const files = new Set(packed.files);
    const { manifest } = packed;
    const exportsMap = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")).exports as Record<string, string | Record<string, string>>;
    const targets = Object.values(exportsMap).flatMap((t) => (typeof t === "string" ? [t] : Object.values(t)));
    for (const target of [...targets, ...Object.values(manifest.bin)]) expect(files, target).toContain(target.replace(/^\.\//, ""));
    expect(files).toContain("data/high_paying_users.csv");
    // @pulumi/gcp is an optional peer dependency: this program declares nothing of Google Cloud and has none.
    expect(fs.existsSync(path.join(program, "node_modules", "@pulumi", "gcp"))).toBe(false);
    expect([...files].filter((f) => /(^|\/)(test|bench)\/|\.map$|\.ts$/.test(f) && !f.endsWith(".d.ts"))).toEqual([]);
    expect(files).not.toContain("dist/index.js"); // the project's own program is not part of the library
    expect([...files].filter((f) => f.startsWith("dist/scripts/"))).toEqual([]); // the development harness is not shipped

    const installed = path.join(program, "node_modules", manifest.name, "dist");
    const connectionTypes = fs.readFileSync(path.join(installed, "providers", "connection.d.ts"), "utf8");
    expect(connectionTypes).toMatch(/\/\*\*[^/]*Display name in Polytomic\.[^/]*\*\/\s*name: pulumi\.Input<string>;/);
    expect(fs.readFileSync(path.join(installed, "components", "gcsToWebhook.d.ts"), "utf8")).toContain("export interface GcsToWebhookArgs");
  });

  it("loads every entry point from the installed package, and the client, receiver and emulator work as libraries", async () => {
    const script = `const root = require("polytomic-pulumi");
console.log(JSON.stringify({
  resources: ["Connection", "Model", "ModelSync", "OrgWebhook", "GcsToWebhook"].filter((n) => typeof root[n] === "function"),
  runtime: require.resolve("polytomic-pulumi/providers/runtime"),
}));`;
    const out = await run(process.execPath, ["-e", script], { cwd: program, env });
    expect(out.stderr).toBe("");
    expect(JSON.parse(out.stdout)).toEqual({
      resources: ["Connection", "Model", "ModelSync", "OrgWebhook", "GcsToWebhook"],
      runtime: path.join(fs.realpathSync(program), "node_modules", "polytomic-pulumi", "dist", "providers", "runtime", "index.js"),
    });

    // tools.ts uses the subpath entry points; compiled with the classic resolution (typesVersions).
    const tsc = path.join(program, "node_modules", "typescript", "bin", "tsc");
    const flags = ["--strict", "--esModuleInterop", "--module", "commonjs", "--moduleResolution", "node", "--target", "es2020", "--outDir", "tools-bin"];
    const compiled = await run(process.execPath, [tsc, ...flags, "tools.ts"], { cwd: program, env });
    expect(compiled, compiled.stdout).toMatchObject({ code: 0 });
    const tools = await run(process.execPath, ["-e", `require("./tools-bin/tools").whoAmI().then((line) => console.log(line))`], { cwd: program, env });
    expect(tools.stdout.trim()).toMatch(/^emulator@polytomic\.local -> http:\/\/127\.0\.0\.1:\d+\/records$/);
  }, 120_000);

  it("every command prints --help, and refuses bad arguments on one line without echoing them", async () => {
    const names = Object.keys(packed.manifest.bin).sort();
    expect(names).toEqual(["polytomic-emulator", "polytomic-export", "polytomic-receiver", "polytomic-sync"]);
    const secretLike = "sk-typed-without-its-option-0042";
    for (const name of names) {
      const help = await run("npx", ["--offline", name, "--help"], { cwd: program, env });
      expect(help, name).toMatchObject({ code: 0 });
      expect(help.stdout, name).toMatch(new RegExp(`^usage: ${name} `));

      const unknown = await run("npx", ["--offline", name, "--no-such-option"], { cwd: program, env });
      expect(unknown.code, name).toBe(2);
      expect(unknown.stderr.trim(), name).toBe(`${name}: Unknown option '--no-such-option' (see ${name} --help)`);
      expect(unknown.stdout, name).toBe("");

      const stray = await run("npx", ["--offline", name, "--port", "1", secretLike, "extra"], { cwd: program, env });
      expect(stray.code, name).toBe(2);
      expect(stray.stderr.trim().split("\n"), name).toHaveLength(1);
      expect(`${stray.stdout}${stray.stderr}`, name).not.toContain(secretLike);
    }
  }, 120_000);

  it("pulumi up creates the component's objects and the extra ModelSync, finding the runtime in the package", async () => {
    expect(await pulumi("stack", "init", "dev")).toMatchObject({ code: 0 });
    const config: [string, string, boolean][] = [
      ["polytomic:url", emulatorUrl, false],
      ["polytomic:apiKey", API_KEY, true],
      ["bucketName", "polytomic-demo", false],
      ["serviceAccountKey", serviceAccountKey, true],
      ["receiverUrl", `http://127.0.0.1:${receiverPort}/records`, false],
    ];
    for (const [key, value, secret] of config) {
      const set = await pulumi("config", "set", ...(secret ? ["--secret"] : []), key, "--", value);
      expect(set.code, `${key}: ${set.stderr}`).toBe(0);
    }
    const up = await pulumi("up", "--yes", "--non-interactive");
    expect(up.code, `${up.stdout}\n${up.stderr}`).toBe(0);

    const inv = await inventory(emulatorUrl, API_KEY);
    expect(count(inv)).toEqual({ connections: 2, models: 1, syncs: 2, webhooks: 0 });
    expect(inv.syncs.map((s) => s.name).sort()).toEqual(["contacts-emails-only", "contacts-sync"]);

    // What the engine stored: the stub naming the package, no folder of this machine, no secret.
    const exported = await pulumi("stack", "export");
    expect(exported.code).toBe(0);
    const state = exported.stdout;
    const providerTexts = (JSON.parse(state).deployment.resources as { inputs?: { __provider?: string } }[])
      .map((r) => r.inputs?.__provider)
      .filter((text): text is string => typeof text === "string");
    // Five Polytomic objects and the state's idempotency salt.
    expect(providerTexts).toHaveLength(6);
    for (const text of providerTexts) {
      expect(text).toContain("polytomic-pulumi/providers/runtime");
      expect(text).not.toContain(dir);
      expect(text).not.toContain(repoRoot);
    }
    expect(state).not.toContain(API_KEY);
    expect(state).not.toContain(JSON.parse(serviceAccountKey).private_key_id);
  }, 300_000);

  it("a second preview changes nothing and calls no API endpoint but the credential check", async () => {
    await admin("POST", "/stats/reset");
    const preview = await pulumi("preview", "--expect-no-changes", "--non-interactive");
    expect(preview.code, `${preview.stdout}\n${preview.stderr}`).toBe(0);
    const stats = (await admin("GET", "/stats")) as { routes: Record<string, number> };
    const others = Object.entries(stats.routes).filter(([route]) => route !== "GET /api/me");
    expect(others).toEqual([]);
  }, 300_000);

  it("polytomic-sync runs the component's sync from the program folder into the packaged receiver", async () => {
    const secret = await pulumi("stack", "output", "webhookSecret", "--show-secrets");
    expect(secret.code).toBe(0);
    const receiver = await startBin(
      bin("polytomic-receiver"),
      ["--port", String(receiverPort)],
      { ...env, RECEIVER_RECORDS_SECRET: secret.stdout.trim() },
      /\[receiver\] listening/,
    );
    let sync: Ran;
    try {
      sync = await run(bin("polytomic-sync"), ["sync", "--timeout", "120"], { cwd: program, env });
    } finally {
      expect(await receiver.stop()).toBe(0);
    }
    expect(sync.code, `${sync.stdout}\n${sync.stderr}`).toBe(0);
    expect(sync.stdout).toMatch(/completed in [\d.]+ s: \d+ records, 0 errors/);
    const rows = fs.readFileSync(path.join(repoRoot, "data", "high_paying_users.csv"), "utf8").trim().split("\n").length - 1;
    const summary = JSON.parse(/\[receiver\] stopped: (\{.*\})/.exec(receiver.output())?.[1] ?? "{}") as { records?: number };
    expect(summary.records).toBe(rows);
    for (const text of [sync.stdout, sync.stderr, receiver.output()]) {
      expect(text).not.toContain(secret.stdout.trim());
      expect(text).not.toContain(API_KEY);
    }
  }, 300_000);

  it("pulumi destroy removes everything it made", async () => {
    const destroy = await pulumi("destroy", "--yes", "--non-interactive");
    expect(destroy.code, `${destroy.stdout}\n${destroy.stderr}`).toBe(0);
    expect(count(await inventory(emulatorUrl, API_KEY))).toEqual({ connections: 0, models: 0, syncs: 0, webhooks: 0 });
  }, 300_000);
});
