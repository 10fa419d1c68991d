/** `polytomic-sync` as a process: this process's environment, console and folder, the real API client. */
import { createClient } from "../../client";
import { consoleLines } from "../console";
import { STACK_CONFIG_FILE_VARIABLE, stackFromFile, stackFromPulumi } from "../stackOutputs";
import { runSyncCommand } from "./command";

export function main(argv: readonly string[]): Promise<number> {
  return runSyncCommand(argv, {
    tool: "polytomic-sync",
    stackSource: ({ stack, outputsFile }) => (outputsFile ? stackFromFile(outputsFile) : stackFromPulumi(stack, process.env, process.cwd(), process.env[STACK_CONFIG_FILE_VARIABLE] || undefined)),
    createClient,
    env: process.env,
    ...consoleLines,
  });
}
