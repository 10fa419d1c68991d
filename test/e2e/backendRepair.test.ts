/** Repairing what a killed command leaves in a local backend: only empty `.attrs` files go. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repairInterruptedWrites } from "../../scripts/lib/backendRepair";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "backend-repair-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("repairInterruptedWrites", () => {
  it("removes empty .attrs files and nothing else", () => {
    const stacks = path.join(dir, ".pulumi", "stacks", "project");
    fs.mkdirSync(stacks, { recursive: true });
    const write = (name: string, text: string) => fs.writeFileSync(path.join(stacks, name), text);
    write("dev.json", '{"version":3}');
    write("dev.json.attrs", "");
    write("prod.json", '{"version":3}');
    write("prod.json.attrs", '{"user.content_type":"application/json"}\n');
    write("empty.json", "");

    expect(repairInterruptedWrites(dir)).toEqual([path.join(stacks, "dev.json.attrs")]);
    expect(fs.readdirSync(stacks).sort()).toEqual(["dev.json", "empty.json", "prod.json", "prod.json.attrs"]);
    expect(repairInterruptedWrites(dir)).toEqual([]);
    expect(repairInterruptedWrites(path.join(dir, "missing"))).toEqual([]);
  });
});
