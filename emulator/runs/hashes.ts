/**
 * What each sync delivered in its last successful run, as record hashes. A million records fit in
 * tens of megabytes: each hash is kept as a 64-bit bigint, and stored as 8 bytes on disk.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomic } from "./atomic";

export type HashSet = Set<bigint>;

export const hashKey = (hash: string): bigint => BigInt(`0x${hash}`);

export class HashStore {
  readonly #memory = new Map<string, HashSet>();

  constructor(private readonly dir?: string) {}

  #file(syncId: string): string {
    return path.join(this.dir as string, `${syncId}.hashes`);
  }

  load(syncId: string): HashSet {
    const cached = this.#memory.get(syncId);
    if (cached || !this.dir) return cached ?? new Set();
    const set: HashSet = new Set();
    try {
      const bytes = fs.readFileSync(this.#file(syncId));
      for (let offset = 0; offset + 8 <= bytes.length; offset += 8) set.add(bytes.readBigUInt64BE(offset));
    } catch {
      // No successful run yet.
    }
    this.#memory.set(syncId, set);
    return set;
  }

  /** Replaces the sync's hashes (after a successful run only). */
  save(syncId: string, set: HashSet): void {
    this.#memory.set(syncId, set);
    if (!this.dir) return;
    const bytes = Buffer.allocUnsafe(set.size * 8);
    let offset = 0;
    for (const key of set) offset = bytes.writeBigUInt64BE(key, offset);
    writeFileAtomic(this.#file(syncId), bytes);
  }

  forget(syncId: string): void {
    this.#memory.delete(syncId);
    if (this.dir) fs.rmSync(this.#file(syncId), { force: true });
  }
}
