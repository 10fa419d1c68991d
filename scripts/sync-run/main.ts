/**
 * The sync command as a process: this process's arguments, console and exit code. Shared by
 * `npm run sync` (scripts/sync-run.ts) and the package's `polytomic-sync` (bin/), which differ
 * only in where the stack facts come from.
 */
import { createClient } from "../../client";
import { consoleLines, exitWith } from "../lib/cli";
import { runSyncCommand, SyncCommandDeps } from "./command";

export function runSyncProcess(deps: Pick<SyncCommandDeps, "stackSource" | "tool" | "defaultStack">): void {
  exitWith(runSyncCommand(process.argv.slice(2), { ...deps, createClient, env: process.env, ...consoleLines }), deps.tool ?? "sync");
}
