/**
 * `npm run bench:profile`: where the time of a Pulumi run goes, under Pulumi's own language host
 * and under this project's, for `up` from empty (a create) and a no-op `preview`, at 1, 10 and 100
 * syncs (BENCH_SIZES, PROFILE_HOSTS=pulumi,project). The findings are in bench/PROFILE.md.
 *
 * How: the same stacks and commands as `npm run bench` (bench/stacks.ts), each profiled run with
 * - every Node.js process preloading bench/profileHook.js (NODE_OPTIONS=--require): when it
 *   started, Node.js's own start, the load time of each package's modules, marks (SDK loaded,
 *   the package loaded, the provider runtime loaded, exit);
 * - the engine's log at -v=7 (`--logtostderr --logflow`, JSON lines timed to the microsecond):
 *   the language host's About and Run, the stack's and the first custom resource's registration,
 *   the provider host's handshake, Configure, the first and last provider call, the program's
 *   end, the checkpoint, the end;
 * - the emulator's request count and the wall time of the command.
 * - the provider host's CPU with `PROFILE_PROVIDER_CPU=1` (the hook starts the inspector's
 *   profiler and writes the profile when the engine stops the host with SIGINT).
 * The hook and the logging add their own cost: read the shares, not the absolute times; the
 * plain times are `npm run bench`'s. The logs are read and deleted (at -v=7 they hold no
 * property values, but nothing of them is kept).
 * Results: a summary per run on stdout, and bench/results/profile.json.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cliArgs, providePulumiCli, repoRoot } from "../scripts/lib/pulumiEnv";
import { chosenLanguageHost, type LanguageHost, pulumiHostMissing } from "../scripts/lib/languageHost";
import { runPulumi } from "../scripts/lib/runPulumi";
import { openBenchStack, startBenchEmulator } from "./stacks";
import { backendKind, openBenchBackend } from "./stateBackend";

const SIZES = (process.env.BENCH_SIZES ?? "1,10,100").split(",").map(Number);
const HOOK = path.join(repoRoot, "bench", "profileHook.js");

interface NodeRecord {
  pid: number;
  ppid: number;
  role: string;
  startedAt: number;
  nodeStartMs: number;
  marks: Record<string, number>;
  modules: Record<string, number>;
}

/** One engine event: ms since the CLI was started, and what. */
interface EngineEvent {
  at: number;
  what: string;
}

interface Profile {
  host: LanguageHost;
  syncs: number;
  operation: string;
  seconds: number;
  requests: number;
  engine: EngineEvent[];
  processes: (Omit<NodeRecord, "startedAt"> & { startedMs: number })[];
  /** With PROFILE_CPU=1: the program's CPU profile (`nodeargs: --cpu-prof`), self ms by package. */
  programCpu?: Record<string, number>;
  /** With PROFILE_PROVIDER_CPU=1: the provider host's CPU profile (the inspector, from the hook), self ms by package. */
  providerCpu?: Record<string, number>;
}

/** One engine log line at -v=7 (`--logtostderr`): `{"time":"<RFC 3339>","level":...,"msg":"..."}`, maybe after progress text. */
function logLine(line: string): { at: number; msg: string } | undefined {
  const m = /\{"time":"([^"]+)","level":"\w+","msg":"(.*)$/.exec(line);
  if (!m) return undefined;
  const at = Date.parse(m[1].replace(/(\.\d{3})\d*Z$/, "$1Z"));
  return Number.isNaN(at) ? undefined : { at, msg: m[2] };
}

/** The engine's steps worth a line: the first occurrence of each, or the last for `last`. */
const ENGINE_EVENTS: { name: string; pattern: RegExp; last?: boolean }[] = [
  { name: "engine's first log line", pattern: /^/ },
  { name: "language host 1: About() sent", pattern: /^langhost\[nodejs\]\.About\(\) executing/ },
  { name: "language host 1: About() answered", pattern: /^langhost\[nodejs\]\.About\(\) success/ },
  { name: "language host 2: GetRequiredPackages() sent", pattern: /^langhost\[nodejs\]\.GetRequiredPackages\(/ },
  { name: "language host 2: Run() sent", pattern: /^langhost\[nodejs\]\.Run\(/ },
  { name: "stack registered (program's node up, cmd/run loaded)", pattern: /^ResourceMonitor\.RegisterResource received: t=pulumi:pulumi:Stack/ },
  { name: "program registers its first custom resource (provider host launch begins)", pattern: /^handling default provider request for package pulumi-nodejs/ },
  { name: "provider host answered (handshake)", pattern: /^Handshake: not supported by .*pulumi-resource-pulumi-nodejs|^Provider\[[^\]]+\]\.GetPluginInfo\(\) success/ },
  { name: "provider Configure() sent", pattern: /^Provider\[[^\]]+\]\.Configure\(/ },
  { name: "first provider call (Check)", pattern: /^Provider\[[^\]]+\]\.Check\(urn/ },
  { name: "last resource registered", pattern: /^ResourceMonitor\.RegisterResource received/, last: true },
  { name: "last provider call", pattern: /^Provider\[[^\]]+\]\.(Check|Diff|Create|Update|Delete|Read)\(urn/, last: true },
  { name: "stack outputs registered (program done)", pattern: /^ResourceMonitor\.RegisterResourceOutputs received: urn=[^,]*pulumi:pulumi:Stack/ },
  { name: "checkpoint saved", pattern: /^Saved stack .* checkpoint/, last: true },
  { name: "engine's last log line", pattern: /^/, last: true },
];

function engineEvents(logFile: string, cliStart: number): EngineEvent[] {
  const found = new Map<string, number>();
  for (const raw of fs.readFileSync(logFile, "utf8").split("\n")) {
    const line = logLine(raw);
    if (!line) continue;
    for (const event of ENGINE_EVENTS) {
      if ((event.last || !found.has(event.name)) && event.pattern.test(line.msg)) found.set(event.name, line.at - cliStart);
    }
  }
  return ENGINE_EVENTS.filter((e) => found.has(e.name))
    .map((e) => ({ at: Math.round(found.get(e.name)!), what: e.name }))
    .sort((a, b) => a.at - b.at);
}

/** A V8 CPU profile (`node --cpu-prof`) as self time by package, ms, largest first. */
function cpuByPackage(file: string): Record<string, number> {
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as {
    nodes: { id: number; callFrame: { url: string; functionName: string } }[];
    samples: number[];
    timeDeltas: number[];
  };
  const where = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const frame = where.get(id);
    const url = frame?.url ?? "";
    let key: string;
    if (!url) key = frame?.functionName ? `(${frame.functionName.replace(/^\(|\)$/g, "")})` : "(native)";
    else if (url.startsWith("node:")) key = "(node internals)";
    else {
      const i = url.lastIndexOf("node_modules/");
      if (i < 0) key = url.includes("/dist/") ? "polytomic-pulumi (dist)" : "(program)";
      else {
        const parts = url.slice(i + 13).split("/");
        key = parts[0].startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
      }
    }
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return Object.fromEntries([...totals].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round(v)]));
}

function nodeRecords(dir: string, cliStart: number): Profile["processes"] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.startsWith("node-"))
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as NodeRecord)
    .map(({ startedAt, ...r }) => ({ ...r, startedMs: Math.round(startedAt - cliStart) }))
    .sort((a, b) => a.startedMs - b.startedMs);
}

/**
 * Has the language host start the program with `--cpu-prof` into `dir` (Pulumi.yaml's
 * `runtime.options.nodeargs`, which both hosts pass to node; NODE_OPTIONS refuses --cpu-prof).
 */
function withCpuProfile(programDir: string, dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(programDir, "Pulumi.yaml");
  const text = fs.readFileSync(file, "utf8").replace(/^    nodeargs: .*\n/m, "");
  fs.writeFileSync(file, text.replace(/^  options:\n/m, `  options:\n    nodeargs: --cpu-prof --cpu-prof-dir=${dir}\n`));
}

/** `pulumi <args>` as the bench runs it, with the hook in every Node.js process and the engine's log in `dir`. */
async function profiled(args: string[], stackName: string, programDir: string, env: Record<string, string>, dir: string): Promise<{ seconds: number; cliStart: number; log: string }> {
  fs.mkdirSync(dir, { recursive: true });
  const log = path.join(dir, "engine.log");
  const out = fs.openSync(log, "w");
  const full = [...cliArgs([...args, "--stack", stackName]), "-v=7", "--logtostderr", "--logflow"];
  const childEnv = { ...env, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ""} --require ${HOOK}`.trim(), POLYTOMIC_PROFILE_DIR: dir };
  const cliStart = Date.now();
  const started = process.hrtime.bigint();
  const status = await new Promise<number>((resolve, reject) => {
    const child = spawn("pulumi", full, { cwd: programDir, env: childEnv, stdio: ["ignore", out, out] });
    child.on("error", reject);
    child.on("close", (code) => resolve(code ?? 1));
  });
  fs.closeSync(out);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (status !== 0) throw new Error(`pulumi ${full.join(" ")} failed (${status}):\n${fs.readFileSync(log, "utf8").split("\n").filter((l) => /error/i.test(l)).slice(-20).join("\n")}`);
  return { seconds, cliStart, log };
}

function summary(p: Profile): string {
  const lines = [`\n## ${p.host === "pulumi" ? "Pulumi's host" : "our host"}, ${p.syncs} syncs, ${p.operation}: ${p.seconds.toFixed(2)} s, ${p.requests} requests`];
  lines.push("engine (ms since the CLI started):");
  for (const e of p.engine) lines.push(`  ${String(e.at).padStart(6)}  ${e.what}`);
  lines.push("Node.js processes (started at, Node's own start, marks, exit; top packages by own load time):");
  for (const r of p.processes) {
    const marks = Object.entries(r.marks).map(([k, v]) => `${k} +${v}`).join(", ");
    const top = Object.entries(r.modules).slice(0, 8).map(([k, v]) => `${k} ${v}`).join(", ");
    const total = Object.values(r.modules).reduce((a, b) => a + b, 0);
    lines.push(`  ${String(r.startedMs).padStart(6)}  ${r.role} (pid ${r.pid}): node start ${r.nodeStartMs} ms; ${marks}; modules ${total} ms: ${top}`);
  }
  if (p.providerCpu) lines.push(`provider host CPU profile, self ms by package: ${Object.entries(p.providerCpu).slice(0, 12).map(([k, v]) => `${k} ${v}`).join(", ")}`);
  if (p.programCpu) lines.push(`program CPU profile, self ms by package: ${Object.entries(p.programCpu).slice(0, 12).map(([k, v]) => `${k} ${v}`).join(", ")}`);
  return lines.join("\n");
}

async function main(): Promise<void> {
  const hosts = (process.env.PROFILE_HOSTS ?? "pulumi,project").split(",") as LanguageHost[];
  const kind = backendKind();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "polytomic-profile-"));
  const backend = await openBenchBackend(kind, dir);
  const profiles: Profile[] = [];
  try {
    for (const host of hosts) {
      if (host === "pulumi" && pulumiHostMissing(repoRoot)) {
        console.error(`skipped Pulumi's host: ${pulumiHostMissing(repoRoot)}`);
        continue;
      }
      chosenLanguageHost(repoRoot, host, { POLYTOMIC_LANGUAGE_HOST: host });
      const binDir = providePulumiCli(repoRoot, host);
      for (const syncs of SIZES) {
        const emulator = await startBenchEmulator();
        try {
          const opened = await openBenchStack(syncs, binDir, path.join(dir, host), backend, emulator.url);
          for (const [operation, args] of [["up (from empty)", ["up", "--yes"]], ["preview (no-op)", ["preview"]]] as const) {
            emulator.resetStats();
            const runDir = path.join(dir, host, `${syncs}-${args[0]}`);
            if (process.env.PROFILE_CPU === "1") withCpuProfile(opened.programDir, runDir);
            const run = await profiled([...args], opened.stackName, opened.programDir, opened.env, runDir);
            const cpuFiles = fs.readdirSync(runDir).filter((f) => f.endsWith(".cpuprofile") && !f.startsWith("provider-"));
            const providerCpuFiles = fs.readdirSync(runDir).filter((f) => f.startsWith("provider-") && f.endsWith(".cpuprofile"));
            const providerCpu = providerCpuFiles.length ? cpuByPackage(path.join(runDir, providerCpuFiles[0])) : undefined;
            if (process.env.PROFILE_KEEP_LOGS && providerCpuFiles.length) fs.copyFileSync(path.join(runDir, providerCpuFiles[0]), path.join(process.env.PROFILE_KEEP_LOGS, `${host}-${syncs}-${args[0]}-provider.cpuprofile`));
            const programCpu = cpuFiles.length ? cpuByPackage(path.join(runDir, cpuFiles[0])) : undefined;
            if (process.env.PROFILE_KEEP_LOGS && cpuFiles.length) fs.copyFileSync(path.join(runDir, cpuFiles[0]), path.join(process.env.PROFILE_KEEP_LOGS, `${host}-${syncs}-${args[0]}.cpuprofile`));
            const profile: Profile = { host, syncs, operation, seconds: run.seconds, requests: emulator.stats().total, engine: engineEvents(run.log, run.cliStart), processes: nodeRecords(runDir, run.cliStart), programCpu, providerCpu };
            if (process.env.PROFILE_KEEP_LOGS) fs.copyFileSync(run.log, path.join(process.env.PROFILE_KEEP_LOGS, `${host}-${syncs}-${args[0]}.log`));
            fs.rmSync(run.log);
            profiles.push(profile);
            console.log(summary(profile));
          }
          const destroy = await runPulumi(["destroy", "--yes", "--stack", opened.stackName], { cwd: opened.programDir, env: opened.env, echo: false });
          if (destroy.status !== 0) throw new Error(`destroy failed:\n${destroy.output}`);
        } finally {
          await emulator.stop();
        }
      }
    }
  } finally {
    await backend.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const outDir = path.join(repoRoot, "bench", "results");
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, "profile.json"), JSON.stringify({ date: new Date().toISOString(), loadavg: os.loadavg(), profiles }, null, 2) + "\n");
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : String(err));
  process.exit(1);
});
