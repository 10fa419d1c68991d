/**
 * Reads the whole organization through the API: connections of every type, models, model syncs
 * (the list pages; each sync is then read in full), the org webhook, roles, policies, the global
 * error subscribers, and its users when asked (they take a partner key).
 */
import { PolytomicApiError, type PolytomicClient } from "../../client";
import { primaryKeysId } from "../../providers/runtime/kinds/connectionSchemaPrimaryKeys";
import type { PrimaryKeySnapshot } from "./resourceArgs";
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
  bulkSyncs: Pick<PolytomicClient["bulkSyncs"], "list" | "schemas" | "schema" | "source">;
  /** With a partner key: an organization's users. */
  users?: (organizationId: string) => Pick<ReturnType<PolytomicClient["users"]>, "list">;
};

export interface ReadOptions {
  /** A client whose key may list users (a partner key scoped to the organization): users are read with it. */
  usersClient?: Pick<ExportClient, "users">;
  /** Read every connection's schemas and write their primary keys. */
  primaryKeys?: boolean;
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
  const primaryKeys = options.primaryKeys ? await readPrimaryKeys(client, connections) : undefined;
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
    ...(primaryKeys ? { primaryKeys } : {}),
  };
}

/**
 * The keyed schemas of every connection that lists its schemas (its bulk-sync source answer, with
 * fields). The API shows a schema's primary key without saying whether the source declares it or
 * an override sets it, so every keyed schema is written; a connection whose type lists no schemas
 * (the API refuses: 4xx) has none.
 */
async function readPrimaryKeys(client: ExportClient, connections: readonly { id: string }[]): Promise<PrimaryKeySnapshot[]> {
  const perConnection = await mapLimit(connections, 4, async (connection) => {
    let listed;
    try {
      listed = await client.bulkSyncs.source(connection.id);
    } catch (err) {
      if (err instanceof PolytomicApiError && err.status >= 400 && err.status < 500) return [];
      throw err;
    }
    return listed.schemas.flatMap((schema) => {
      const keys = schema.fields.filter((f) => f.is_primary_key).map((f) => f.id);
      return keys.length === 0 ? [] : [{ id: primaryKeysId(connection.id, schema.id), connection_id: connection.id, schema_id: schema.id, field_ids: keys }];
    });
  });
  return perConnection.flat();
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
