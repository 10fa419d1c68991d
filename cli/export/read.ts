/**
 * Reads the whole organization through the API: connections of every type, models, model syncs
 * (the list pages; each sync is then read in full), the org webhook, roles, policies, the global
 * error subscribers, and its users when asked (they take a partner key).
 */
import type { PolytomicClient } from "../../client";
import type { OrgSnapshot } from "./plan";

/** The calls the export makes (all reads). */
export type ExportClient = {
  me: PolytomicClient["me"];
  connections: Pick<PolytomicClient["connections"], "list">;
  models: Pick<PolytomicClient["models"], "list">;
  syncs: Pick<PolytomicClient["syncs"], "list" | "get">;
  webhooks: Pick<PolytomicClient["webhooks"], "list">;
  roles: Pick<PolytomicClient["roles"], "list">;
  policies: Pick<PolytomicClient["policies"], "list">;
  globalErrorSubscribers: Pick<PolytomicClient["globalErrorSubscribers"], "get">;
  bulkSyncs: Pick<PolytomicClient["bulkSyncs"], "list" | "schemas" | "schema">;
  /** With a partner key: an organization's users. */
  users?: (organizationId: string) => Pick<ReturnType<PolytomicClient["users"]>, "list">;
};

export interface ReadOptions {
  /** A client whose key may list users (a partner key scoped to the organization): users are read with it. */
  usersClient?: Pick<ExportClient, "users">;
}

export async function readOrganization(client: ExportClient, url: string, options: ReadOptions = {}): Promise<OrgSnapshot> {
  const me = await client.me();
  const usersOf = options.usersClient?.users;
  const [connections, models, syncItems, webhooks, roles, policies, subscribers, users, bulkItems] = await Promise.all([
    client.connections.list(),
    client.models.list(),
    client.syncs.list(),
    client.webhooks.list(),
    client.roles.list(),
    client.policies.list(),
    client.globalErrorSubscribers.get(),
    usersOf ? usersOf(me.organization_id).list() : undefined,
    client.bulkSyncs.list(),
  ]);
  // List items lack fields, target configuration and the rest: one GET per sync, a few at a time.
  const syncs = await mapLimit(syncItems, 4, (item) => client.syncs.get(item.id));
  // A bulk sync's schema list leaves out fields and filters: each selected schema is read on its own.
  const bulkSyncs = await mapLimit(bulkItems, 4, async (sync) => {
    const listed = await client.bulkSyncs.schemas(sync.id);
    const schemas = await mapLimit(listed, 4, (schema) => (schema.enabled === false ? Promise.resolve(schema) : client.bulkSyncs.schema(sync.id, schema.id)));
    return { ...sync, schemas };
  });
  return {
    url,
    organization: { id: me.organization_id, name: me.organization_name },
    connections,
    models,
    syncs,
    webhooks,
    roles,
    policies,
    errorSubscribers: subscribers.emails,
    bulkSyncs,
    ...(users ? { users } : {}),
  };
}

/** `fn` over `items` with at most `limit` calls at once; results in the items' order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
