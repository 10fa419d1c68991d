/**
 * The pipeline's rules, written once: its defaults, the sync keys it accepts and how many syncs
 * it takes. The component (gcsToWebhook.ts, gcsSource.ts, syncFields.ts) applies them to its
 * arguments; the stack-config parser (program/config.ts) checks config against them and fills in
 * the same defaults; Pulumi.yaml declares the defaults once more for the CLI, and a test
 * (test/program/pulumiYaml.test.ts) holds its values equal to these.
 */
import { syncs } from "../contract";

/** What a pipeline does with a setting left out. */
export const PIPELINE_DEFAULTS = {
  /** The contacts CSV's columns. */
  fields: ["email_address", "first_name", "last_name"] as readonly string[],
  /** Records per webhook request (Polytomic's UI default). */
  batchSize: syncs.DEFAULT_BATCH_SIZE,
  /** Keep each webhook request and response in Polytomic's sync logs. */
  recordRequests: true,
  /** Only when started by hand or through the API. */
  schedule: { frequency: "manual" } as { readonly frequency: "manual" },
  active: true,
  /** The CSV's object name in the bucket. */
  objectName: "high_paying_users.csv",
  /** `pulumi destroy` keeps a created bucket that holds other objects. */
  forceDestroy: false,
  /** The organization's event webhook delivers. */
  orgWebhookDisabled: false,
} as const;

/** Records per webhook request: the range Polytomic accepts. */
export const BATCH_SIZE_LIMITS = { min: 1, max: 10_000 } as const;

/** Key of the one sync a pipeline has when `syncs` is left out. */
export const DEFAULT_SYNC_KEY = "sync";
/** Upper bound on syncs per pipeline. */
export const MAX_SYNC_COUNT = 1000;
/** Sync keys: they end up in resource names and Polytomic names (`<prefix>-<key>`). */
export const SYNC_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
/** {@link SYNC_KEY_PATTERN} in words, for messages. */
export const SYNC_KEY_RULE = "1-63 of letters, digits, '_', '.', '-', starting with a letter or digit";
/** Suffixes the component's other children use: a sync key cannot take them. */
export const RESERVED_SYNC_KEYS: readonly string[] = ["gcs", "webhook", "model", "org-webhook"];
