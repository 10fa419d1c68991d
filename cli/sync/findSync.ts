/** Which sync of a stack's outputs to run, and where its records go. */
import type { StackOutputs } from "../stackOutputs";

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
  const known =
    [...syncs.keys()].join(", ") ||
    "none: the program must export the component's syncs, e.g. export const syncs = pipeline.syncs; then pulumi up";
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
