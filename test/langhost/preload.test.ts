/**
 * langhost/preload.js, what our language host preloads into every program: the SDK's internal,
 * message-less stack traces are left unmapped (they cost ~0.6 s per 100 resources), while an
 * error with a message still points at the TypeScript source.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repo = path.resolve(__dirname, "..", "..");
const preload = path.join(repo, "langhost", "preload.js");

describe("the program preload", () => {
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "preload-"));
    // A compiled module with its source map, as tsc writes dist/: the traces are taken on line 4 of the .ts.
    const source = ["export function traces() {", "  // two lines that the compiled file does not keep", "", "  return { withMessage: new Error(\"boom\").stack, internal: new Error().stack };", "}", ""].join("\n");
    const out = ts.transpileModule(source, { fileName: "thrower.ts", compilerOptions: { module: ts.ModuleKind.CommonJS, sourceMap: true, removeComments: true } });
    fs.writeFileSync(path.join(dir, "thrower.js"), `${out.outputText.replace(/\/\/# sourceMappingURL=.*$/m, "")}\n//# sourceMappingURL=thrower.js.map\n`);
    fs.writeFileSync(path.join(dir, "thrower.js.map"), out.sourceMapText!);
    fs.writeFileSync(path.join(dir, "thrower.ts"), source);
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** What @pulumi/pulumi/cmd/run does first, then the traces, run from the repository (its node_modules). */
  function tracesUnder(args: string[]): { withMessage: string; internal: string } {
    const script = `require("source-map-support/register"); process.stdout.write(JSON.stringify(require(${JSON.stringify(path.join(dir, "thrower.js"))}).traces()));`;
    return JSON.parse(execFileSync(process.execPath, [...args, "-e", script], { cwd: repo, encoding: "utf8" }));
  }

  it("maps an error with a message to the .ts line, as source-map-support alone does", () => {
    const plain = tracesUnder([]);
    const preloaded = tracesUnder(["--require", preload]);
    expect(plain.withMessage).toMatch(/thrower\.ts:4:/);
    expect(preloaded.withMessage.split("\n")[1]).toBe(plain.withMessage.split("\n")[1]);
  });

  it("leaves the SDK's message-less traces unmapped, in V8's own format", () => {
    const plain = tracesUnder([]);
    const preloaded = tracesUnder(["--require", preload]);
    expect(plain.internal).toMatch(/thrower\.ts:4:/);
    expect(preloaded.internal.split("\n")[0]).toBe("Error");
    expect(preloaded.internal.split("\n")[1]).toMatch(/^ {4}at (?:Object\.)?traces \(.*thrower\.js:\d+:\d+\)$/);
    expect(preloaded.internal).not.toMatch(/thrower\.ts/);
  });
});
