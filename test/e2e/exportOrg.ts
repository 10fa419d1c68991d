/**
 * A hand-made organization for the export tests, built through the emulator's HTTP API with the
 * project's client (never through Pulumi): GCS and webhook connections (two with the same name),
 * models, syncs with varied batch sizes, schedules and metadata (one running after another),
 * and the org webhook.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PolytomicClient } from "../../client";
import { DEMO_BUCKET, DEMO_CSV_SOURCE, DEMO_OBJECT, generateServiceAccountKey } from "../../emulator";

export const ARCHIVE_BUCKET = "polytomic-archive";

/** What was made, and the secrets only the test knows (the API never shows them back). */
export interface HandMadeOrg {
  /** Service-account key per GCS connection name. */
  serviceAccountKeys: Record<string, string>;
  orgWebhookSecret: string;
  syncIds: Record<string, string>;
  /** Every object id, by kind (the organization-wide kinds only when asked for). */
  ids: {
    connections: string[];
    models: string[];
    syncs: string[];
    webhooks: string[];
    roles?: string[];
    policies?: string[];
    errorSubscribers?: string[];
    bulkSyncs?: string[];
  };
  /** The PostgreSQL connection's password, when one was made. */
  postgresPassword?: string;
}

/** What else to make: a PostgreSQL connection (its settings), a custom role, a policy and error subscribers. */
export interface HandMadeExtras {
  postgres: { hostname: string; port: number; database: string; username: string; password: string };
  /** A database schema holding a table `people` (email primary key): a bulk sync copies it into `<schema>_copy`. */
  bulkSchema: string;
}

/**
 * Every sync maps one column to the target `record`: Polytomic's webhook docs give every field
 * of a webhook sync that target, and one field per sync stays valid whether or not the API
 * accepts the same target twice.
 */
const recordField = (modelId: string, column: string) => [{ target: "record", source: { model_id: modelId, field: column } }];

export async function makeHandMadeOrg(client: PolytomicClient, gcsRoot: string, extras?: HandMadeExtras): Promise<HandMadeOrg> {
  // A second bucket, holding the same CSV.
  fs.mkdirSync(path.join(gcsRoot, ARCHIVE_BUCKET), { recursive: true });
  fs.copyFileSync(DEMO_CSV_SOURCE, path.join(gcsRoot, ARCHIVE_BUCKET, DEMO_OBJECT));

  const serviceAccountKeys = {
    "Contacts bucket": generateServiceAccountKey({ projectId: "export-contacts" }),
    "Archive bucket (EU)": generateServiceAccountKey({ projectId: "export-archive" }),
  };
  const contacts = await client.connections.create({
    name: "Contacts bucket",
    type: "gcs",
    configuration: { bucket: DEMO_BUCKET, service_account: serviceAccountKeys["Contacts bucket"], csv_has_headers: true },
  });
  const archive = await client.connections.create({
    name: "Archive bucket (EU)",
    type: "gcs",
    configuration: { bucket: ARCHIVE_BUCKET, service_account: serviceAccountKeys["Archive bucket (EU)"] },
  });
  const crm = await client.connections.create({
    name: "CRM hook",
    type: "webhook",
    configuration: { url: "http://127.0.0.1:9/crm", headers: [{ name: "X-Team", value: "growth" }] },
  });
  // Same name as the first: the export must still give it a name of its own.
  const crmStaging = await client.connections.create({ name: "CRM hook", type: "webhook", configuration: { url: "http://127.0.0.1:9/crm-staging" } });
  const audit = await client.connections.create({ name: "Audit hook", type: "webhook", configuration: { url: "http://127.0.0.1:9/audit" } });

  const payers = await client.models.create({
    name: "High-paying users",
    connection_id: contacts.id,
    configuration: { model_from: "single_file", key: DEMO_OBJECT, file_format: "csv" },
    fields: ["email_address", "first_name", "last_name", "plan"],
    identifier: "email_address",
    tracking_columns: ["plan"],
  });
  const archived = await client.models.create({
    name: "Archived contacts",
    connection_id: archive.id,
    configuration: { model_from: "single_file", key: DEMO_OBJECT },
    additional_fields: [{ name: "segment", label: "Segment", type: "string", example: "vip" }],
  });

  const http = (connectionId: string, configuration: Record<string, unknown>) => ({ connection_id: connectionId, object: "http", configuration });
  const nightly = await client.syncs.create({
    name: "Nightly audit",
    mode: "updateOrCreate",
    schedule: { frequency: "weekly", day_of_week: "monday", hour: "6", minute: "0" },
    target: http(audit.id, { batch_size: 500, record_requests: false }),
    fields: recordField(archived.id, "email_address"),
    active: false,
  });
  // Named to sort before the sync it runs after: the export must still declare that one first.
  const afterAudit = await client.syncs.create({
    name: "After audit",
    mode: "updateOrCreate",
    schedule: { frequency: "runafter", run_after: { sync_ids: [nightly.id] }, run_after_success_only: true },
    target: http(audit.id, { batch_size: 1, record_requests: true, metadata: { source: "archive", stage: 2 } }),
    fields: recordField(archived.id, "country"),
    active: true,
  });
  const contactsToCrm = await client.syncs.create({
    name: "Contacts to CRM",
    mode: "updateOrCreate",
    schedule: { frequency: "manual" },
    target: http(crm.id, { batch_size: 100, record_requests: true, metadata: { team: "growth", env: "prod" } }),
    fields: recordField(payers.id, "email_address"),
    active: true,
  });
  const contactsToStaging = await client.syncs.create({
    name: "Contacts to CRM",
    mode: "updateOrCreate",
    schedule: { frequency: "daily", hour: "3", minute: "15" },
    target: http(crmStaging.id, { batch_size: 25, metadata: [{ key: "region", value: "eu" }, { key: "tier", value: "gold" }] }),
    fields: recordField(payers.id, "first_name"),
    active: true,
  });
  const vips = await client.syncs.create({
    name: "Hourly VIPs",
    mode: "updateOrCreate",
    schedule: { frequency: "hourly", minute: "30" },
    target: http(crm.id, { batch_size: 10_000, record_requests: true, metadata: { nested: { level: 2, tags: ["vip", "paying"] } } }),
    fields: recordField(payers.id, "last_name"),
    identity: { source: { model_id: payers.id, field: "email_address" }, target: "email", function: "Equality" },
    filters: [{ function: "IsNotNull", field: { model_id: payers.id, field: "plan" }, field_type: "Model" }],
    sync_all_records: true,
    active: true,
  });

  const orgWebhookSecret = "export-org-secret-2468";
  const orgWebhook = await client.webhooks.create({ endpoint: "http://127.0.0.1:9/events", secret: orgWebhookSecret });

  const made = extras ? await makeOrganizationWide(client, extras) : undefined;
  return {
    ...(made ? { postgresPassword: extras?.postgres.password } : {}),
    serviceAccountKeys,
    orgWebhookSecret,
    syncIds: { nightly: nightly.id, afterAudit: afterAudit.id, contactsToCrm: contactsToCrm.id, contactsToStaging: contactsToStaging.id, vips: vips.id },
    ids: {
      connections: [contacts.id, archive.id, crm.id, crmStaging.id, audit.id, ...(made ? [made.warehouse, made.replica] : [])],
      models: [payers.id, archived.id],
      syncs: [nightly.id, afterAudit.id, contactsToCrm.id, contactsToStaging.id, vips.id],
      webhooks: [orgWebhook.id],
      ...(made ? { roles: [made.role], policies: [made.policy], errorSubscribers: ["global-error-subscribers"], bulkSyncs: [made.bulkSync] } : {}),
    },
  };
}

/**
 * Two PostgreSQL connections and a bulk sync from one to the other, a custom role, a policy
 * binding it and the built-in Admin role, and the error subscribers.
 */
async function makeOrganizationWide(client: PolytomicClient, extras: HandMadeExtras) {
  const warehouse = await client.connections.create({ name: "Warehouse", type: "postgresql", configuration: { ...extras.postgres, ssl: false } });
  const replica = await client.connections.create({ name: "Replica", type: "postgresql", configuration: { ...extras.postgres, ssl: false } });
  const bulkSync = await client.bulkSyncs.create({
    name: "People to replica",
    source_connection_id: warehouse.id,
    destination_connection_id: replica.id,
    destination_configuration: { schema: `${extras.bulkSchema}_copy` },
    mode: "replicate",
    active: true,
    default_schedule: { frequency: "daily", hour: "4", minute: "30" },
    schemas: [{ id: `${extras.bulkSchema}.people`, tracking_field: "email", fields: [{ id: "email" }, { id: "name", obfuscate: true }] }],
  });
  const role = await client.roles.create({ name: "Data team" });
  const admin = (await client.roles.list()).find((r) => r.system && r.name === "Admin");
  if (!admin) throw new Error("the organization has no built-in Admin role");
  const policy = await client.policies.create({ name: "Warehouse access", policy_actions: [{ action: "apply_policy", role_ids: [role.id, admin.id] }] });
  await client.globalErrorSubscribers.set(["data-oncall@acme.example", "ops@acme.example"]);
  return { warehouse: warehouse.id, replica: replica.id, role: role.id, policy: policy.id, bulkSync: bulkSync.id };
}
