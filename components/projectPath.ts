/**
 * Paths in a program's settings are relative to the project (the folder holding Pulumi.yaml),
 * whatever folder the program runs from: a compiled program (`main: dist/index.js`) runs with
 * its own folder as the working directory, where `data/contacts.csv` is not.
 */
import * as path from "node:path";
import * as pulumi from "../providers/sdk";

export function projectPath(file: string): string {
  if (path.isAbsolute(file)) return file;
  let root = "";
  try {
    root = pulumi.runtime.getRootDirectory();
  } catch {
    // Outside the engine (unit tests): the working directory.
  }
  return path.resolve(root || process.cwd(), file);
}
