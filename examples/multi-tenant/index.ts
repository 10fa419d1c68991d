/**
 * A Connect partner's stack: every tenant of tenants.json gets its own Polytomic organization
 * and, inside it, a GCS-to-webhook pipeline. Adding a tenant to the file creates only that
 * tenant's objects; removing one deletes only its objects, then its organization.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { GcsToWebhook, Organization } from "polytomic-pulumi";
import { readTenants } from "./tenants";

const config = new pulumi.Config();
// Relative to this project (the folder of Pulumi.yaml), wherever the compiled program runs from:
// the program is bin/index.js, one folder below it. (pulumi.runtime.getRootDirectory() says the
// same, but only from @pulumi/pulumi 3.15x on; this works with every SDK polytomic-pulumi supports.)
const tenantsFile = path.resolve(__dirname, "..", config.get("tenantsFile") ?? "tenants.json");
const serviceAccountKey = config.requireSecret("serviceAccountKey");

const pipelines = readTenants(tenantsFile).map((tenant) => {
  const organization = new Organization(tenant.name, { name: tenant.name });
  const pipeline = new GcsToWebhook(
    tenant.name,
    {
      existing: { bucketName: tenant.bucket, serviceAccountKey, objectName: tenant.objectName },
      receiverUrl: tenant.receiverUrl,
      namePrefix: tenant.name,
      fields: tenant.fields,
      batchSize: tenant.batchSize,
      active: tenant.active,
      syncs: tenant.syncs,
      organizationId: organization.id,
    },
    // The organization goes last on destroy: everything inside it first.
    { dependsOn: [organization] },
  );
  return { tenant: tenant.name, organizationId: organization.id, syncs: pipeline.syncs };
});

/** Per tenant: its organization's id and its syncs' ids by key. */
export const tenants = pulumi
  .all(pipelines.map((p) => pulumi.all([p.organizationId, p.syncs])))
  .apply((values) => Object.fromEntries(values.map(([organizationId, syncs], i) => [pipelines[i].tenant, { organizationId, syncs }])));
