/**
 * `@pulumi/gcp` is an optional peer dependency (docs/dependencies.md): the package must load and
 * work without it, and a program that asks for Google Cloud resources without it is told, in one
 * line, what to install. Each case runs in a Node.js process of its own where `@pulumi/gcp` cannot
 * be resolved (a resolver hook refuses it, as if it were not installed), on the compiled package.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../scripts/lib/pulumiEnv";

let dir: string;

/** Runs `script` with `@pulumi/gcp` absent from resolution; prints JSON on its last line. */
function withoutGcp(script: string): { status: number | null; stdout: string; stderr: string } {
  const hook = path.join(dir, "no-gcp.js");
  const file = path.join(dir, `case-${Math.random().toString(36).slice(2)}.js`);
  fs.writeFileSync(file, script);
  const run = spawnSync(process.execPath, ["--require", hook, file], { cwd: repoRoot, encoding: "utf8", env: { ...process.env, PULUMI_SKIP_CHECKPOINTS: "" } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "polytomic-no-gcp-"));
  fs.writeFileSync(
    path.join(dir, "no-gcp.js"),
    `const Module = require("module");
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === "@pulumi/gcp" || request.startsWith("@pulumi/gcp/")) {
    const err = new Error("Cannot find module '" + request + "'");
    err.code = "MODULE_NOT_FOUND";
    throw err;
  }
  return resolve.call(this, request, ...rest);
};
`,
  );
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("the package without @pulumi/gcp installed", () => {
  it("the hook really hides it", () => {
    const run = withoutGcp(`try { require("@pulumi/gcp"); console.log("loaded"); } catch (e) { console.log(e.code); }`);
    expect(run.stdout.trim()).toBe("MODULE_NOT_FOUND");
  });

  it("the package's type declarations never import @pulumi/gcp (a program without it type-checks)", () => {
    const dist = path.join(repoRoot, "dist");
    const declarations = fs.readdirSync(dist, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".d.ts") && !/^(test|bench|scripts)\//.test(f));
    expect(declarations.length).toBeGreaterThan(10);
    expect(declarations.filter((f) => /["']@pulumi\/gcp["']/.test(fs.readFileSync(path.join(dist, f), "utf8")))).toEqual([]);
  });

  it("loads the package root, and loading it never loads @pulumi/gcp", () => {
    const run = withoutGcp(
      `const lib = require(${JSON.stringify(path.join(repoRoot, "dist", "lib.js"))});
const gcp = Object.keys(require.cache).filter((f) => f.includes("@pulumi/gcp"));
console.log(JSON.stringify({ exports: ["GcsToWebhook", "ModelSync", "Connection", "Model", "OrgWebhook"].filter((n) => typeof lib[n] === "function"), gcp }));`,
    );
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout.trim().split("\n").pop()!)).toEqual({ exports: ["GcsToWebhook", "ModelSync", "Connection", "Model", "OrgWebhook"], gcp: [] });
  });

  const sdk = JSON.stringify(require.resolve("@pulumi/pulumi", { paths: [repoRoot] }));
  const underMocks = (args: string) => `const pulumi = require(${sdk});
pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name + "-id", state: a.inputs }), call: () => ({}) }, "project", "stack", true).then(async () => {
  const { GcsToWebhook } = require(${JSON.stringify(path.join(repoRoot, "dist", "lib.js"))});
  try {
    new GcsToWebhook("p", ${args});
    console.log(JSON.stringify({ made: true }));
  } catch (err) {
    console.log(JSON.stringify({ error: err.message }));
  }
});`;

  it("a pipeline on an existing bucket is declared without it", () => {
    const run = withoutGcp(underMocks(`{ existing: { bucketName: "b", serviceAccountKey: "{}" }, receiverUrl: "https://h.example.com/r" }`));
    expect(JSON.parse(run.stdout.trim().split("\n").pop()!)).toEqual({ made: true });
  });

  it("gcpMode create without it fails in one line that names the package and the command to install it", () => {
    const csv = path.join(repoRoot, "data", "high_paying_users.csv");
    const run = withoutGcp(underMocks(`{ create: { location: "EU", project: "p", csvPath: ${JSON.stringify(csv)} }, receiverUrl: "https://h.example.com/r" }`));
    const { error } = JSON.parse(run.stdout.trim().split("\n").pop()!) as { error: string };
    expect(error.split("\n")).toHaveLength(1);
    expect(error).toContain("@pulumi/gcp");
    expect(error).toContain("npm install @pulumi/gcp@^9");
  });
});
