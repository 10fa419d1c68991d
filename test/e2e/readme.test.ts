/**
 * README.md "Use it in your own program", run as written: its four files into an empty folder
 * next to the `npm pack` tarball, then each line of its command block in bash, in order, with the
 * real engine. What differs from a user's terminal: the ports (8787, 8788) become free ones, `npm
 * install` installs from the npm cache (tests reach no registry), and the Pulumi state goes to a
 * temporary folder (PULUMI_BACKEND_URL wins over `pulumi login --local`). The `&` lines are
 * servers: each is started as its own process (its `npx` is the process), waited for until it
 * says it listens, and stopped at the end with SIGTERM to that `npx`: the server behind it must
 * then stop too and free its port.
 */
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachHost } from "../support/languageHosts";
import { providePulumiCli, pulumiEnv, repoRoot } from "../../scripts/lib/pulumiEnv";
import { count, inventory } from "./api";
import { freePort } from "./ports";
import { installFromCache, packProject, PackedProject } from "./consumer";

const readme = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");
const section = (() => {
  const start = readme.indexOf("## Use it in your own program\n");
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end);
})();

/** The files the section shows: a paragraph "`<name>`...:" right before a fenced block. */
function filesOfSection(): Map<string, string> {
  const files = new Map<string, string>();
  for (const match of section.matchAll(/^`([\w.]+)`(?:[^`\n]|\n(?!\n)|`[^`\n]*`)*?:\n\n```\w+\n([\s\S]*?)\n```/gm)) files.set(match[1], `${match[2]}\n`);
  return files;
}

/** The command block after "Run it against the emulator". */
function commandsOfSection(): string[] {
  const from = section.indexOf("**Run it against the emulator**");
  const block = /```sh\n([\s\S]*?)\n```/.exec(section.slice(from));
  if (!block) throw new Error("no command block in the README section");
  return block[1].split("\n").filter((line) => line.trim() !== "" && !line.trim().startsWith("#"));
}

async function portFree(port: number): Promise<boolean> {
  const server = net.createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", resolve);
    });
    return true;
  } catch {
    return false;
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

interface Ran {
  code: number | null;
  output: string;
}

function bash(line: string, cwd: string, env: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((resolve) => {
    const proc = spawn("bash", ["-c", line], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    proc.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    proc.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    proc.once("exit", (code) => resolve({ code, output }));
  });
}

interface Server {
  line: string;
  proc: ChildProcess;
  output: () => string;
}

/** A `&` line: bash replaces itself with the command (`exec`), so the process is the `npx`. */
function startServer(line: string, cwd: string, env: NodeJS.ProcessEnv): Promise<Server> {
  const command = line.replace(/\s*&$/, "");
  const [, assignments, rest] = /^((?:\w+=(?:"[^"]*"|\S+)\s+)*)(.*)$/.exec(command) ?? ["", "", command];
  const proc = spawn("bash", ["-c", `${assignments}exec ${rest}`], { cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`not listening after 30 s: ${line}\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (/listening/.test(output)) {
        clearTimeout(deadline);
        resolve({ line, proc, output: () => output });
      }
    };
    proc.stdout?.on("data", onData);
    proc.stderr?.on("data", onData);
    proc.once("exit", (code) => reject(new Error(`exited (${code}) before listening: ${line}\n${output}`)));
  });
}

/**
 * The section as written (`typescript: false`, compiled with `npm run build`), and the same program
 * as `pulumi new typescript` makes it: Pulumi.yaml with `typescript: true` and no `main`, ts-node in
 * the program's devDependencies, index.ts run directly (the build line is left out); each under this
 * project's language host and under Pulumi's own.
 */
type Variant = "as written" | "as a TypeScript program (typescript: true)";

/** The section's file, changed for the TypeScript variant. */
function fileFor(variant: Variant, name: string, text: string, tsNode: string): string {
  if (variant === "as written") return text;
  if (name === "Pulumi.yaml") return text.replace(/typescript: false/, "typescript: true").replace(/^main: .*\n/m, "");
  if (name === "package.json") {
    const manifest = JSON.parse(text) as { devDependencies: Record<string, string> };
    manifest.devDependencies["ts-node"] = tsNode;
    return `${JSON.stringify(manifest, null, 2)}\n`;
  }
  return text;
}

for (const variant of ["as written", "as a TypeScript program (typescript: true)"] as const) {
  describeEachHost(`README: Use it in your own program, ${variant},`, (host) => {
    let dir: string;
    let program: string;
    let packed: PackedProject;
    let env: NodeJS.ProcessEnv;
    let ports: { emulator: number; receiver: number };
    const servers: Server[] = [];
    const transcript: string[] = [];

    beforeAll(async () => {
      const binDir = providePulumiCli(repoRoot, host);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "polytomic-readme-"));
      program = path.join(dir, "my-pipeline");
      fs.mkdirSync(program);
      packed = packProject(repoRoot, dir);
      const base = pulumiEnv({ binDir, root: dir, backendDir: path.join(dir, "backend"), pulumiHome: path.join(dir, "home") });
      for (const name of ["POLYTOMIC_PROVIDER_RUNTIME", "POLYTOMIC_URL", "POLYTOMIC_API_KEY", "PULUMI_CONFIG_PASSPHRASE", "RECEIVER_RECORDS_SECRET"]) delete base[name];
      env = { ...base, npm_config_offline: "true", npm_config_update_notifier: "false" };
      ports = { emulator: await freePort(), receiver: await freePort() };
    }, 300_000);

    afterAll(() => {
      for (const server of servers) {
        // Anything still running from a failed step: the process group each server was started in.
        if (server.proc.pid && server.proc.exitCode === null) {
          try {
            process.kill(-server.proc.pid, "SIGKILL");
          } catch {
            // already gone
          }
        }
      }
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("shows a whole program: Pulumi.yaml, package.json, tsconfig.json and index.ts naming the packed tarball", () => {
      const files = filesOfSection();
      expect([...files.keys()].sort()).toEqual(["Pulumi.yaml", "index.ts", "package.json", "tsconfig.json"]);
      const manifest = JSON.parse(files.get("package.json")!) as { dependencies: Record<string, string> };
      expect(manifest.dependencies[packed.manifest.name]).toBe(`file:../${path.basename(packed.tarball)}`);
      // The program brings the SDK (a peer dependency of the package): the version this project tests with.
      expect(manifest.dependencies["@pulumi/pulumi"]).toBe(packed.manifest.devDependencies["@pulumi/pulumi"]);
      const tsNode = packed.manifest.devDependencies["ts-node"];
      for (const [name, text] of files) fs.writeFileSync(path.join(program, name), fileFor(variant, name, text, tsNode));
      if (variant !== "as written") expect(fs.readFileSync(path.join(program, "Pulumi.yaml"), "utf8")).toMatch(/typescript: true/);
    });

    it("runs every command of the section, in order, up to destroy", async () => {
      const lines = commandsOfSection();
      expect(lines[0]).toBe("npm install");
      expect(lines.at(-1)).toBe("pulumi destroy --yes");
      let emulatorUrl = "";
      for (const written of lines) {
        const line = written.replaceAll("8787", String(ports.emulator)).replaceAll("8788", String(ports.receiver));
        transcript.push(`$ ${line}`);
        if (line === "npm install") {
          await installFromCache(program, packed, JSON.parse(fs.readFileSync(path.join(repoRoot, "package-lock.json"), "utf8")));
          continue;
        }
        if (line === "npm run build" && variant !== "as written") {
          transcript.push("(left out: Pulumi runs index.ts itself through the program's ts-node)");
          continue;
        }
        const exported = /^export (\w+)=(\S+)$/.exec(line);
        if (exported) {
          env[exported[1]] = exported[2];
          continue;
        }
        if (line.endsWith("&")) {
          const server = await startServer(line, program, env);
          servers.push(server);
          const url = /emulator listening on (http:\/\/\S+)/.exec(server.output());
          if (url) emulatorUrl = url[1];
          continue;
        }
        const ran = await bash(line, program, env);
        transcript.push(ran.output);
        expect(ran.code, `${line}\n${transcript.join("\n")}`).toBe(0);

        if (line.startsWith("npx polytomic-emulator --service-account-key")) {
          expect(JSON.parse(fs.readFileSync(path.join(program, "key.json"), "utf8"))).toMatchObject({ type: "service_account" });
        }
        if (line === "pulumi up --yes") {
          expect(count(await inventory(emulatorUrl, "polytomic-emulator-local-key"))).toEqual({ connections: 2, models: 1, syncs: 1, webhooks: 0 });
        }
        if (line.startsWith("npx polytomic-sync")) expect(ran.output).toMatch(/completed in [\d.]+ s: \d+ records, 0 errors/);
        if (line.startsWith("pulumi destroy")) {
          expect(count(await inventory(emulatorUrl, "polytomic-emulator-local-key"))).toEqual({ connections: 0, models: 0, syncs: 0, webhooks: 0 });
        }
      }
      expect(servers.map((s) => s.line.split(" ").find((w) => w.startsWith("polytomic-")))).toEqual(["polytomic-emulator", "polytomic-receiver"]);
      // The TypeScript program ran from its .ts source: nothing was compiled to bin/.
      if (variant !== "as written") expect(fs.existsSync(path.join(program, "bin"))).toBe(false);
    }, 600_000);

    it("the receiver verified and stored every record the sync delivered, one line each in received/records.jsonl", () => {
      const rows = fs.readFileSync(path.join(repoRoot, "data", "high_paying_users.csv"), "utf8").trim().split("\n").length - 1;
      const stored = fs.readFileSync(path.join(program, "received", "records.jsonl"), "utf8").trim().split("\n");
      expect(rows).toBeGreaterThan(0);
      expect(stored).toHaveLength(rows);
    });

    it("SIGTERM to a server's npx stops the server behind it and frees its port", async () => {
      for (const server of servers) {
        const exited = new Promise<void>((resolve) => server.proc.once("exit", () => resolve()));
        server.proc.kill("SIGTERM");
        await exited;
      }
      for (const port of [ports.emulator, ports.receiver]) {
        let free = false;
        for (let i = 0; i < 40 && !free; i++) {
          free = await portFree(port);
          if (!free) await new Promise((resolve) => setTimeout(resolve, 250));
        }
        expect(free, `port ${port} still taken 10 s after its npx was stopped`).toBe(true);
      }
    }, 60_000);
  });
}
