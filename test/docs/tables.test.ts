/**
 * README.md starts with its two commands. docs/development.md's tables against the repository: "Layout" names every top-level folder
 * (what git keeps: the .gitignore's folders left out) and "Commands" every script of
 * package.json, each once, and nothing that is not there. Every relative link of README.md and
 * docs/*.md leads to a file or folder that exists.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");
const page = fs.readFileSync(path.join(root, "docs", "development.md"), "utf8");

/** The first column of the table under `## <title>`, one entry per row. */
function firstColumn(title: string): string[] {
  const start = page.indexOf(`\n## ${title}\n`);
  expect(start, `docs/development.md has no "## ${title}"`).toBeGreaterThanOrEqual(0);
  const end = page.indexOf("\n## ", start + 1);
  const rows = page
    .slice(start, end < 0 ? undefined : end)
    .split("\n")
    .filter((line) => line.startsWith("| ") && !/^\| -/.test(line));
  return rows.slice(1).map((row) => row.split(" | ")[0].slice(2));
}

/** Top-level folders git keeps: all but .git and the .gitignore's top-level folder entries. */
function trackedFolders(): string[] {
  const ignored = new Set(
    fs
      .readFileSync(path.join(root, ".gitignore"), "utf8")
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => /^[^/*#][^/*]*\/$/.test(line))
      .map((line) => line.slice(0, -1)),
  );
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== ".git" && !ignored.has(entry.name))
    .map((entry) => entry.name)
    .sort();
}

describe("docs/development.md tables match the repository", () => {
  it("Layout names every top-level folder once, and each file it names exists", () => {
    const named = firstColumn("Layout").flatMap((cell) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]));
    const folders = named.filter((name) => name.endsWith("/")).map((name) => name.slice(0, -1));
    expect([...folders].sort()).toEqual(trackedFolders());
    expect(new Set(folders).size).toBe(folders.length);
    for (const file of named.filter((name) => !name.endsWith("/"))) expect(fs.existsSync(path.join(root, file)), file).toBe(true);
  });

  it("Commands names every package.json script, and no other", () => {
    const scripts = Object.keys((JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts);
    const named = firstColumn("Commands").map((cell) => {
      const command = /^`npm (?:run (\S+)|(start|test))\b/.exec(cell);
      expect(command, `not an npm command: ${cell}`).not.toBeNull();
      return command![1] ?? command![2];
    });
    expect([...new Set(named)].sort()).toEqual([...scripts].sort());
  });
});

describe("links of README.md and docs/", () => {
  const pages = ["README.md", ...fs.readdirSync(path.join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
  it.each(pages)("%s links only to files that exist", (file) => {
    const text = fs.readFileSync(path.join(root, file), "utf8");
    const missing = [...text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)]
      .map((m) => m[1])
      .filter((target) => !/^[a-z]+:/.test(target))
      .filter((target) => !fs.existsSync(path.resolve(path.dirname(path.join(root, file)), target)));
    expect(missing).toEqual([]);
  });
});

describe("README.md", () => {
  it("starts with the two commands, npm start and npm test, before anything else", () => {
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
    const first = /```sh\n([\s\S]*?)\n```/.exec(readme);
    expect(readme.slice(0, first?.index).split("\n").filter((line) => line.trim() !== "")).toEqual(["# Polytomic as code, with Pulumi"]);
    expect(first![1].split("\n").map((line) => line.replace(/\s*#.*$/, ""))).toEqual(["npm ci && npm start", "npm ci && npm test"]);
  });
});
