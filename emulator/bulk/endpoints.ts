/**
 * What a connection offers a bulk sync: as a source, its schemas (a `postgresql` connection's
 * tables, read for real; other types have no data path, the emulator cannot look; the route
 * `/bulksync/source` is routes/schemas.ts); as a destination, its settings and modes
 * (`GET /api/connections/{id}/bulksync/target`, TS `BulkSyncDest`, read by Terraform's
 * `polytomic_bulk_destination`).
 */
import type { bulkSyncs } from "../../contract";
import { unprocessable } from "../http/errors";
import type { StoredConnection } from "../store/state";
import { failureOf } from "../postgres/connect";
import type { ConnectionSchema } from "../postgres/schemas";
import { connectionSchemas } from "./postgres";

/** The source's schemas, or undefined where the emulator cannot look. A source it cannot reach is a 422 naming why. */
export async function sourceSchemas(connection: StoredConnection): Promise<ConnectionSchema[] | undefined> {
  if (connection.type !== "postgresql") return undefined;
  try {
    return await connectionSchemas(connection);
  } catch (error) {
    throw unprocessable(`source_connection_id: cannot read the schemas of connection ${connection.id}: ${failureOf(error).message}`, {
      field: "source_connection_id",
    });
  }
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
