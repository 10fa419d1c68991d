/**
 * The connection types the emulator serves: every type of the snapshot of Polytomic's own
 * (contract/connectionTypes: `GET /api/connection_types` and, per type, the JSON Schema of its
 * configuration, `GET /api/connection_types/{id}`). `gcs` and `webhook`, whose objects the
 * emulator runs, also carry what the reference (section 2.1) says of them: logo, operations,
 * capabilities. The snapshot keeps only id, name and use_oauth of the others.
 */
import { connectionTypes } from "../../contract";

export interface ConnectionTypeInfo {
  id: string;
  name: string;
  logo_url?: string;
  operations?: string[];
  capabilities?: { source: boolean; destination: boolean; enrichment: boolean; orchestration: boolean };
  use_oauth: boolean;
}

const gcs: ConnectionTypeInfo = {
  id: "gcs",
  name: "Google Cloud Storage",
  logo_url: "https://app.polytomic.com/static/logos/gcs.svg",
  operations: ["modelsync_source", "modelsync_target", "bulksync_source", "bulksync_target"],
  capabilities: { source: true, destination: true, enrichment: false, orchestration: false },
  use_oauth: false,
};

const webhook: ConnectionTypeInfo = {
  id: "webhook",
  name: "Webhook",
  logo_url: "https://app.polytomic.com/static/logos/webhook.svg",
  operations: ["modelsync_target"],
  capabilities: { source: false, destination: true, enrichment: false, orchestration: false },
  use_oauth: false,
};

/** The types whose objects the emulator runs (a data path), with what is known of them beyond the snapshot. */
export const RUN_TYPES: Readonly<Record<string, ConnectionTypeInfo>> = { gcs, webhook };

/** Every type served, in the snapshot's order. */
export function allConnectionTypes(): ConnectionTypeInfo[] {
  return connectionTypes.connectionTypeList().map((entry) => connectionType(entry.id) as ConnectionTypeInfo);
}

/** A type the emulator serves (the snapshot's, or one it runs), or undefined. */
export function connectionType(id: string): ConnectionTypeInfo | undefined {
  if (Object.hasOwn(RUN_TYPES, id)) return RUN_TYPES[id];
  const entry = connectionTypes.connectionTypeEntry(id);
  return entry ? { id: entry.id, name: entry.name, use_oauth: entry.use_oauth } : undefined;
}

/** The `type` object inside a connection response. */
export const connectionTypeRef = (info: ConnectionTypeInfo) => ({
  id: info.id,
  name: info.name,
  ...(info.logo_url === undefined ? {} : { logo_url: info.logo_url }),
  ...(info.operations === undefined ? {} : { operations: info.operations }),
});
