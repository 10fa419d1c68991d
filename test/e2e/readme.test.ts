/**
 * README.md "Use it in your own program", run as written (test/e2e/docSection.ts): its four files
 * into an empty folder beside the `npm pack` tarball and the checkout (`../polytomic-pulumi`, a
 * link to this repository), then each line of its command block in bash, in order, with the real
 * engine. The Pulumi CLI is not on the test's PATH: the section's first line puts it there. What
 * differs from a user's terminal: the ports (8787, 8788) become free ones, `npm install` installs
 * from the npm cache (tests reach no registry), and the Pulumi state goes to a temporary folder
 * (PULUMI_BACKEND_URL wins over `pulumi login --local`). The `&` lines are servers, stopped at
 * the end with SIGTERM to their `npx`: the server behind it must then stop too and free its port.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../scripts/lib/pulumiEnv";
import { count, inventory } from "./api";
import { bash, commandsOf, DocProgram, docProgram, filesOf, portFree, sectionOf, stopServers } from "./docSection";

const section = sectionOf("README.md", "Use it in your own program");
const lockfile = JSON.parse(fs.readFileSync(path.join(repoRoot, "package-lock.json"), "utf8"));

describe("README: Use it in your own program, as written", () => {
  let world: DocProgram;

  beforeAll(async () => {
    world = await docProgram("my-pipeline");
  }, 300_000);

  afterAll(() => world?.close());

  it("shows a whole program: Pulumi.yaml, package.json, tsconfig.json (skipLibCheck) and index.ts naming the packed tarball", () => {
    const files = filesOf(section);
    expect([...files.keys()].sort()).toEqual(["Pulumi.yaml", "index.ts", "package.json", "tsconfig.json"]);
    const manifest = JSON.parse(files.get("package.json")!) as { dependencies: Record<string, string> };
    expect(manifest.dependencies[world.packed.manifest.name]).toBe(`file:../${path.basename(world.packed.tarball)}`);
    // A version the npm cache holds (this project's lockfile), so the test installs it offline.
    expect(manifest.dependencies["@pulumi/pulumi"]).toBe(lockfile.packages["node_modules/@pulumi/pulumi"].version);
    expect(JSON.parse(files.get("tsconfig.json")!).compilerOptions.skipLibCheck).toBe(true);
    for (const [name, text] of files) fs.writeFileSync(path.join(world.program, name), text);
  });

  it("runs every command of the section, in order, from getting the CLI up to destroy", async () => {
    const lines = commandsOf(section, "**Run it against the emulator**");
    expect(lines[0]).toMatch(/^export PATH=.*npm --prefix \.\.\/polytomic-pulumi run --silent pulumi-cli/);
    expect(lines.at(-1)).toBe("pulumi destroy --yes");
    const noPulumi = await bash("command -v pulumi", world.program, world.env);
    expect(noPulumi.code, "a pulumi on the test's PATH would hide the section's CLI step").not.toBe(0);
    await world.run(lines, async (line, ran) => {
      if (line.startsWith("npx polytomic-emulator --service-account-key")) {
        expect(JSON.parse(fs.readFileSync(path.join(world.program, "key.json"), "utf8"))).toMatchObject({ type: "service_account" });
      }
      if (line === "pulumi up --yes") {
        expect(count(await inventory(world.emulatorUrl(), "polytomic-emulator-local-key"))).toEqual({ connections: 2, models: 1, syncs: 1, webhooks: 0 });
      }
      if (line.startsWith("npx polytomic-sync")) expect(ran.output).toMatch(/completed in [\d.]+ s: \d+ records, 0 errors/);
      if (line.startsWith("pulumi destroy")) {
        expect(count(await inventory(world.emulatorUrl(), "polytomic-emulator-local-key"))).toEqual({ connections: 0, models: 0, syncs: 0, webhooks: 0 });
      }
    });
    expect(world.env.PATH?.split(path.delimiter)[0]).toMatch(/\.pulumi-cli/);
    expect(world.servers.map((s) => s.line.split(" ").find((w) => w.startsWith("polytomic-")))).toEqual(["polytomic-emulator", "polytomic-receiver"]);
  }, 600_000);

  it("the receiver verified and stored every record the sync delivered, one line each in received/records.jsonl", () => {
    const rows = fs.readFileSync(path.join(repoRoot, "data", "high_paying_users.csv"), "utf8").trim().split("\n").length - 1;
    const stored = fs.readFileSync(path.join(world.program, "received", "records.jsonl"), "utf8").trim().split("\n");
    expect(rows).toBeGreaterThan(0);
    expect(stored).toHaveLength(rows);
  });

  it("SIGTERM to a server's npx stops the server behind it and frees its port", async () => {
    await stopServers(world.servers);
    for (const port of [world.ports.emulator, world.ports.receiver]) {
      let free = false;
      for (let i = 0; i < 40 && !free; i++) {
        free = await portFree(port);
        if (!free) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(free, `port ${port} still taken 10 s after its npx was stopped`).toBe(true);
    }
  }, 60_000);
});
