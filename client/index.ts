/**
 * The Polytomic API client shared by the providers and the scripts: typed calls over one
 * requester (retries, Retry-After, timeouts, idempotency keys), responses parsed with the contract.
 */
import { z } from "zod";
import { connections, events, identity, models, organizations, schemas, syncs, webhooks } from "../contract";
import { bulkSyncClient } from "./bulkSyncs";
import { ClientOptions, createRequester } from "./http";
import { orgAdminCalls } from "./orgAdmin";

export { PolytomicApiError, PolytomicNetworkError, isNotFound } from "./errors";
export type { ClientOptions } from "./http";

const Anything = z.unknown();
export type SyncListItem = z.output<typeof syncs.SyncListItem>;
const enc = encodeURIComponent;
interface CreateOptions {
  idempotencyKey?: string;
}

export function createClient(options: ClientOptions) {
  const request = createRequester(options);
  const data = async <T>(promise: Promise<{ data: T }>): Promise<T> => (await promise).data;
  /**
   * One page of the sync list (2025-09-18 pages it: at most 50 items, `pagination.next_page_token`
   * when more follow).
   */
  const listSyncPage = (query: { page_token?: string; limit?: number } = {}) =>
    request({ method: "GET", path: "/api/syncs", operation: "list syncs", schema: syncs.SyncListEnvelope, query });

  return {
    ...orgAdminCalls(request),
    bulkSyncs: bulkSyncClient(request),
    me: () =>
      data(request({ method: "GET", path: "/api/me", operation: "get identity", schema: identity.IdentityEnvelope })),

    connections: {
      list: () =>
        data(
          request({
            method: "GET",
            path: "/api/connections",
            operation: "list connections",
            schema: connections.ConnectionListEnvelope,
          }),
        ),
      get: (id: string) =>
        data(
          request({
            method: "GET",
            path: `/api/connections/${enc(id)}`,
            operation: `get connection ${id}`,
            schema: connections.ConnectionEnvelope,
          }),
        ),
      create: (body: connections.CreateConnectionRequest, opts: CreateOptions = {}) =>
        data(
          request({
            method: "POST",
            path: "/api/connections",
            operation: `create connection "${body.name}"`,
            schema: connections.ConnectionEnvelope,
            body,
            idempotencyKey: opts.idempotencyKey,
          }),
        ),
      update: (id: string, body: connections.UpdateConnectionRequest) =>
        data(
          request({
            method: "PUT",
            path: `/api/connections/${enc(id)}`,
            operation: `update connection ${id}`,
            schema: connections.ConnectionEnvelope,
            body,
          }),
        ),
      delete: async (id: string, opts: { force?: boolean } = {}) => {
        await request({
          method: "DELETE",
          path: `/api/connections/${enc(id)}`,
          operation: `delete connection ${id}`,
          schema: Anything,
          query: { force: opts.force },
        });
      },
      schemaStatus: (id: string) =>
        data(
          request({
            method: "GET",
            path: `/api/connections/${enc(id)}/schemas/status`,
            operation: `get schema status of connection ${id}`,
            schema: connections.SchemaStatusEnvelope,
          }),
        ),
    },

    models: {
      list: () =>
        data(
          request({ method: "GET", path: "/api/models", operation: "list models", schema: models.ModelListEnvelope }),
        ),
      get: (id: string) =>
        data(
          request({
            method: "GET",
            path: `/api/models/${enc(id)}`,
            operation: `get model ${id}`,
            schema: models.ModelEnvelope,
          }),
        ),
      create: (body: models.CreateModelRequest, opts: CreateOptions = {}) =>
        data(
          request({
            method: "POST",
            path: "/api/models",
            operation: `create model "${body.name}"`,
            schema: models.ModelEnvelope,
            body,
            idempotencyKey: opts.idempotencyKey,
          }),
        ),
      update: (id: string, body: models.UpdateModelRequest) =>
        data(
          request({
            method: "PUT",
            path: `/api/models/${enc(id)}`,
            operation: `update model ${id}`,
            schema: models.ModelEnvelope,
            body,
          }),
        ),
      delete: async (id: string) => {
        await request({
          method: "DELETE",
          path: `/api/models/${enc(id)}`,
          operation: `delete model ${id}`,
          schema: Anything,
        });
      },
    },

    syncs: {
      listPage: listSyncPage,
      /** Every sync, page after page (list items: lighter than `get`). */
      list: async (): Promise<SyncListItem[]> => {
        const items: SyncListItem[] = [];
        const seen = new Set<string>();
        for (let token: string | undefined; ; ) {
          const page = await listSyncPage({ page_token: token });
          items.push(...page.data);
          token = page.pagination?.next_page_token || undefined;
          if (!token) return items;
          // A server handing back a token twice would otherwise page forever.
          if (seen.has(token)) throw new Error(`list syncs: the API repeated page token ${token}`);
          seen.add(token);
        }
      },
      get: (id: string) =>
        data(
          request({
            method: "GET",
            path: `/api/syncs/${enc(id)}`,
            operation: `get sync ${id}`,
            schema: syncs.SyncEnvelope,
          }),
        ),
      create: (body: syncs.CreateSyncRequest, opts: CreateOptions = {}) =>
        data(
          request({
            method: "POST",
            path: "/api/syncs",
            operation: `create sync "${body.name}"`,
            schema: syncs.SyncEnvelope,
            body,
            idempotencyKey: opts.idempotencyKey,
          }),
        ),
      update: (id: string, body: syncs.UpdateSyncRequest) =>
        data(
          request({
            method: "PUT",
            path: `/api/syncs/${enc(id)}`,
            operation: `update sync ${id}`,
            schema: syncs.SyncEnvelope,
            body,
          }),
        ),
      delete: async (id: string) => {
        await request({
          method: "DELETE",
          path: `/api/syncs/${enc(id)}`,
          operation: `delete sync ${id}`,
          schema: Anything,
        });
      },
      /** Starts a run. Not retried (a repeated start would start another run). */
      start: (id: string, body: z.input<typeof syncs.StartSyncRequest> = {}) =>
        data(
          request({
            method: "POST",
            path: `/api/syncs/${enc(id)}/executions`,
            operation: `start sync ${id}`,
            schema: syncs.StartSyncEnvelope,
            body,
          }),
        ),
      status: (id: string) =>
        data(
          request({
            method: "GET",
            path: `/api/syncs/${enc(id)}/status`,
            operation: `get status of sync ${id}`,
            schema: syncs.SyncStatusEnvelope,
          }),
        ),
      execution: (syncId: string, executionId: string) =>
        data(
          request({
            method: "GET",
            path: `/api/syncs/${enc(syncId)}/executions/${enc(executionId)}`,
            operation: `get execution ${executionId} of sync ${syncId}`,
            schema: syncs.ExecutionEnvelope,
          }),
        ),
      executions: (syncId: string) =>
        data(
          request({
            method: "GET",
            path: `/api/syncs/${enc(syncId)}/executions`,
            operation: `list executions of sync ${syncId}`,
            schema: syncs.ExecutionListEnvelope,
          }),
        ),
    },

    webhooks: {
      list: () =>
        data(
          request({
            method: "GET",
            path: "/api/webhooks",
            operation: "list webhooks",
            schema: webhooks.WebhookListEnvelope,
          }),
        ),
      get: (id: string) =>
        data(
          request({
            method: "GET",
            path: `/api/webhooks/${enc(id)}`,
            operation: `get webhook ${id}`,
            schema: webhooks.WebhookEnvelope,
          }),
        ),
      create: (body: webhooks.CreateWebhookRequest, opts: CreateOptions = {}) =>
        data(
          request({
            method: "POST",
            path: "/api/webhooks",
            operation: "create the organization webhook",
            schema: webhooks.WebhookEnvelope,
            body,
            idempotencyKey: opts.idempotencyKey,
          }),
        ),
      update: (id: string, body: webhooks.CreateWebhookRequest) =>
        data(
          request({
            method: "PUT",
            path: `/api/webhooks/${enc(id)}`,
            operation: `update webhook ${id}`,
            schema: webhooks.WebhookEnvelope,
            body,
          }),
        ),
      delete: async (id: string) => {
        await request({
          method: "DELETE",
          path: `/api/webhooks/${enc(id)}`,
          operation: `delete webhook ${id}`,
          schema: Anything,
        });
      },
      // Enabling or disabling twice ends in the same state: safe to retry, so a key is sent.
      enable: (id: string) =>
        data(
          request({
            method: "POST",
            path: `/api/webhooks/${enc(id)}/enable`,
            operation: `enable webhook ${id}`,
            schema: webhooks.WebhookEnvelope,
            idempotencyKey: `enable-${id}-${Date.now()}`,
          }),
        ),
      disable: (id: string) =>
        data(
          request({
            method: "POST",
            path: `/api/webhooks/${enc(id)}/disable`,
            operation: `disable webhook ${id}`,
            schema: webhooks.WebhookEnvelope,
            idempotencyKey: `disable-${id}-${Date.now()}`,
          }),
        ),
    },

    /** A connection's schemas (tables, objects, files) and their primary-key overrides. */
    schemas: {
      get: (connectionId: string, schemaId: string) =>
        data(
          request({
            method: "GET",
            path: `/api/connections/${enc(connectionId)}/schemas/${enc(schemaId)}`,
            operation: `get schema ${schemaId} of connection ${connectionId}`,
            schema: schemas.SchemaEnvelope,
          }),
        ),
      /** Replaces the override set (a PUT: the same request twice ends in the same state). */
      setPrimaryKeys: async (connectionId: string, schemaId: string, fieldIds: readonly string[]) => {
        await request({
          method: "PUT",
          path: `/api/connections/${enc(connectionId)}/schemas/${enc(schemaId)}/primary_keys`,
          operation: `set the primary keys of schema ${schemaId} of connection ${connectionId}`,
          schema: Anything,
          body: { fields: fieldIds.map((id) => ({ field_id: id, is_primary_key: true })) } satisfies schemas.SetPrimaryKeysRequest,
        });
      },
      /** Back to the keys the source declares. */
      resetPrimaryKeys: async (connectionId: string, schemaId: string) => {
        await request({
          method: "DELETE",
          path: `/api/connections/${enc(connectionId)}/schemas/${enc(schemaId)}/primary_keys`,
          operation: `reset the primary keys of schema ${schemaId} of connection ${connectionId}`,
          schema: Anything,
        });
      },
    },

    /** Partner keys only: the organizations the partner runs. */
    organizations: {
      list: () =>
        data(
          request({
            method: "GET",
            path: "/api/organizations",
            operation: "list organizations",
            schema: organizations.OrganizationListEnvelope,
          }),
        ),
      get: (id: string) =>
        data(
          request({
            method: "GET",
            path: `/api/organizations/${enc(id)}`,
            operation: `get organization ${id}`,
            schema: organizations.OrganizationEnvelope,
          }),
        ),
      create: (body: organizations.CreateOrganizationRequest, opts: CreateOptions = {}) =>
        data(
          request({
            method: "POST",
            path: "/api/organizations",
            operation: `create organization "${body.name}"`,
            schema: organizations.OrganizationEnvelope,
            body,
            idempotencyKey: opts.idempotencyKey,
          }),
        ),
      update: (id: string, body: organizations.CreateOrganizationRequest) =>
        data(
          request({
            method: "PUT",
            path: `/api/organizations/${enc(id)}`,
            operation: `update organization ${id}`,
            schema: organizations.OrganizationEnvelope,
            body,
          }),
        ),
      delete: (id: string) =>
        request({
          method: "DELETE",
          path: `/api/organizations/${enc(id)}`,
          operation: `delete organization ${id}`,
          schema: Anything,
        }),
    },

    events: {
      list: (
        query: { type?: events.EventType; starting_after?: string; ending_before?: string; limit?: number } = {},
      ) =>
        data(
          request({
            method: "GET",
            path: "/api/events",
            operation: "list events",
            schema: events.EventListEnvelope,
            query,
          }),
        ),
      /** A record log a `sync.completed` event links to (`total_records` ...), fetched with this client's key. */
      recordLog: (link: string) =>
        request({ method: "GET", path: new URL(link).pathname, operation: "get record log", schema: events.RecordLog }),
    },
  };
}

export type PolytomicClient = ReturnType<typeof createClient>;
