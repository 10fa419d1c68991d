// Preloaded into every Node.js process a profiled Pulumi run starts (NODE_OPTIONS=--require, set
// by bench/profile.ts): when the process started, how long each package's modules took to load
// (their own time, children excluded), and marks (the SDK loaded, the program or provider code
// reached, exit), written as one JSON file per process into POLYTOMIC_PROFILE_DIR.
// Plain JavaScript on purpose: it runs before anything is compiled, in processes of any host.
"use strict";
const fs = require("fs");
const path = require("path");
const Module = require("module");
const { performance } = require("perf_hooks");

const outDir = process.env.POLYTOMIC_PROFILE_DIR;
const startedAt = performance.timeOrigin; // epoch ms when this process started
const hookAt = performance.now(); // ms from process start to here: Node.js's own start
const own = new Map(); // package -> ms of its modules' own load time
const marks = {};
const stack = [];

function packageOf(file) {
  const i = file.lastIndexOf("node_modules" + path.sep);
  if (i < 0) return file.includes(`${path.sep}dist${path.sep}`) ? "polytomic-pulumi (dist)" : "(program and other files)";
  const parts = file.slice(i + 13).split(path.sep);
  return parts[0].startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
}

let pending;
function mark(name) {
  if (!(name in marks)) {
    marks[name] = performance.now();
    save();
  }
}

for (const ext of [".js", ".json"]) {
  const load = Module._extensions[ext];
  Module._extensions[ext] = function (module, filename) {
    const started = performance.now();
    stack.push(0);
    try {
      return load.call(this, module, filename);
    } finally {
      const took = performance.now() - started;
      const children = stack.pop();
      if (stack.length) stack[stack.length - 1] += took;
      const pkg = packageOf(filename);
      own.set(pkg, (own.get(pkg) || 0) + took - children);
      if (filename.endsWith(`${path.sep}@pulumi${path.sep}pulumi${path.sep}index.js`)) mark("sdkLoaded");
      if (filename.endsWith(`${path.sep}providers${path.sep}runtime${path.sep}index.js`)) mark("providerRuntimeLoaded");
      if ((!filename.includes("node_modules") || filename.includes("polytomic-pulumi")) && /(^|\/)dist\/(lib|index)\.js$/.test(filename)) mark(`${path.basename(filename)}Loaded`);
      // The engine may end a provider host with SIGKILL (no exit event): the record is also
      // written shortly after the last module load.
      if (outDir && !stack.length) {
        clearTimeout(pending);
        pending = setTimeout(save, 50);
        pending.unref();
      }
    }
  };
}

function role() {
  const script = process.argv[1] || "";
  if (script.includes(`cmd${path.sep}run`)) return "program";
  if (script.includes("dynamic-provider")) return "provider host";
  if (!script) return "node -e (shim's require.resolve)";
  return path.basename(script);
}

function save() {
  if (!outDir) return;
  const modules = Object.fromEntries([...own].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round(v)]));
  const record = { pid: process.pid, ppid: process.ppid, role: role(), traceparent: Boolean(process.env.TRACEPARENT), argv: process.argv.slice(1, 2), startedAt, nodeStartMs: Math.round(hookAt), marks: Object.fromEntries(Object.entries(marks).map(([k, v]) => [k, Math.round(v)])), modules };
  try {
    fs.writeFileSync(path.join(outDir, `node-${process.pid}.json`), JSON.stringify(record));
  } catch {
    // The profile is best effort: never fail the process being measured.
  }
}

if (outDir) process.on("exit", () => mark("exit"));

// PROFILE_PROVIDER_CPU=1: a CPU profile of the provider host (the shim gives no way to pass
// --cpu-prof), through the inspector, written when the engine stops the host (SIGINT to its
// process group) into POLYTOMIC_PROFILE_DIR.
if (outDir && process.env.PROFILE_PROVIDER_CPU === "1" && role() === "provider host") {
  const inspector = require("inspector");
  const session = new inspector.Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.start");
  process.once("SIGINT", () => {
    session.post("Profiler.stop", (err, result) => {
      if (!err) fs.writeFileSync(path.join(outDir, `provider-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
      process.exit(0);
    });
  });
}
