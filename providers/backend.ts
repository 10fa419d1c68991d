/**
 * What the engine's environment says about where and how a stack's state is written. Read by the
 * providers' runtime (their notes beside the state), by the component (create mode refuses
 * skipped checkpoints) and by the development harness (locks of dead runs): one reading for all.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** PULUMI_SKIP_CHECKPOINTS as the engine reads it: whether runs write their state only at the end. */
export function checkpointsSkipped(env: NodeJS.ProcessEnv = process.env): boolean {
  return /^(1|true)$/i.test(env.PULUMI_SKIP_CHECKPOINTS ?? "");
}

/** The folder of a `file://` backend URL (as the engine is given it in PULUMI_BACKEND_URL). */
export function fileBackendDir(url: string | undefined): string | undefined {
  if (!url?.startsWith("file://")) return undefined;
  const dir = url.slice("file://".length).replace(/\?.*$/, "");
  if (dir === "~" || dir.startsWith("~/")) return path.join(os.homedir(), dir.slice(1));
  return dir ? path.resolve(dir) : undefined;
}

/**
 * The state backend's URL as the engine uses it: PULUMI_BACKEND_URL, else the one `pulumi login`
 * stored as current in `$PULUMI_HOME/credentials.json` (~/.pulumi by default). A project's own
 * `backend.url` in Pulumi.yaml is not read (the engine hands it to no plugin): set
 * PULUMI_BACKEND_URL instead.
 */
export function backendUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.PULUMI_BACKEND_URL) return env.PULUMI_BACKEND_URL;
  const home = env.PULUMI_HOME || path.join(os.homedir(), ".pulumi");
  try {
    const current = (JSON.parse(fs.readFileSync(path.join(home, "credentials.json"), "utf8")) as { current?: unknown }).current;
    return typeof current === "string" && current ? current : undefined;
  } catch {
    return undefined;
  }
}
