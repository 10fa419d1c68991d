/**
 * `npm run postgres`: a local PostgreSQL to keep Pulumi state in, as a team keeps it on a shared
 * server (scripts/lib/postgres.ts). Starts it in `.data/postgres` (of POLYTOMIC_LOCAL_DIR when set)
 * on a free port (or `POSTGRES_PORT`) and prints the `PULUMI_BACKEND_URL` to use;
 * `npm run postgres -- stop` stops it by its process id. `npm run postgres -- copy-history <stack>`
 * copies a stack's update history from the local file backend into the PostgreSQL backend that
 * PULUMI_BACKEND_URL names (lib/stackHistory.ts), for a stack moved there.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { runAsProcess } from "../cli/console";
import { portFrom } from "./lib/ports";
import { startLocalPostgres, stopLocalPostgres } from "./lib/postgres";
import { localDir, repoRoot } from "./lib/pulumiEnv";
import { copyStackHistory } from "./lib/stackHistory";

/** Under the local folder, as the state and the emulator's data are (POLYTOMIC_LOCAL_DIR moves all three). */
const FOLDER = path.join(localDir(), ".data", "postgres");
const USAGE = "usage: npm run postgres [-- start | stop | copy-history <stack>]   (POSTGRES_PORT picks the port; a free one otherwise)";

async function main(argv: string[]): Promise<number> {
  const [command = "start", ...rest] = argv;
  if (command === "copy-history") {
    if (rest.length !== 1) {
      console.error(USAGE);
      return 2;
    }
    const project = /^name:\s*(\S+)/m.exec(fs.readFileSync(path.join(repoRoot, "Pulumi.yaml"), "utf8"))?.[1] ?? "";
    const fileBackendDir = path.join(localDir(), ".pulumi-state");
    const { copied, updates } = await copyStackHistory({ fileBackendDir, backendUrl: process.env.PULUMI_BACKEND_URL ?? "", project, stack: rest[0] });
    console.log(`copied ${copied} history file(s) of stack ${rest[0]} from ${fileBackendDir}: ${updates} update(s) in its PostgreSQL history`);
    return 0;
  }
  if (rest.length > 0 || !["start", "stop"].includes(command)) {
    console.error(USAGE);
    return 2;
  }
  if (command === "stop") {
    const pid = await stopLocalPostgres(FOLDER);
    console.log(pid ? `PostgreSQL (pid ${pid}) stopped` : `no PostgreSQL runs from ${FOLDER}`);
    return 0;
  }
  const port = process.env.POSTGRES_PORT ? portFrom("POSTGRES_PORT", 0, process.env) : undefined;
  const server = await startLocalPostgres(FOLDER, { port });
  console.log(`PostgreSQL ${server.port} (pid ${server.pid}), data in ${server.dataDir}`);
  console.log(`export PULUMI_BACKEND_URL='${server.url}'`);
  console.log("stop it with: npm run postgres -- stop");
  return 0;
}

runAsProcess("postgres", main);
