/**
 * Bulk-sync calls of the client: `/api/bulk/syncs[...]` and a connection's bulk-sync metadata
 * (`/api/connections/{id}/bulksync/{source,target}`). Routes: polytomic-typescript
 * `src/api/resources/bulkSync/**` (the same in the `polytomic` 1.18.1 SDK).
 */
import { z } from "zod";
import { bulkSyncs, schemas } from "../contract";
import type { Requester } from "./http";

const Anything = z.unknown();
const enc = encodeURIComponent;

export function bulkSyncClient(request: Requester) {
  const data = async <T>(promise: Promise<{ data: T }>): Promise<T> => (await promise).data;
  const listPage = (query: { page_token?: string } = {}) =>
    request({ method: "GET", path: "/api/bulk/syncs", operation: "list bulk syncs", schema: bulkSyncs.BulkSyncListEnvelope, query });

  return {
    /** Every bulk sync, page after page. */
    list: async (): Promise<bulkSyncs.BulkSync[]> => {
      const items: bulkSyncs.BulkSync[] = [];
      const seen = new Set<string>();
      for (let token: string | undefined; ; ) {
        const page = await listPage({ page_token: token });
        items.push(...page.data);
        token = page.pagination?.next_page_token || undefined;
        if (!token) return items;
        if (seen.has(token)) throw new Error(`list bulk syncs: the API repeated page token ${token}`);
        seen.add(token);
      }
    },
    get: (id: string) =>
      data(request({ method: "GET", path: `/api/bulk/syncs/${enc(id)}`, operation: `get bulk sync ${id}`, schema: bulkSyncs.BulkSyncEnvelope })),
    create: (body: bulkSyncs.BulkSyncRequest, opts: { idempotencyKey?: string } = {}) =>
      data(
        request({
          method: "POST",
          path: "/api/bulk/syncs",
          operation: `create bulk sync "${body.name}"`,
          schema: bulkSyncs.BulkSyncEnvelope,
          body,
          idempotencyKey: opts.idempotencyKey,
        }),
      ),
    update: (id: string, body: bulkSyncs.BulkSyncRequest) =>
      data(request({ method: "PUT", path: `/api/bulk/syncs/${enc(id)}`, operation: `update bulk sync ${id}`, schema: bulkSyncs.BulkSyncEnvelope, body })),
    delete: async (id: string) => {
      await request({ method: "DELETE", path: `/api/bulk/syncs/${enc(id)}`, operation: `delete bulk sync ${id}`, schema: Anything });
    },
    /** The schemas (tables) of a bulk sync, with their fields as configured. */
    schemas: (id: string) =>
      data(
        request({ method: "GET", path: `/api/bulk/syncs/${enc(id)}/schemas`, operation: `list schemas of bulk sync ${id}`, schema: bulkSyncs.BulkSchemaListEnvelope }),
      ),
    schema: (id: string, schemaId: string) =>
      data(
        request({
          method: "GET",
          path: `/api/bulk/syncs/${enc(id)}/schemas/${enc(schemaId)}`,
          operation: `get schema ${schemaId} of bulk sync ${id}`,
          schema: bulkSyncs.BulkSchemaEnvelope,
        }),
      ),
    /** Starts a run. Not retried (a repeated start would start another run). */
    start: (id: string, body: z.input<typeof bulkSyncs.StartBulkSyncRequest> = {}) =>
      data(
        request({ method: "POST", path: `/api/bulk/syncs/${enc(id)}/executions`, operation: `start bulk sync ${id}`, schema: bulkSyncs.BulkExecutionEnvelope, body }),
      ),
    status: (id: string) =>
      data(request({ method: "GET", path: `/api/bulk/syncs/${enc(id)}/status`, operation: `get status of bulk sync ${id}`, schema: bulkSyncs.BulkSyncStatusEnvelope })),
    execution: (id: string, executionId: string) =>
      data(
        request({
          method: "GET",
          path: `/api/bulk/syncs/${enc(id)}/executions/${enc(executionId)}`,
          operation: `get execution ${executionId} of bulk sync ${id}`,
          schema: bulkSyncs.BulkExecutionEnvelope,
        }),
      ),
    executions: (id: string) =>
      data(
        request({ method: "GET", path: `/api/bulk/syncs/${enc(id)}/executions`, operation: `list executions of bulk sync ${id}`, schema: bulkSyncs.BulkExecutionListEnvelope }),
      ),
    /** What a connection offers as a bulk-sync source: its schemas and their fields. */
    source: (connectionId: string) =>
      data(
        request({
          method: "GET",
          path: `/api/connections/${enc(connectionId)}/bulksync/source`,
          operation: `get bulk-sync source of connection ${connectionId}`,
          schema: schemas.BulkSyncSourceEnvelope,
          query: { include_fields: true },
        }),
      ),
    /** What a connection takes as a bulk-sync destination: its settings and modes. */
    destination: (connectionId: string) =>
      data(
        request({
          method: "GET",
          path: `/api/connections/${enc(connectionId)}/bulksync/target`,
          operation: `get bulk-sync destination of connection ${connectionId}`,
          schema: bulkSyncs.BulkDestinationEnvelope,
        }),
      ),
  };
}
