/**
 * Paths in a program's settings are relative to the project (the folder holding Pulumi.yaml),
 * whatever folder the program runs from: a compiled program (`main: dist/index.js`) runs with
 * its own folder as the working directory, where `data/contacts.csv` is not.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "../providers/sdk";

/** The folder of Pulumi.yaml: the engine's word for it, else the nearest one at or above the working directory. */
function projectRoot(): string {
  try {
    const root = pulumi.runtime.getRootDirectory?.();
    if (root) return root;
  } catch {
    // Outside the engine (unit tests): no root directory is set.
  }
  // @pulumi/pulumi before 3.15x has no getRootDirectory; the working directory is the project or below it.
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "Pulumi.yaml")) || fs.existsSync(path.join(dir, "Pulumi.yml"))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

export function projectPath(file: string): string {
  if (path.isAbsolute(file)) return file;
  return path.resolve(projectRoot(), file);
}
