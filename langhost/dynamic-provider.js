// Pulumi's Node.js dynamic-provider host (@pulumi/pulumi/cmd/dynamic-provider), started so that
// it ends when the engine that started it goes away.
//
// Why: the engine puts every plugin in a process group of its own, so when the CLI is killed
// (kill -9, a CI job cancelled) nothing else stops the provider host, whose gRPC server would
// otherwise serve nobody forever. On a normal end the engine kills the host itself.
//
// Also faster to start: one Node.js start instead of two (npm's shim first runs
// `node -e require.resolve(...)`), and the SDK without its closure serializer (lazy-closure.js).
// Plain JavaScript on purpose: it runs without a build, like the shim it replaces.
"use strict";
const fs = require("fs");
require("./lazy-closure");

const engine = process.ppid;

/** The current parent's pid: exact on Linux (/proc), else whether the engine still answers. */
function engineGone() {
  try {
    const status = fs.readFileSync("/proc/self/status", "utf8");
    const ppid = /^PPid:\s*(\d+)/m.exec(status);
    if (ppid) return Number(ppid[1]) !== engine;
  } catch {
    // No /proc: fall through.
  }
  try {
    process.kill(engine, 0);
    return false;
  } catch (err) {
    return err.code === "ESRCH";
  }
}

setInterval(() => {
  if (engineGone()) process.exit(1);
}, 250).unref();

// Resolved from the program folder first (the engine starts plugins there), like npm's shim.
const script = require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [process.cwd(), __dirname] });
process.argv.splice(1, 1, script);
require(script);
