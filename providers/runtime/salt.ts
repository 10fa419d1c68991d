/**
 * The state's idempotency salt: a secret made once per stack state, before any Polytomic object,
 * and kept (encrypted) in that state. It never changes, calls no API and needs no credentials;
 * `destroy` forgets it with the rest of the stack.
 *
 * The salt must survive a crash of the `up` that makes it, or the retried `up` would compute other
 * Idempotency-Keys and duplicate every object the crashed one created. With the engine's
 * checkpoints on, the state keeps it as soon as it is made. With checkpoints skipped
 * (PULUMI_SKIP_CHECKPOINTS, which this project's scripts set for speed), the state is written only
 * at the end of the run. So, checkpoints or not (one way to make it, tested by every run), the
 * salt is derived from what outlives a crash and belongs to this one state:
 *
 * - a random nonce kept beside the state in the file backend's folder (stackNotes.ts), written
 *   and synced to disk before the salt is handed out: two clones of the repository have two
 *   backends, hence two nonces, even when they share one stack config file;
 * - the stack's passphrase (PULUMI_CONFIG_PASSPHRASE or _FILE), the key of an HMAC over the nonce
 *   and the stack's name: the nonce alone, which is not secret, gives nobody the salt.
 *
 * Where either is missing (another backend, a KMS secrets provider) the salt is random, as the state
 * keeps it; with checkpoints skipped that is refused, with the fix in the message. Deleting the
 * salt (destroy) deletes the nonce, so a stack made again later gets a new salt and its creates
 * never replay the old stack's deleted objects.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import type * as pulumi from "@pulumi/pulumi";
import { ExpectedFailure } from "./expectedFailure";
import { checkpointsSkipped } from "../backend";
import { forgetNotes, readNote, stackNotesDir, writeNote } from "./stackNotes";

type Env = NodeJS.ProcessEnv;

function passphrase(env: Env): string | undefined {
  if (env.PULUMI_CONFIG_PASSPHRASE) return env.PULUMI_CONFIG_PASSPHRASE;
  if (!env.PULUMI_CONFIG_PASSPHRASE_FILE) return undefined;
  try {
    return fs.readFileSync(env.PULUMI_CONFIG_PASSPHRASE_FILE, "utf8") || undefined;
  } catch {
    return undefined;
  }
}

const NONCE = "nonce";

/** The salt derived from the stack's nonce note and the passphrase; undefined when either cannot be had. */
export function durableSalt(stack: string | undefined, env: Env = process.env): string | undefined {
  const secret = passphrase(env);
  if (!stack || !secret || !stackNotesDir(stack, env)) return undefined;
  let nonce = readNote(stack, NONCE, env);
  if (!nonce || !/^[0-9a-f]{64}$/.test(nonce)) {
    nonce = crypto.randomBytes(32).toString("hex");
    writeNote(stack, NONCE, nonce, env);
  }
  return crypto.createHmac("sha256", secret).update(`polytomic idempotency salt\n${stack}\n${nonce}`).digest("base64url");
}

const NO_DURABLE_SALT =
  "PULUMI_SKIP_CHECKPOINTS is set, so the state is written only when this run ends, and this stack's idempotency salt " +
  "could not be kept anywhere a crash would leave it: that needs a file backend in PULUMI_BACKEND_URL (file://...) and " +
  "the passphrase secrets provider (PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE). Run this `up` without " +
  "PULUMI_SKIP_CHECKPOINTS (with this project's scripts: POLYTOMIC_CHECKPOINTS=each-step); once the state holds the salt, " +
  "later runs may skip checkpoints again.";

export const saltProvider = {
  async check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
    return { inputs: news, failures: [] };
  },
  async diff(): Promise<pulumi.dynamic.DiffResult> {
    return { changes: false, replaces: [], deleteBeforeReplace: false };
  },
  async create(inputs: Record<string, unknown>, env: Env = process.env): Promise<pulumi.dynamic.CreateResult> {
    const stack = typeof inputs.stack === "string" ? inputs.stack : undefined;
    const value = durableSalt(stack, env);
    if (!value && checkpointsSkipped(env)) throw new ExpectedFailure(NO_DURABLE_SALT);
    return { id: crypto.randomUUID(), outs: { stack, value: value ?? crypto.randomBytes(32).toString("base64url") } };
  },
  async read(id: string, props: Record<string, unknown>): Promise<pulumi.dynamic.ReadResult> {
    return { id, props };
  },
  async update(_id: string, olds: Record<string, unknown>): Promise<pulumi.dynamic.UpdateResult> {
    return { outs: olds };
  },
  async remove(props: Record<string, unknown> = {}, env: Env = process.env): Promise<void> {
    // The state is gone: its notes go with it, so a stack made again gets a new salt.
    forgetNotes(props.stack, env);
  },
};
