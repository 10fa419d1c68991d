/**
 * A Polytomic organization as code, as a data team runs it: the application's PostgreSQL database
 * as the source, a model over a SQL query (the active customers), that model synced to a webhook
 * and into a table of the warehouse, a bulk sync copying the application's schema into the
 * warehouse's, the team's role and the policy that governs the pipeline's objects, and who hears
 * of sync errors.
 */
import * as pulumi from "@pulumi/pulumi";
import { BulkSync, GlobalErrorSubscribers, Model, ModelSync, Policy, PostgresqlConnection, Role, WebhookConnection } from "polytomic-pulumi";

const config = new pulumi.Config();
const sourceSchema = config.get("sourceSchema") ?? "app";
const warehouseSchema = config.get("warehouseSchema") ?? "analytics";

// Who may do what: the team's role, and a policy granting it the pipeline's actions. The policy
// is attached to the pipeline's objects below, so it governs exactly them.
const team = new Role("data-team", { name: config.get("roleName") ?? "Data team" });
const pipelines = new Policy("pipelines", {
  name: "Customer pipelines",
  policyActions: [
    { action: "read", roleIds: [team.id] },
    { action: "run", roleIds: [team.id] },
    { action: "edit", roleIds: [team.id] },
  ],
});
const policies = [pipelines.id];

// The application's database, and the warehouse (here a schema of the same server: point
// `warehouse` at another one by giving it its own settings). The password is a Pulumi secret from
// the stack config; the class keeps it secret in the state and never sends it again unless it
// changes.
const server = {
  hostname: config.require("dbHost"),
  port: config.getNumber("dbPort") ?? 5432,
  database: config.require("dbName"),
  username: config.require("dbUser"),
  password: config.requireSecret("dbPassword"),
};
const database = new PostgresqlConnection("app-db", { name: "App database", configuration: server, policies });
const warehouse = new PostgresqlConnection("warehouse", { name: "Warehouse", configuration: server, policies });

// The model: a SQL query Polytomic runs on the database; its fields are the query's columns.
const activeCustomers = new Model("active-customers", {
  name: "Active customers",
  connectionId: database.id,
  configuration: {
    query: `SELECT email, name, plan, seats FROM ${sourceSchema}.customers WHERE active ORDER BY email`,
  },
  identifier: "email",
  policies,
});

const fromModel = (field: string) => ({ source: { modelId: activeCustomers.id, field } });

// Sync 1: each active customer delivered to the team's webhook, every field under its own name.
const hook = new WebhookConnection("customer-hook", {
  name: "Customer webhook",
  configuration: { url: config.require("webhookUrl") },
  policies,
});
const toWebhook = new ModelSync("customers-to-webhook", {
  name: "Active customers to the webhook",
  mode: "updateOrCreate",
  target: { connectionId: hook.id, object: "http", configuration: { batch_size: config.getNumber("webhookBatchSize") ?? 100 } },
  fields: ["email", "name", "plan", "seats"].map(fromModel),
  policies,
});

// Sync 2: the same customers into a table of the warehouse, matched on email: a row per customer,
// updated when the customer changes. Polytomic creates the table at the first run (its columns
// typed from the model's fields, email its primary key).
const toTable = new ModelSync("customers-to-warehouse", {
  name: "Active customers to the warehouse",
  mode: "updateOrCreate",
  target: { connectionId: warehouse.id, create: { name: `${warehouseSchema}.active_customers` } },
  identity: { source: { modelId: activeCustomers.id, field: "email" }, target: "email", function: "Equality" },
  fields: ["name", "plan", "seats"].map((field) => ({ target: field, ...fromModel(field) })),
  policies,
});

// The bulk sync: the application's customers table copied whole into the warehouse schema, as
// `customers`, on each run.
const replica = new BulkSync("app-to-warehouse", {
  name: "App database to the warehouse",
  source: { connectionId: database.id },
  destination: { connectionId: warehouse.id, configuration: { schema: warehouseSchema } },
  mode: "replicate",
  schemas: { [`${sourceSchema}.customers`]: { userOutputName: "customers" } },
  policies,
});

// The organization's one list of who hears of sync errors.
const errors = new GlobalErrorSubscribers("sync-errors", { emails: config.requireObject<string[]>("errorEmails") });

export const databaseConnectionId = database.id;
export const databaseStatus = database.status;
export const modelId = activeCustomers.id;
export const modelFields = activeCustomers.fieldNames;
export const webhookSyncId = toWebhook.id;
export const tableSyncId = toTable.id;
/** The model syncs by name, as `polytomic-sync <name>` finds them. */
export const syncs = { webhook: toWebhook.id, warehouse: toTable.id };
/** The Bearer token Polytomic sends with each delivery: the receiver checks it. */
export const bulkSyncId = replica.id;
/** Where each copied table lands in the warehouse schema. */
export const bulkOutputNames = replica.outputNames;
export const webhookSecret = hook.secret;
export const roleId = team.id;
export const policyId = pipelines.id;
export const errorEmails = errors.emails;
