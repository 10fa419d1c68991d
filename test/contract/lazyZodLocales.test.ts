/**
 * contract/lazyZodLocales.ts: the package's entry points leave zod's 64 locale modules unloaded
 * until asked for, and zod answers as before (its English messages, `z.locales`). Each case runs
 * in a fresh Node.js process on the compiled package.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../scripts/lib/pulumiEnv";

function run(script: string): Record<string, unknown> {
  const ran = spawnSync(process.execPath, ["-e", script], { cwd: repoRoot, encoding: "utf8" });
  expect(ran.stderr).toBe("");
  return JSON.parse(ran.stdout.trim().split("\n").pop()!) as Record<string, unknown>;
}

const localeModules = `Object.keys(require.cache).filter((f) => /[\\\\/]zod[\\\\/]v4[\\\\/]locales[\\\\/]/.test(f)).map((f) => path.basename(f)).filter((f) => f !== "index.cjs")`;

describe("zod's locales, loaded when asked for", () => {
  for (const entry of ["dist/lib.js", "dist/providers/runtime/index.js"]) {
    it(`${entry} loads only the English locale, and zod's messages and z.locales work as before`, () => {
      const result = run(`const path = require("path");
require(${JSON.stringify(path.join(repoRoot, entry))});
const before = ${localeModules};
const { z } = require("zod");
const message = z.object({ a: z.string().min(2) }).safeParse({ a: "x" }).error.issues[0].message;
const german = typeof z.locales.de;
const count = Object.keys(z.locales).length;
console.log(JSON.stringify({ before, message, german, count, after: ${localeModules}.length }));`);
      expect(result.before).toEqual(["en.cjs"]);
      expect(result.message).toBe("Too small: expected string to have >=2 characters");
      expect(result.german).toBe("function");
      expect(result.count).toBeGreaterThan(40);
      expect(result.after).toBeGreaterThan(40);
    });
  }

  it("without the stand-in zod loads every locale (what the stand-in saves)", () => {
    const result = run(`const path = require("path"); require("zod"); console.log(JSON.stringify({ count: ${localeModules}.length }));`);
    expect(result.count).toBeGreaterThan(40);
  });

  it("leaves zod alone when it was loaded before the package", () => {
    const result = run(`const path = require("path");
const { z } = require("zod");
require(${JSON.stringify(path.join(repoRoot, "dist", "lib.js"))});
console.log(JSON.stringify({ same: require("zod").z === z, count: ${localeModules}.length }));`);
    expect(result).toEqual({ same: true, count: expect.any(Number) });
    expect(result.count as number).toBeGreaterThan(40);
  });
});
