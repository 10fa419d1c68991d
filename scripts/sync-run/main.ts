/**
 * The sync command as a process: this process's arguments, console and exit code. Shared by
 * `npm run sync` (scripts/sync-run.ts) and the package's `polytomic-sync` (bin/), which differ
 * only in where the stack facts come from.
 */
import { createClient } from "../../client";
import { runSyncCommand, SyncCommandDeps } from "./command";

export function runSyncProcess(deps: Pick<SyncCommandDeps, "stackSource" | "tool" | "defaultStack">): void {
  runSyncCommand(process.argv.slice(2), {
    ...deps,
    createClient,
    env: process.env,
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  }).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`${deps.tool ?? "sync"}: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
