/** Opens a stack of one of examples/, copied into a folder of its own, installed and built as a user would. */
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "../../scripts/lib/pulumiEnv";
import { openStack, type OpenedStack } from "../../scripts/lib/stack";
import { buildProgram, installProgramDependencies } from "./exportProgram";

/** `examples/<example>` copied to `<dir>/program`, its backend and Pulumi home under `dir`. */
export async function openExample(example: string, dir: string, stackName: string, passphrase: string): Promise<{ programDir: string; opened: OpenedStack }> {
  const programDir = path.join(dir, "program");
  fs.cpSync(path.join(repoRoot, "examples", example), programDir, { recursive: true });
  installProgramDependencies(programDir, "polytomic-pulumi");
  buildProgram(programDir);
  const opened = await openStack({ stackName, workDir: programDir, backendDir: path.join(dir, "backend"), pulumiHome: path.join(dir, "home"), passphrase });
  return { programDir, opened };
}
