/**
 * What Pulumi stores as `__provider`: a small stub per kind that finds the compiled runtime the
 * way the dynamic-provider host will, forwards every method with its kind, holds no credential,
 * and is far smaller than what Pulumi's closure serializer makes of the same provider.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { serializeFunction } from "@pulumi/pulumi/runtime";
import { ProviderKind, providers, stubText } from "../../providers/stub";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stub-test-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A fake runtime module that records each call it gets, tagged with where it was loaded from. */
function fakeRuntime(file: string, tag: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const methods = ["configure", "check", "diff", "create", "read", "update", "remove"];
  fs.writeFileSync(
    file,
    `globalThis.__stubCalls = globalThis.__stubCalls || [];\n` +
      methods.map((m) => `exports.${m} = (...args) => { globalThis.__stubCalls.push([${JSON.stringify(tag)}, "${m}", ...args]); return "${m}-result"; };`).join("\n"),
  );
  return file;
}

/**
 * Loads a stub text as the dynamic-provider host does (a CommonJS module, then handler()), with a
 * `require` that finds the installed package at `installedAt`, or not at all.
 */
function load(text: string, fakeProcess: { env: Record<string, string | undefined>; cwd(): string }, installedAt?: string) {
  const module = { exports: {} as { handler(): Record<string, (...args: unknown[]) => unknown> } };
  const resolve = (id: string) => {
    if (!id.startsWith("polytomic-pulumi/")) return require.resolve(id);
    if (installedAt) return installedAt;
    throw Object.assign(new Error(`Cannot find module '${id}'`), { code: "MODULE_NOT_FOUND" });
  };
  const fakeRequire = Object.assign((id: string) => require(resolve(id)), { resolve });
  new Function("exports", "require", "process", text)(module.exports, fakeRequire, fakeProcess);
  return module.exports.handler();
}

const calls = () => (globalThis as unknown as { __stubCalls: unknown[][] }).__stubCalls.splice(0);

describe("provider stubs", () => {
  it("forward every method with their kind to the runtime named by POLYTOMIC_PROVIDER_RUNTIME", () => {
    const runtime = fakeRuntime(path.join(dir, "env", "runtime.js"), "env");
    for (const kind of Object.keys(providers) as ProviderKind[]) {
      const provider = load(stubText(kind), { env: { POLYTOMIC_PROVIDER_RUNTIME: runtime }, cwd: () => "/nonexistent" });
      expect(provider.create({ a: 1 })).toBe("create-result");
      provider.configure({ config: 1 });
      provider.check({ o: 1 }, { n: 1 });
      provider.diff("id", { o: 1 }, { n: 1 });
      provider.read("id", { p: 1 });
      provider.update("id", { o: 1 }, { n: 1 });
      provider.delete("id", { p: 1 });
      expect(calls()).toEqual([
        ["env", "create", kind, { a: 1 }],
        ["env", "configure", { config: 1 }],
        ["env", "check", kind, { o: 1 }, { n: 1 }],
        ["env", "diff", kind, "id", { o: 1 }, { n: 1 }],
        ["env", "read", kind, "id", { p: 1 }],
        ["env", "update", kind, "id", { o: 1 }, { n: 1 }],
        ["env", "remove", kind, "id", { p: 1 }],
      ]);
    }
  });

  it("find the installed package first, else the compiled runtime from the program folder (dist/) or the project folder", () => {
    const installed = fakeRuntime(path.join(dir, "node_modules", "polytomic-pulumi", "providers", "runtime", "index.js"), "installed");
    const project = path.join(dir, "project");
    fakeRuntime(path.join(project, "dist", "providers", "runtime", "index.js"), "from-project");
    load(stubText("model"), { env: {}, cwd: () => project }, installed).read("m0", {});
    load(stubText("model"), { env: {}, cwd: () => project }).read("m1", {});
    // The host runs in dist/ itself: providers/runtime/index.js is then right below it.
    load(stubText("model"), { env: {}, cwd: () => path.join(project, "dist") }).read("m2", {});
    expect(calls()).toEqual([
      ["installed", "read", "model", "m0", {}],
      ["from-project", "read", "model", "m1", {}],
      ["from-project", "read", "model", "m2", {}],
    ]);
  });

  it("are small, capture no credential and differ only by their kind", async () => {
    process.env.POLYTOMIC_API_KEY = "must-not-be-captured-123";
    const texts = (Object.keys(providers) as ProviderKind[]).map((kind) => [kind, stubText(kind)] as const);
    for (const [kind, text] of texts) {
      expect(text.length).toBeLessThan(700);
      expect(text).not.toContain("must-not-be-captured-123");
      expect(text).toContain(`"${kind}"`);
    }
    expect(new Set(texts.map(([kind, text]) => text.split(`"${kind}"`).join('"KIND"'))).size).toBe(1);
    // What Pulumi's closure serializer makes of an equivalent provider object, for scale.
    const runtime = () => require(process.env.POLYTOMIC_PROVIDER_RUNTIME!);
    const closure = {
      configure: (q: unknown) => runtime().configure(q),
      check: (o: unknown, n: unknown) => runtime().check("model", o, n),
      diff: (i: unknown, o: unknown, n: unknown) => runtime().diff("model", i, o, n),
      create: (p: unknown) => runtime().create("model", p),
      read: (i: unknown, p: unknown) => runtime().read("model", i, p),
      update: (i: unknown, o: unknown, n: unknown) => runtime().update("model", i, o, n),
      delete: (i: unknown, p: unknown) => runtime().remove("model", i, p),
    };
    const serialized = await serializeFunction(() => closure, { allowSecrets: false });
    expect(stubText("model").length * 3).toBeLessThan(serialized.text.length);
  });
});
