/**
 * The layering rules the folders stand for (docs/development.md "Layout"): what the package ships never imports
 * the development harness (scripts/) or the command entries (bin/), and the component never
 * imports the program above it. Read from the sources' import lines, so a break fails here rather
 * than in an installed package.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "..");
const SHIPPED = ["lib.ts", "bin", "cli", "client", "components", "contract", "emulator", "providers", "receiver"];

function sources(entry: string): string[] {
  const full = path.join(root, entry);
  if (fs.statSync(full).isFile()) return [entry];
  return fs
    .readdirSync(full, { withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? sources(path.join(entry, d.name)) : d.name.endsWith(".ts") ? [path.join(entry, d.name)] : []));
}

/** The repository folders (or root files) a source file imports, by relative specifier. */
function importedTops(file: string): string[] {
  const text = fs.readFileSync(path.join(root, file), "utf8");
  const specifiers = [...text.matchAll(/(?:from\s+|import\s+|require\()\s*["'](\.{1,2}\/[^"']+)["']/g)].map((m) => m[1]);
  return specifiers.map((s) => path.relative(root, path.resolve(root, path.dirname(file), s)).split(path.sep)[0]);
}

describe("layering", () => {
  it("nothing the package ships imports scripts/ or bin/", () => {
    const offending = SHIPPED.flatMap(sources)
      .filter((file) => !file.startsWith(`bin${path.sep}`))
      .flatMap((file) => importedTops(file).filter((top) => top === "scripts" || top === "bin").map((top) => `${file} -> ${top}/`));
    expect(offending).toEqual([]);
  });

  it("bin/ only hands over to cli/", () => {
    const offending = sources("bin").flatMap((file) => importedTops(file).filter((top) => top !== "cli").map((top) => `${file} -> ${top}/`));
    expect(offending).toEqual([]);
  });

  it("the component does not import the program above it", () => {
    const offending = sources("components").flatMap((file) => importedTops(file).filter((top) => top === "program").map((top) => `${file} -> ${top}/`));
    expect(offending).toEqual([]);
  });
});
