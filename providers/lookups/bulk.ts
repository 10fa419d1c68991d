/**
 * Lookups of a connection's bulk-sync metadata, as functions with `Output` forms (Polytomic's
 * Terraform data sources `polytomic_bulk_source` and `polytomic_bulk_destination`,
 * `provider/datasource_bulk_{source,destination}.go`): what a connection offers as a bulk-sync
 * source (its schemas and their fields) and what it takes as a destination (its settings and modes).
 */
import * as pulumi from "../sdk";
import { lookupClient } from "../lookupClient";

export interface GetBulkSourceArgs {
  /** The connection to look at. */
  connectionId: string;
  /** Its organization (partner keys only). */
  organizationId?: string;
}

export interface BulkSourceField {
  id: string;
  name: string;
  /** Polytomic's field type: string, number, boolean, datetime, array, object, binary or unknown. */
  type: string;
}

export interface BulkSourceSchema {
  /** The schema id a `BulkSync` names in `schemas` (`schema.table` for a database). */
  id: string;
  name: string;
  fields: BulkSourceField[];
}

export interface GetBulkSourceResult {
  connectionId: string;
  organizationId?: string;
  /** Every schema the connection offers, with its fields. */
  schemas: BulkSourceSchema[];
}

/** What a connection offers as a bulk-sync source: `GET /api/connections/{id}/bulksync/source?include_fields=true`. */
export async function getBulkSource(args: GetBulkSourceArgs): Promise<GetBulkSourceResult> {
  const source = await (await lookupClient(args.organizationId)).bulkSyncs.source(args.connectionId);
  return {
    connectionId: args.connectionId,
    ...(args.organizationId ? { organizationId: args.organizationId } : {}),
    schemas: source.schemas.map((s) => ({
      id: s.id,
      name: s.name ?? s.id,
      fields: s.fields.map((f) => ({ id: f.id, name: f.name ?? f.id, type: f.type ?? "unknown" })),
    })),
  };
}

/** {@link getBulkSource} for inputs that are outputs of other resources. */
export function getBulkSourceOutput(args: { connectionId: pulumi.Input<string>; organizationId?: pulumi.Input<string> }): pulumi.Output<GetBulkSourceResult> {
  return pulumi.output(args).apply((known) => getBulkSource(known));
}

export type GetBulkDestinationArgs = GetBulkSourceArgs;

export interface BulkDestinationMode {
  /** `replicate` or `snapshot`. */
  id: string;
  label: string;
  description: string;
}

export interface GetBulkDestinationResult {
  connectionId: string;
  organizationId?: string;
  /** The settings `destination.configuration` of a `BulkSync` takes (e.g. `schema` for PostgreSQL). */
  requiredConfiguration: string[];
  /** The modes the destination takes. */
  modes: BulkDestinationMode[];
}

/** What a connection takes as a bulk-sync destination: `GET /api/connections/{id}/bulksync/target`. */
export async function getBulkDestination(args: GetBulkDestinationArgs): Promise<GetBulkDestinationResult> {
  const destination = await (await lookupClient(args.organizationId)).bulkSyncs.destination(args.connectionId);
  return {
    connectionId: args.connectionId,
    ...(args.organizationId ? { organizationId: args.organizationId } : {}),
    requiredConfiguration: Object.keys(destination.configuration ?? {}).sort(),
    modes: (destination.modes ?? []).map((m) => ({ id: m.id, label: m.label ?? m.id, description: m.description ?? "" })),
  };
}

/** {@link getBulkDestination} for inputs that are outputs of other resources. */
export function getBulkDestinationOutput(args: {
  connectionId: pulumi.Input<string>;
  organizationId?: pulumi.Input<string>;
}): pulumi.Output<GetBulkDestinationResult> {
  return pulumi.output(args).apply((known) => getBulkDestination(known));
}
