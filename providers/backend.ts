/**
 * What the engine's environment says about where and how a stack's state is written. Read by the
 * providers' runtime (their notes beside the state), by the component (create mode refuses
 * skipped checkpoints) and by the development harness (locks of dead runs): one reading for all.
 */
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
