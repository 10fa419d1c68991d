/**
 * Where `npm run sync` learns the sync ids and the API to call: the stack's outputs and config.
 * The source is a small function, so the command can be driven from a file or a test as well as
 * from `pulumi stack output`.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import { promisify } from "node:util";

/** Stack outputs as `pulumi stack output --json --show-secrets` prints them. */
export type StackOutputs = Record<string, unknown>;

/** What the command needs from a stack. `config` holds `polytomic:url` / `polytomic:apiKey` when known. */
export interface StackFacts {
  outputs: StackOutputs;
  config: Record<string, string | undefined>;
}

export type StackSource = () => Promise<StackFacts>;

/** Reads outputs from a JSON file (e.g. saved `pulumi stack output --json --show-secrets`). */
export function stackFromFile(file: string): StackSource {
  return async () => {
    let outputs: unknown;
    try {
      outputs = JSON.parse(await fs.promises.readFile(file, "utf8"));
    } catch (err) {
      throw new Error(`cannot read outputs file ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (typeof outputs !== "object" || outputs === null || Array.isArray(outputs)) {
      throw new Error(`outputs file ${file} must hold a JSON object`);
    }
    return { outputs: outputs as StackOutputs, config: {} };
  };
}

/**
 * Asks the Pulumi CLI (`pulumi stack output` and `pulumi config`, with secrets shown: they stay
 * in this process), run in the program folder `cwd`. `env` is the CLI environment
 * (scripts/lib/pulumiEnv.ts in this repository, the user's own for `polytomic-sync`). Without
 * `stack`, the folder's selected stack.
 */
export function stackFromPulumi(stack: string | undefined, env: NodeJS.ProcessEnv, cwd: string): StackSource {
  const stackArgs = stack ? ["-s", stack] : [];
  const run = async (args: string[]): Promise<unknown> => {
    try {
      const { stdout } = await promisify(execFile)("pulumi", args, { env, cwd, maxBuffer: 16 * 1024 * 1024 });
      return JSON.parse(stdout);
    } catch (err) {
      // The CLI's stderr names the problem (no such stack, wrong passphrase); it holds no secret.
      const stderr = (err as { stderr?: string }).stderr?.trim();
      throw new Error(`pulumi ${args.slice(0, 2).join(" ")}${stack ? ` -s ${stack}` : ""} failed${stderr ? `: ${stderr}` : ""}`);
    }
  };
  return async () => {
    const outputs = (await run(["stack", "output", "--json", "--show-secrets", ...stackArgs])) as StackOutputs;
    const rawConfig = (await run(["config", "--json", "--show-secrets", ...stackArgs])) as Record<string, { value?: unknown }>;
    const config: Record<string, string | undefined> = {};
    for (const [key, entry] of Object.entries(rawConfig ?? {})) {
      if (typeof entry?.value === "string") config[key] = entry.value;
    }
    return { outputs, config };
  };
}

export type SyncLookup = { ok: true; syncId: string; name?: string } | { ok: false; message: string };

const looksLikeId = (value: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

/** `outputs.syncs` (`{ <sync key>: <sync id> }`) plus `outputs.syncId`, as name -> id. */
export function syncsInOutputs(outputs: StackOutputs): Map<string, string> {
  const found = new Map<string, string>();
  const syncs = outputs.syncs;
  if (typeof syncs === "object" && syncs !== null) {
    for (const [name, id] of Object.entries(syncs)) if (typeof id === "string" && id) found.set(name, id);
  }
  if (typeof outputs.syncId === "string" && outputs.syncId && ![...found.values()].includes(outputs.syncId)) {
    found.set("syncId", outputs.syncId);
  }
  return found;
}

/**
 * Finds the sync to run: a name key of `syncs`, an id the outputs hold, or any id that looks
 * like one (the API decides whether it exists). Without `wanted`, the stack's only sync.
 */
export function findSync(outputs: StackOutputs, wanted: string | undefined): SyncLookup {
  const syncs = syncsInOutputs(outputs);
  const known = [...syncs.keys()].join(", ") || "none";
  if (!wanted) {
    const ids = [...new Set(syncs.values())];
    if (ids.length === 1) {
      const [name] = syncs.keys();
      return { ok: true, syncId: ids[0], name };
    }
    return { ok: false, message: `name the sync to run (stack outputs hold: ${known})` };
  }
  const byName = syncs.get(wanted);
  if (byName) return { ok: true, syncId: byName, name: wanted };
  for (const [name, id] of syncs) if (id === wanted) return { ok: true, syncId: id, name };
  if (looksLikeId(wanted)) return { ok: true, syncId: wanted };
  return { ok: false, message: `no sync named "${wanted}" in the stack outputs (known: ${known}), and it is not a sync id` };
}

/** Output keys that may name where records are delivered (the webhook connection's URL). */
export const WEBHOOK_URL_KEYS = ["webhookUrl", "receiverUrl", "recordsUrl"] as const;

/** The webhook connection's URL, when the outputs carry it. */
export function webhookUrlIn(outputs: StackOutputs): string | undefined {
  for (const key of WEBHOOK_URL_KEYS) {
    const value = outputs[key];
    if (typeof value === "string" && value) return value;
  }
  return undefined;
}
