/**
 * What a connection offers a bulk sync, as source and as destination
 * (`GET /api/connections/{id}/bulksync/source` and `/bulksync/target`, TS `BulkSyncSource`,
 * `BulkSyncDest`; read by Terraform's `polytomic_bulk_source` and `polytomic_bulk_destination`).
 *
 * A `postgresql` connection is looked at for real: its tables are its schemas. Other types have no
 * data path in the emulator: they offer no schemas (the emulator cannot look).
 */
import type { bulkSyncs } from "../../contract";
import { unprocessable } from "../http/errors";
import type { StoredConnection } from "../store/state";
import { fieldType, listTables, type Table, withPostgres } from "./postgres";

/** The source's tables, or undefined where the emulator cannot look. A source it cannot reach is a 422 naming why. */
export async function sourceTables(connection: StoredConnection): Promise<Table[] | undefined> {
  if (connection.type !== "postgresql") return undefined;
  try {
    return await withPostgres(connection.configuration, listTables);
  } catch (error) {
    throw unprocessable(`source_connection_id: cannot read the schemas of connection ${connection.id}: ${(error as Error).message}`, {
      field: "source_connection_id",
    });
  }
}

/** `BulkSyncSource`: every schema with its fields (`include_fields=false`: without them). */
export async function bulkSource(connection: StoredConnection, includeFields: boolean): Promise<bulkSyncs.BulkSource> {
  const tables = (await sourceTables(connection)) ?? [];
  return {
    schemas: tables.map((table) => ({
      id: table.id,
      name: table.id,
      ...(includeFields
        ? {
            fields: table.columns.map((column) => ({
              id: column.name,
              name: column.name,
              type: fieldType(column.sqlType),
              remote_type: column.sqlType,
              is_primary_key: table.primaryKey.includes(column.name),
            })),
          }
        : {}),
    })),
    // Tracking fields choose the rows an incremental run reads: a database table has columns for it.
    capabilities: { supports_tracking_fields: connection.type === "postgresql" },
  };
}

/** The modes, as TS `SupportedBulkMode` describes them. */
const MODES: Record<bulkSyncs.BulkSync["mode"] & string, bulkSyncs.BulkDestination["modes"] & object> = {
  replicate: [{ id: "replicate", label: "Replicate", description: "Keep the destination a copy of the source", requires_identity: false }],
  snapshot: [{ id: "snapshot", label: "Snapshot", description: "Write a full copy of the source at each run", requires_identity: false }],
};

/**
 * The modes a destination takes. A `postgresql` destination takes `replicate` only (TF
 * `resource_bulk_sync_test.go` TestAccBulkSyncResourceSnapshot: "PostgreSQL destination does not
 * support snapshot mode"); other types are not restricted by the emulator.
 */
export function destinationModes(type: string): bulkSyncs.BulkSync["mode"][] {
  return type === "postgresql" ? ["replicate"] : ["replicate", "snapshot"];
}

/**
 * `BulkSyncDest`: `configuration` has one key per setting the destination takes (Terraform's
 * `polytomic_bulk_destination` reads these keys as `required_configuration`). A `postgresql`
 * destination takes the output `schema` (TS `CreateBulkSyncRequest` example
 * `destination_configuration: {"schema": "my_schema"}`; TF acceptance tests `{"schema" = "public"}`).
 */
export function bulkDestination(connection: StoredConnection): bulkSyncs.BulkDestination {
  return {
    configuration:
      connection.type === "postgresql" ? { schema: { type: "string", title: "Output schema", description: "Schema the tables are written to (default: public)" } } : {},
    modes: destinationModes(connection.type).flatMap((mode) => MODES[mode as keyof typeof MODES]),
    supported_resync_modes: [],
  };
}
