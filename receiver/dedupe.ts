/**
 * Remembers keys (record hashes, event ids) for a fixed time. Entries expire in insertion order,
 * so expired ones are dropped from the front of the map as new ones arrive: memory follows the
 * traffic of one window, not of the receiver's lifetime.
 */
export class DedupeWindow {
  private readonly expiries = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  has(key: string): boolean {
    const expiry = this.expiries.get(key);
    return expiry !== undefined && expiry > this.now();
  }

  /** Remembers `key` as seen at `seenAt` (default now). */
  add(key: string, seenAt = this.now()): void {
    this.expiries.delete(key); // re-insert at the back: keeps the map ordered by expiry
    this.expiries.set(key, seenAt + this.ttlMs);
    this.dropExpired();
  }

  /** Forgets `key` (a handler failed: the sender's retry must get through). */
  delete(key: string): void {
    this.expiries.delete(key);
  }

  get size(): number {
    return this.expiries.size;
  }

  private dropExpired(): void {
    const now = this.now();
    for (const [key, expiry] of this.expiries) {
      if (expiry > now) break;
      this.expiries.delete(key);
    }
  }
}
