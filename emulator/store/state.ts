/**
 * What the emulator keeps: every object the API manages, secrets in clear (they are redacted
 * on the way out), plus the outcomes of idempotent requests (sealed, see http/idempotency.ts). Executions and events belong to
 * the run engine, which keeps its own.
 */
import type { bulkSyncs, models, syncs, webhooks } from "../../contract";
import type { IdempotencyRecord } from "../http/idempotency";

export interface StoredConnection {
  id: string;
  name: string;
  /** Connection type id ("gcs", "webhook"); replace-only. */
  type: string;
  organization_id: string;
  /** As the client sent it, with stored secrets kept and server-generated keys added. */
  configuration: Record<string, unknown>;
  /** Optional request fields, as sent (absent when not sent). */
  policies?: string[];
  healthcheck_interval?: string;
  status: "healthy" | "unhealthy";
  status_error?: string;
  created_at: string;
  updated_at: string;
  /** The schema cache: refreshing from `refresh_started` until `ready_at`, then fresh. */
  schema: { refresh_started: string; ready_at: string };
  /** Primary-key overrides set over the API, by schema id: field ids (absent: the source's own keys). */
  primary_keys?: Record<string, string[]>;
}

export interface StoredModel {
  id: string;
  name: string;
  connection_id: string;
  organization_id: string;
  configuration: Record<string, unknown>;
  /** Source fields exposed (filtered by the request's `fields`), then `additional_fields`. */
  fields: models.ModelField[];
  /** The request's `fields` (names), kept to answer a full-replacement PUT the same way. */
  requested_fields?: string[];
  additional_fields: { name: string; label: string; type: string; example?: string }[];
  /** Optional request fields: kept as sent (absent when not sent) and served the same way. */
  identifier?: string;
  tracking_columns?: string[];
  labels?: string[];
  policies?: string[];
  relations?: models.ModelRelation[];
  enricher?: models.Enrichment | null;
  /** 1 at creation. The API documents no bump on PUT (a strict client would see a changed answer), so none. */
  version: number;
  created_at: string;
  updated_at: string;
}

/**
 * A sync as served (optional request fields as sent, absent when not sent), plus what is never
 * answered as sent: the passphrase, and the override fields (answered inside `fields`).
 */
export type StoredSync = syncs.Sync & {
  override_fields?: syncs.OverrideField[];
  id: string;
  organization_id: string;
  model_ids: string[];
  created_at: string;
  updated_at: string;
  encryption_passphrase?: string;
};

export type StoredWebhook = webhooks.Webhook & {
  organization_id: string;
  secret: string;
  disabled: boolean;
  created_at: string;
};

/** An organization a partner key created (the emulator's own organization is always there). */
export interface StoredOrganization {
  id: string;
  name: string;
  sso_domain?: string;
  sso_org_id?: string;
  issuer?: string;
  created_at: string;
}

/** A role an organization made (its built-in roles are not stored: resources/systemRoles.ts). */
export interface StoredRole {
  id: string;
  name: string;
  organization_id: string;
  created_at: string;
}

/** A policy: actions bound to roles, kept as sent. */
export interface StoredPolicy {
  id: string;
  name: string;
  organization_id: string;
  policy_actions: { action: string; role_ids?: string[] | null }[];
  created_at: string;
}

/** A user of an organization: email lowercased, roles by id. */
export interface StoredUser {
  id: string;
  email: string;
  organization_id: string;
  role_ids: string[];
  created_at: string;
}
/**
 * A bulk sync: the request's fields as sent (both versions' schedules kept as one
 * `default_schedule` plus `additional_schedules` with their ids), and every schema it knows with
 * its configuration (emulator/bulk/schemas.ts).
 */
export type StoredBulkSync = Omit<bulkSyncs.BulkSync, "schedule"> & {
  organization_id: string;
  default_schedule: bulkSyncs.DefaultSchedule;
  additional_schedules: bulkSyncs.AdditionalScheduleAnswer[];
  schemas: bulkSyncs.BulkSchema[];
  created_at: string;
  updated_at: string;
};

export interface EmulatorState {
  /** Format version of state.json. */
  format: 1;
  /** Every object below carries the `organization_id` of one of these. */
  organizations: Record<string, StoredOrganization>;
  connections: Record<string, StoredConnection>;
  models: Record<string, StoredModel>;
  syncs: Record<string, StoredSync>;
  webhooks: Record<string, StoredWebhook>;
  roles: Record<string, StoredRole>;
  policies: Record<string, StoredPolicy>;
  users: Record<string, StoredUser>;
  /** Each organization's global error subscribers (emails as sent), by organization id. */
  errorSubscribers: Record<string, string[]>;
  bulkSyncs: Record<string, StoredBulkSync>;
  /** A bulk sync's executions, newest last. */
  bulkExecutions: Record<string, bulkSyncs.BulkExecution[]>;
  /** Keyed by "<caller scope>:<Idempotency-Key>". */
  idempotency: Record<string, IdempotencyRecord>;
}

export const emptyState = (): EmulatorState => ({
  format: 1,
  organizations: {},
  connections: {},
  models: {},
  syncs: {},
  webhooks: {},
  roles: {},
  policies: {},
  users: {},
  errorSubscribers: {},
  bulkSyncs: {},
  bulkExecutions: {},
  idempotency: {},
});
