/**
 * Runs a section of the README or of a docs/ page as written: its files (a paragraph
 * "`<name>`...:" right before a fenced block) and the lines of a `sh` block, each in bash, in
 * order. What differs from a user's terminal is only what the caller rewrites in a line (the
 * ports) and what it handles itself (`npm install` from the npm cache). An `export NAME=...` line
 * is evaluated by bash and its value kept for the next lines, as a `cd <dir>` line keeps its folder
 * (a terminal's shell keeps both); a line ending in `&` is a server,
 * started as its own process group (bash `exec`s the command, so the process is the `npx`),
 * waited for until it says it listens, and stopped by its pid.
 */
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { providePulumiCli, pulumiEnv, repoRoot } from "../../scripts/lib/pulumiEnv";
import { installFromCache, packProject, PackedProject } from "./consumer";
import { freePort } from "./ports";

/** The text of `## <heading>` (or `# <heading>`) in `file` (relative to the repository), up to the next heading of its level. */
export function sectionOf(file: string, heading: string): string {
  const text = fs.readFileSync(path.join(repoRoot, file), "utf8");
  const match = new RegExp(`^(#+) ${heading.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\n`, "m").exec(text);
  if (!match) throw new Error(`${file} has no heading "${heading}"`);
  const level = match[1];
  const rest = text.slice(match.index + match[0].length);
  const next = new RegExp(`^#{1,${level.length}} `, "m").exec(rest);
  return match[0] + (next ? rest.slice(0, next.index) : rest);
}

/** The files a section shows: a paragraph "`<name>`...:" right before a fenced block. */
export function filesOf(section: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const match of section.matchAll(/^`([\w.]+)`(?:[^`\n]|\n(?!\n)|`[^`\n]*`)*?:\n\n```\w+\n([\s\S]*?)\n```/gm)) files.set(match[1], `${match[2]}\n`);
  return files;
}

/** The lines of the first `sh` block after `marker` (every `sh` block when no marker), comments and blank lines left out. */
export function commandsOf(section: string, marker?: string): string[] {
  const from = marker === undefined ? 0 : section.indexOf(marker);
  if (from < 0) throw new Error(`no "${marker}" in the section`);
  const block = /```sh\n([\s\S]*?)\n```/.exec(section.slice(from));
  if (!block) throw new Error(`no command block after "${marker}"`);
  return block[1].split("\n").filter((line) => line.trim() !== "" && !line.trim().startsWith("#"));
}

export interface Ran {
  code: number | null;
  output: string;
  stdout: string;
}

/** One line in bash, in `cwd`, with `env`; stdout and stderr kept together in `output`. */
export function bash(line: string, cwd: string, env: NodeJS.ProcessEnv, input = ""): Promise<Ran> {
  return new Promise((resolve) => {
    const proc = spawn("bash", ["-c", line], { cwd, env, stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    let stdout = "";
    proc.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
      stdout += chunk.toString("utf8");
    });
    proc.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    // A line that never reads its input may be gone before the write: its closed pipe is no failure.
    proc.stdin.on("error", () => undefined);
    proc.stdin.end(input);
    // A command that cannot start (no bash on PATH) is a failed line, not a crash of the test.
    proc.once("error", (err) => resolve({ code: 127, output: `${output}${err.message}\n`, stdout }));
    proc.once("close", (code) => resolve({ code, output, stdout }));
  });
}

export interface Server {
  line: string;
  proc: ChildProcess;
  output: () => string;
}

/** A `&` line: bash replaces itself with the command (`exec`), so the process is the `npx`. */
export function startServer(line: string, cwd: string, env: NodeJS.ProcessEnv): Promise<Server> {
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

/** Kills what is left of each server's process group (after a failed step). */
export function killServers(servers: Server[]): void {
  for (const server of servers) {
    if (server.proc.pid && server.proc.exitCode === null) {
      try {
        process.kill(-server.proc.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  }
}

/** SIGTERM to each server's `npx`, waiting for it to exit. */
export async function stopServers(servers: Server[]): Promise<void> {
  for (const server of servers) {
    if (server.proc.exitCode !== null) continue;
    const exited = new Promise<void>((resolve) => server.proc.once("exit", () => resolve()));
    server.proc.kill("SIGTERM");
    await exited;
  }
}

export async function portFree(port: number): Promise<boolean> {
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

export interface RunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Rewrites a line before it runs (the ports); identity by default. */
  rewrite?: (line: string) => string;
  /** Lines the test runs itself (`npm install` from the cache): return true when handled. */
  handle?: (line: string) => boolean | Promise<boolean>;
  /** Checks after a line ran with exit code 0. */
  after?: (line: string, ran: Ran) => void | Promise<void>;
  /** What a user types when a line prompts (a secret's value), if anything. */
  input?: (line: string) => string | undefined;
  servers: Server[];
  transcript: string[];
}

/** Runs `lines` in order; each must exit 0. A `cd` line moves `opts.cwd` for the lines after it. */
export async function runLines(lines: string[], opts: RunOptions): Promise<void> {
  for (const written of lines) {
    const line = opts.rewrite ? opts.rewrite(written) : written;
    opts.transcript.push(`$ ${line}`);
    if (opts.handle && (await opts.handle(line))) continue;
    const cd = /^cd (\S+)$/.exec(line);
    if (cd) {
      opts.cwd = path.resolve(opts.cwd, cd[1]);
      if (!fs.statSync(opts.cwd, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`${line}: no such folder\n${opts.transcript.join("\n")}`);
      continue;
    }
    const exported = /^export (\w+)=(.*)$/.exec(line);
    if (exported) {
      // On a line of its own: a comment at the end of the doc's line ends there.
      const ran = await bash(`set -e\n${line}\nprintf '%s' "$${exported[1]}"`, opts.cwd, opts.env);
      if (ran.code !== 0) throw new Error(`${line} failed:\n${ran.output}\n${opts.transcript.join("\n")}`);
      opts.env[exported[1]] = ran.stdout;
      continue;
    }
    if (line.endsWith("&")) {
      opts.servers.push(await startServer(line, opts.cwd, opts.env));
      continue;
    }
    const ran = await bash(line, opts.cwd, opts.env, opts.input?.(line));
    opts.transcript.push(ran.output);
    if (ran.code !== 0) throw new Error(`exit ${ran.code}: ${line}\n${opts.transcript.join("\n")}`);
    await opts.after?.(line, ran);
  }
}

/**
 * The folders the README's own-program path starts from, in a temporary folder: the checkout
 * (`polytomic-pulumi/`, a link to this repository), the packed tarball beside it, and an empty
 * program folder. `env` is the user's: no Pulumi CLI on PATH (the section's first line puts it
 * there), no Polytomic variables, the state in a folder of its own; npm stays offline.
 */
export interface DocProgram {
  dir: string;
  program: string;
  packed: PackedProject;
  env: NodeJS.ProcessEnv;
  ports: { emulator: number; receiver: number };
  servers: Server[];
  transcript: string[];
  /** The URL the first server started by the lines (the emulator) listens on. */
  emulatorUrl(): string;
  /** Runs `lines` with the default ports replaced by free ones and `npm install` from the npm cache. */
  run(lines: string[], after?: RunOptions["after"]): Promise<void>;
  /** Stops the servers and removes the folder. */
  close(): Promise<void>;
}

/** This project's package-lock.json: the versions a doc's `npm install` gets from the npm cache. */
export const projectLockfile = () => JSON.parse(fs.readFileSync(path.join(repoRoot, "package-lock.json"), "utf8"));

/**
 * A user's environment for a doc's lines, its Pulumi folders under `dir`: no Pulumi CLI on PATH (a
 * doc line puts it there), no Polytomic variables or passphrase, the state in `dir/backend`
 * (PULUMI_BACKEND_URL wins over `pulumi login --local`), npm offline.
 */
export function userEnv(dir: string): NodeJS.ProcessEnv {
  const base = pulumiEnv({ binDir: "", root: dir, backendDir: path.join(dir, "backend"), pulumiHome: path.join(dir, "home") });
  for (const variable of ["POLYTOMIC_PROVIDER_RUNTIME", "POLYTOMIC_URL", "POLYTOMIC_API_KEY", "PULUMI_CONFIG_PASSPHRASE", "RECEIVER_RECORDS_SECRET", "EMULATOR_PORT", "RECEIVER_PORT"]) delete base[variable];
  return { ...base, PATH: process.env.PATH ?? "", npm_config_offline: "true", npm_config_update_notifier: "false" };
}

export async function docProgram(name: string): Promise<DocProgram> {
  providePulumiCli(); // made once by the global setup: this only finds it
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `polytomic-${name}-`));
  const program = path.join(dir, name);
  fs.mkdirSync(program);
  fs.symlinkSync(repoRoot, path.join(dir, "polytomic-pulumi"));
  const packed = packProject(repoRoot, dir);
  const lockfile = projectLockfile();
  const env = userEnv(dir);
  const ports = { emulator: await freePort(), receiver: await freePort() };
  const servers: Server[] = [];
  const transcript: string[] = [];
  return {
    dir,
    program,
    packed,
    env,
    ports,
    servers,
    transcript,
    emulatorUrl: () => /emulator listening on (http:\/\/\S+)/.exec(servers[0]?.output() ?? "")?.[1] ?? "",
    run: (lines, after) =>
      runLines(lines, {
        cwd: program,
        env,
        servers,
        transcript,
        rewrite: (line) => line.replaceAll("8787", String(ports.emulator)).replaceAll("8788", String(ports.receiver)),
        handle: async (line) => {
          if (line !== "npm install") return false;
          await installFromCache(program, packed, lockfile);
          return true;
        },
        after,
      }),
    close: async () => {
      killServers(servers);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
