// Preloaded (`node --require`) into the Pulumi program by our language host: keeps the mapped
// TypeScript positions in the stack traces people read, without mapping the ones nobody reads.
//
// Why: @pulumi/pulumi/cmd/run installs source-map-support, whose Error.prepareStackTrace maps
// every frame of every stack trace through the source maps. The SDK itself takes two traces per
// resource, both from a message-less `new Error()`: Resource.stackTrace (with
// Error.stackTraceLimit = Infinity) and debuggablePromise's _debugStackTrace. In a 100-sync
// preview that mapping was about 0.55 s of the program's 2.2 s of CPU, and 0.6 s of wall time.
//
// How: a stand-in for `source-map-support/register` (what cmd/run requires) installs
// source-map-support as before, then sends message-less plain Errors, the SDK's captures, to
// V8's own format (same text, unmapped). Every error with a message is mapped as before.
//
// Cost: the source position the SDK records for each resource points at dist/*.js instead of
// the .ts file. If source-map-support cannot be found, nothing is replaced.
// Plain JavaScript on purpose: it runs without a build.
"use strict";
const Module = require("module");

function resolveFromProgram(request) {
  try {
    return require.resolve(request, { paths: [process.cwd(), __dirname] });
  } catch {
    return undefined;
  }
}

/** V8's default text for a stack: "Error", then one "    at <frame>" line per frame. */
function unmapped(error, frames) {
  return `${error}${frames.map((frame) => `\n    at ${frame}`).join("")}`;
}

function installWithCheapInternalTraces(supportFile) {
  require(supportFile).install();
  const mapped = Error.prepareStackTrace;
  if (typeof mapped !== "function") return;
  Error.prepareStackTrace = (error, frames) =>
    error instanceof Error && error.constructor === Error && error.message === "" ? unmapped(error, frames) : mapped(error, frames);
}

const register = resolveFromProgram("source-map-support/register");
const support = resolveFromProgram("source-map-support");
if (register && support && !require.cache[register]) {
  const standIn = new Module(register, module);
  standIn.filename = register;
  standIn.loaded = true;
  standIn.exports = {};
  require.cache[register] = standIn;
  installWithCheapInternalTraces(support);
}
