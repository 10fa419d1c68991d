// Preloaded (`node --require`) into the Pulumi program and the dynamic-provider host: makes
// @pulumi/pulumi load its closure serializer only when something calls it.
//
// Why: `require("@pulumi/pulumi")` loads runtime/closure eagerly, and with it TypeScript and
// npm's package tooling (arborist, pacote, tar...): about three quarters of the SDK's load time
// (e.g. 0.5-1.0 s of 0.65-1.2 s on our 2-core machines), paid by every program run and every
// provider host. Our providers never serialize a closure (providers/stub.ts writes its stub by
// hand) and the provider host only deserializes, so that code is dead weight here.
//
// How: the two modules runtime/index.js takes from there are put in require's cache as
// stand-ins whose functions load the real module on first call. If this SDK version lays its
// files out differently, nothing is replaced and everything loads as before.
// Plain JavaScript on purpose: it runs without a build.
"use strict";
const Module = require("module");
const path = require("path");
const fs = require("fs");

function sdkFolder() {
  try {
    return path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [process.cwd(), __dirname] }));
  } catch {
    return undefined;
  }
}

function deferUntilCalled(file) {
  if (!fs.existsSync(file) || require.cache[file]) return;
  let real;
  const load = () => {
    if (!real) {
      delete require.cache[file];
      real = require(file);
    }
    return real;
  };
  const standIn = new Module(file, module);
  standIn.filename = file;
  standIn.loaded = true;
  const functions = new Map();
  // Any export asked for is a function that forwards to the real module (these two modules
  // export only functions); `then` stays undefined so the stand-in is never taken for a promise.
  standIn.exports = new Proxy(
    {},
    {
      get(_, name) {
        if (name === "__esModule") return true;
        if (typeof name !== "string" || name === "then") return undefined;
        if (!functions.has(name)) functions.set(name, (...args) => load()[name](...args));
        return functions.get(name);
      },
    },
  );
  require.cache[file] = standIn;
}

const sdk = sdkFolder();
if (sdk) {
  deferUntilCalled(path.join(sdk, "runtime", "closure", "serializeClosure.js"));
  deferUntilCalled(path.join(sdk, "runtime", "closure", "codePaths.js"));
}
