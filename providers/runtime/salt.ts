/**
 * The state's idempotency salt: a secret made once per stack state, before any Polytomic object,
 * and kept (encrypted) in that state. It never changes, calls no API and needs no credentials;
 * `destroy` forgets it with the rest of the stack.
 *
 * The salt must survive a crash of the `up` that makes it, or the retried `up` would compute other
 * Idempotency-Keys, and find no journal entry (createJournal.ts), for every object the crashed one
 * created. With the engine's checkpoints on, the state keeps it as soon as it is made. With
 * checkpoints skipped (PULUMI_SKIP_CHECKPOINTS, which this project sets for speed), the state is
 * written only at the end of the run. So, checkpoints or not (one way to make it, tested by every
 * run), the salt is derived from what outlives a crash and belongs to this one state:
 *
 * - a random nonce kept where the state is (stackNotes.ts: beside a file backend's state, in a
 *   PostgreSQL backend's table), written durably before the salt is handed out: two clones of the
 *   repository with two backends have two nonces, even when they share one stack config file;
 * - the stack's passphrase (PULUMI_CONFIG_PASSPHRASE or _FILE), the key of an HMAC over the nonce
 *   and the stack's name: the nonce alone, which is not secret, gives nobody the salt. A stack
 *   with another secrets provider (a cloud KMS) has no passphrase: its salt is the HMAC of the
 *   nonce alone, which whoever reads the backend can compute; that gives them nothing the
 *   organization's API key would not.
 *
 * Where no note can be kept (an s3, gs or azblob backend, see stackNotes.ts) the salt is random,
 * as the state keeps it; with checkpoints skipped that is refused, with the fix in the message.
 * Deleting the salt (destroy) deletes the notes, so a stack made again later gets a new salt and
 * its creates never replay the old stack's deleted objects.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import type * as pulumi from "@pulumi/pulumi";
import { ExpectedFailure } from "./expectedFailure";
import { checkpointsSkipped } from "../backend";
import { NO_NOTES_WHILE_SKIPPING, stackNotes } from "./stackNotes";

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

/** The salt derived from the stack's nonce note (and the passphrase, when there is one); undefined where no note can be kept. */
export async function durableSalt(stack: string | undefined, env: Env = process.env): Promise<string | undefined> {
  const notes = stackNotes(stack, env);
  if (!stack || !notes) return undefined;
  let nonce = await notes.read(NONCE);
  if (!nonce || !/^[0-9a-f]{64}$/.test(nonce)) {
    nonce = crypto.randomBytes(32).toString("hex");
    await notes.write(NONCE, nonce);
  }
  return crypto.createHmac("sha256", passphrase(env) ?? "").update(`polytomic idempotency salt\n${stack}\n${nonce}`).digest("base64url");
}



export const saltProvider = {
  async check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
    return { inputs: news, failures: [] };
  },
  async diff(): Promise<pulumi.dynamic.DiffResult> {
    return { changes: false, replaces: [], deleteBeforeReplace: false };
  },
  async create(inputs: Record<string, unknown>, env: Env = process.env): Promise<pulumi.dynamic.CreateResult> {
    const stack = typeof inputs.stack === "string" ? inputs.stack : undefined;
    const value = await durableSalt(stack, env);
    if (!value && checkpointsSkipped(env)) throw new ExpectedFailure(NO_NOTES_WHILE_SKIPPING);
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
    await stackNotes(props.stack, env)?.forget();
  },
};
