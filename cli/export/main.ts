/** `polytomic-export` as a process: this process's environment, console and folder, the real API client and `pulumi`. */
import * as path from "node:path";
import { createClient } from "../../client";
import { consoleLines } from "../console";
import { STACK_CONFIG_FILE_VARIABLE, stackFromPulumi } from "../stackOutputs";
import { runExportCommand } from "./command";
import { readPackageInfo } from "./packageInfo";
import { readStackWithPulumi } from "./stackState";

export function main(argv: readonly string[]): Promise<number> {
  return runExportCommand(argv, {
    tool: "polytomic-export",
    createClient,
    stackConfig: async (stack) => (await stackFromPulumi(stack, process.env, process.cwd(), process.env[STACK_CONFIG_FILE_VARIABLE] || undefined)()).config,
    readStack: readStackWithPulumi(process.env),
    // This file is <package>/dist/cli/export/main.js.
    packageInfo: readPackageInfo(path.resolve(__dirname, "..", "..", "..")),
    env: process.env,
    ...consoleLines,
  });
}
