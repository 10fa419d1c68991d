/**
 * The tenants file: one entry per customer, each becoming a Polytomic organization with its own
 * pipeline. Checked whole before anything is declared, so a mistake fails the preview with the
 * tenant and the field named.
 */
import * as fs from "node:fs";
import type { PipelineSync } from "polytomic-pulumi";

export interface Tenant {
  /** Unique; names the organization, the Pulumi resources and the Polytomic objects. */
  readonly name: string;
  /** Bucket holding the tenant's contacts CSV. */
  readonly bucket: string;
  /** Object name of the CSV. Default `high_paying_users.csv`. */
  readonly objectName?: string;
  /** Where the tenant's records are delivered. */
  readonly receiverUrl: string;
  /** CSV columns delivered (each under its normalized name). Default: email_address, first_name, last_name. */
  readonly fields?: readonly string[];
  readonly batchSize?: number;
  readonly active?: boolean;
  /** Named syncs with their own settings (see the component's `syncs`). Default: one, `sync`. */
  readonly syncs?: Readonly<Record<string, PipelineSync>>;
}

const NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;

export function readTenants(file: string): Tenant[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`${file}: cannot read the tenants (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!Array.isArray(parsed)) throw new Error(`${file}: must be a JSON list of tenants`);
  const seen = new Set<string>();
  return parsed.map((entry, i) => {
    const at = `${file}[${i}]`;
    if (!entry || typeof entry !== "object") throw new Error(`${at}: must be an object`);
    const tenant = entry as Record<string, unknown>;
    if (typeof tenant.name !== "string" || !NAME.test(tenant.name)) {
      throw new Error(`${at}.name: must be 1-40 of a-z, 0-9 and '-', starting with a letter or digit`);
    }
    if (seen.has(tenant.name)) throw new Error(`${at}.name: "${tenant.name}" is listed twice`);
    seen.add(tenant.name);
    for (const key of ["bucket", "receiverUrl"] as const) {
      if (typeof tenant[key] !== "string" || tenant[key] === "") throw new Error(`${at}.${key}: required (tenant "${tenant.name}")`);
    }
    if (tenant.batchSize !== undefined && (!Number.isInteger(tenant.batchSize) || (tenant.batchSize as number) < 1 || (tenant.batchSize as number) > 10_000)) {
      throw new Error(`${at}.batchSize: must be a whole number from 1 to 10000 (tenant "${tenant.name}")`);
    }
    return tenant as unknown as Tenant;
  });
}
