/**
 * Canonical JSON: object keys sorted at every level and undefined members left out, so equal data
 * gives equal text whatever the key order. What the providers compare and derive idempotency keys
 * from, the emulator hashes records with, and the receiver deduplicates events by: one definition,
 * because each of those texts is also stored (state, hash files, events.jsonl) and must not drift.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortDeep(value));
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .sort()
        .map((k) => [k, sortDeep((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
