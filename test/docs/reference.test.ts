/**
 * docs/reference/ (the resources' inputs and outputs, generated from the TSDoc by TypeDoc with
 * `npm run docs:reference`) is kept in the repository: this fails when it is not what the sources
 * generate now, naming the files that differ and the command that brings them up to date.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");
const committed = path.join(root, "docs", "reference");
const fresh = fs.mkdtempSync(path.join(os.tmpdir(), "reference-"));

afterAll(() => fs.rmSync(fresh, { recursive: true, force: true }));

/** Every file under `dir`, relative, with its text. */
function tree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of fs.readdirSync(dir, { recursive: true }).map(String).sort()) {
    const full = path.join(dir, entry);
    if (fs.statSync(full).isFile()) files.set(entry, fs.readFileSync(full, "utf8"));
  }
  return files;
}

it("docs/reference is what TypeDoc makes of the sources now (else: npm run docs:reference)", async () => {
  const typedoc = path.join(root, "node_modules", "typedoc", "bin", "typedoc");
  // Not execFileSync: TypeDoc takes over a minute with the 226 connection classes, and a worker blocked
  // that long misses vitest's own RPC deadline (an unhandled "Timeout calling onTaskUpdate").
  await promisify(execFile)(process.execPath, [typedoc, "--out", fresh, "--logLevel", "Error"], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  const want = tree(fresh);
  const have = fs.existsSync(committed) ? tree(committed) : new Map<string, string>();
  const differing = [...new Set([...want.keys(), ...have.keys()])].filter((file) => want.get(file) !== have.get(file));
  expect(differing, "docs/reference is out of date: run npm run docs:reference and commit it").toEqual([]);
  // The reference lists what a Pulumi user looks for.
  expect(want.get("classes/GcsToWebhook.md")).toContain("webhookSecret");
  expect(want.get("interfaces/ModelSyncArgs.md")).toContain("### mode");
  expect(want.get("classes/PostgresqlConnection.md")).toContain("PostgresqlConfigurationArgs");
}, 400_000);
