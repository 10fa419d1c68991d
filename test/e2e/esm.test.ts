/**
 * docs/esm.md, run as written (test/e2e/docSection.ts): the README's program as an ES module
 * (`"type": "module"`, TypeScript with `module: nodenext`), from an empty folder beside the packed
 * tarball and the checkout, through `up`, a preview with no change and `destroy`, with the real
 * engine. As in the README's test, only the ports change and `npm install` comes from the npm cache.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, inventory } from "./api";
import { commandsOf, DocProgram, docProgram, filesOf, sectionOf } from "./docSection";

describe("docs/esm.md: the own program as an ES module, as written", () => {
  let world: DocProgram;

  beforeAll(async () => {
    world = await docProgram("my-esm-pipeline");
  }, 300_000);

  afterAll(() => world?.close());

  it("shows an ES module program: type module, module nodenext", () => {
    const files = filesOf(sectionOf("docs/esm.md", "The program"));
    expect([...files.keys()].sort()).toEqual(["Pulumi.yaml", "index.ts", "package.json", "tsconfig.json"]);
    const manifest = JSON.parse(files.get("package.json")!) as { type: string; dependencies: Record<string, string> };
    expect(manifest.type).toBe("module");
    expect(manifest.dependencies[world.packed.manifest.name]).toBe(`file:../${path.basename(world.packed.tarball)}`);
    expect(JSON.parse(files.get("tsconfig.json")!).compilerOptions).toMatchObject({ module: "nodenext", moduleResolution: "nodenext" });
    for (const [name, text] of files) fs.writeFileSync(path.join(world.program, name), text);
  });

  it("up, a preview with no change, destroy", async () => {
    const lines = commandsOf(sectionOf("docs/esm.md", "Run it"));
    expect(lines.filter((line) => /^pulumi (up|preview|destroy)/.test(line))).toEqual(["pulumi up --yes", "pulumi preview --expect-no-changes", "pulumi destroy --yes"]);
    await world.run(lines, async (line) => {
      if (line === "npm run build") expect(fs.readFileSync(path.join(world.program, "bin", "index.js"), "utf8")).toMatch(/^import .* from "polytomic-pulumi";$/m);
      if (line === "pulumi up --yes") {
        expect(count(await inventory(world.emulatorUrl(), "polytomic-emulator-local-key"))).toEqual({ connections: 2, models: 1, syncs: 1, webhooks: 0 });
      }
      if (line === "pulumi destroy --yes") {
        expect(count(await inventory(world.emulatorUrl(), "polytomic-emulator-local-key"))).toEqual({ connections: 0, models: 0, syncs: 0, webhooks: 0 });
      }
    });
  }, 600_000);
});
