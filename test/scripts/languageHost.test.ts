/**
 * scripts/lib/languageHost.ts: where Pulumi's own Node.js language host is found, which host a
 * run uses, and the folder that puts the CLI beside Pulumi's host and shim (links, never copies).
 * Fake binaries in temporary folders: nothing here runs Pulumi.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chosenLanguageHost, pulumiHostBinDir, pulumiHostDir, pulumiHostMissing } from "../../scripts/lib/languageHost";

let dir: string;

function fakeFile(file: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, "#!/bin/sh\n", { mode: 0o755 });
  return file;
}

/**
 * An empty shared-tools folder in the test's own folder: the nearest one wins, so a real
 * `shared/tools` above the system's temporary folder cannot answer for these cases.
 */
function noSharedHost(): void {
  fs.mkdirSync(path.join(dir, "shared", "tools", "pulumi-language-nodejs", "bin"), { recursive: true });
}

function fakeHost(folder: string): string {
  for (const name of ["pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"]) fakeFile(path.join(folder, name));
  return folder;
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "polytomic-langhost-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("finding Pulumi's own language host", () => {
  it("takes POLYTOMIC_PULUMI_HOST_DIR, and refuses one without the host in one line naming the setting", () => {
    const host = fakeHost(path.join(dir, "host"));
    expect(pulumiHostDir(path.join(dir, "repo"), { POLYTOMIC_PULUMI_HOST_DIR: host, PATH: "" })).toBe(host);
    expect(() => pulumiHostDir(path.join(dir, "repo"), { POLYTOMIC_PULUMI_HOST_DIR: path.join(dir, "empty"), PATH: "" })).toThrow(/^POLYTOMIC_PULUMI_HOST_DIR=.* holds no pulumi-language-nodejs and pulumi-resource-pulumi-nodejs: point it at/);
  });

  it("finds the shared tools beside the checkout or beside a folder above it (a worktree)", () => {
    const shared = fakeHost(path.join(dir, "shared", "tools", "pulumi-language-nodejs", "bin"));
    const worktree = path.join(dir, "wt", "perf");
    fs.mkdirSync(worktree, { recursive: true });
    expect(pulumiHostDir(worktree, { PATH: "" })).toBe(shared);
    expect(pulumiHostDir(path.join(dir, "main"), { PATH: "" })).toBe(shared);
  });

  it("takes the folder of an official pulumi on PATH, but not this project's own build", () => {
    noSharedHost();
    const official = fakeHost(path.join(dir, "official"));
    fakeFile(path.join(official, "pulumi"));
    const ours = fakeHost(path.join(dir, "ours"));
    fakeFile(path.join(ours, "pulumi"));
    fs.writeFileSync(path.join(ours, ".langhost-hash"), "x");
    const repo = path.join(dir, "repo");
    expect(pulumiHostDir(repo, { PATH: official })).toBe(official);
    expect(pulumiHostDir(repo, { PATH: ours })).toBeUndefined();
    expect(pulumiHostMissing(repo, { PATH: ours })).toMatch(/^Pulumi's own Node.js language host is not on this machine/);
  });
});

describe("choosing the host", () => {
  it("follows POLYTOMIC_LANGUAGE_HOST, else the default; pulumi-if-present falls back to ours", () => {
    const repo = path.join(dir, "repo");
    noSharedHost();
    expect(chosenLanguageHost(repo, "project", { POLYTOMIC_LANGUAGE_HOST: "pulumi" })).toBe("pulumi");
    expect(chosenLanguageHost(repo, "pulumi-if-present", { POLYTOMIC_LANGUAGE_HOST: "project" })).toBe("project");
    expect(chosenLanguageHost(repo, "pulumi-if-present", { PATH: "" })).toBe("project");
    fakeHost(path.join(dir, "shared", "tools", "pulumi-language-nodejs", "bin"));
    expect(chosenLanguageHost(repo, "pulumi-if-present", { PATH: "" })).toBe("pulumi");
    expect(() => chosenLanguageHost(repo, "project", { POLYTOMIC_LANGUAGE_HOST: "node" })).toThrow(/^POLYTOMIC_LANGUAGE_HOST=node: must be "pulumi" .* or "project"/);
  });
});

describe("the folder that runs the CLI with Pulumi's host", () => {
  it("holds a hard link of the CLI and links to the host and the shim, and is remade only when stale", () => {
    const host = fakeHost(path.join(dir, "host"));
    const cli = fakeFile(path.join(dir, "cli", "pulumi"));
    const repo = path.join(dir, "repo");
    const env = { POLYTOMIC_PULUMI_HOST_DIR: host, PATH: "" };
    const bin = pulumiHostBinDir(repo, cli, env);
    expect(bin).toBe(path.join(repo, ".pulumi-cli", "pulumi-host", "bin"));
    expect(fs.statSync(path.join(bin, "pulumi")).ino).toBe(fs.statSync(cli).ino);
    for (const name of ["pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"]) expect(fs.readlinkSync(path.join(bin, name))).toBe(path.join(host, name));
    const marker = path.join(bin, "kept");
    fs.writeFileSync(marker, "");
    expect(pulumiHostBinDir(repo, cli, env)).toBe(bin);
    expect(fs.existsSync(marker)).toBe(true);
    const otherHost = fakeHost(path.join(dir, "other-host"));
    pulumiHostBinDir(repo, cli, { POLYTOMIC_PULUMI_HOST_DIR: otherHost, PATH: "" });
    expect(fs.existsSync(marker)).toBe(false);
    expect(fs.readlinkSync(path.join(bin, "pulumi-language-nodejs"))).toBe(path.join(otherHost, "pulumi-language-nodejs"));
  });
});
