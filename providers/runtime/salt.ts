/**
 * The state's idempotency salt: 32 random bytes made once per stack state, before any Polytomic
 * object, and kept (encrypted) in that state. It never changes, calls no API and needs no
 * credentials; `destroy` forgets it with the rest of the stack.
 */
import * as crypto from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";

export const SALT_KIND = "idempotencySalt";

export const saltProvider = {
  async check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
    return { inputs: news, failures: [] };
  },
  async diff(): Promise<pulumi.dynamic.DiffResult> {
    return { changes: false, replaces: [], deleteBeforeReplace: false };
  },
  async create(): Promise<pulumi.dynamic.CreateResult> {
    return { id: crypto.randomUUID(), outs: { value: crypto.randomBytes(32).toString("base64url") } };
  },
  async read(id: string, props: Record<string, unknown>): Promise<pulumi.dynamic.ReadResult> {
    return { id, props };
  },
  async update(_id: string, olds: Record<string, unknown>): Promise<pulumi.dynamic.UpdateResult> {
    return { outs: olds };
  },
  async remove(): Promise<void> {
    // Only the state held it.
  },
};
