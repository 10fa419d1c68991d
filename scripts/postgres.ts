/**
 * `npm run postgres`: a local PostgreSQL to keep Pulumi state in, as a team keeps it on a shared
 * server (scripts/lib/postgres.ts). Starts it in `.data/postgres` on a free port (or
 * `POSTGRES_PORT`) and prints the `PULUMI_BACKEND_URL` to use; `npm run postgres -- stop` stops it
 * by its process id.
 */
import * as path from "node:path";
import { runAsProcess } from "../cli/console";
import { portFrom } from "./lib/ports";
import { startLocalPostgres, stopLocalPostgres } from "./lib/postgres";

const FOLDER = path.join(".data", "postgres");

async function main(argv: string[]): Promise<number> {
  const [command = "start", ...rest] = argv;
  if (rest.length > 0 || !["start", "stop"].includes(command)) {
    console.error("usage: npm run postgres [-- start | stop]   (POSTGRES_PORT picks the port; a free one otherwise)");
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
