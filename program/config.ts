/**
 * The stack's configuration, parsed once into a typed object with errors that name the key and
 * the command that fixes it. `parsePipelineConfig` is pure (it reads through a lookup function);
 * `readPipelineConfig` is the thin wrapper over Pulumi's config used by the program.
 *
 * Keys live in the project namespace (`polytomic-pipelines:<key>`, set with
 * `pulumi config set <key> …`); Pulumi.yaml documents each one. `polytomic:url` and
 * `polytomic:apiKey` belong to the providers, which read them themselves: they are only checked
 * for presence here, so a missing one fails the preview with a clear message.
 */
import * as pulumi from "../providers/sdk";
import { z } from "zod";
import { BATCH_SIZE_LIMITS, MAX_SYNC_COUNT, PIPELINE_DEFAULTS, SYNC_KEY_PATTERN, SYNC_KEY_RULE } from "../components/pipelineRules";
import { connections, syncs, webhooks } from "../contract";

/** A config value as Pulumi holds it: text (objects as JSON) and whether it is stored encrypted. */
export interface RawConfigValue {
  readonly value: string;
  readonly secret: boolean;
}

/** Where the parser reads from. Project keys are bare (`batchSize`), others namespaced (`polytomic:url`). */
export interface ConfigSource {
  get(key: string): RawConfigValue | undefined;
  /** Bare names of every key set in the project namespace (to spot typos). Optional. */
  projectKeys?(): readonly string[];
  /** Environment variables (the providers also accept POLYTOMIC_URL / POLYTOMIC_API_KEY). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Sync schedule, camelCase like the ModelSync resource's `schedule`. */
export type ScheduleConfig = z.infer<typeof ScheduleConfig>;
/** Ids of existing Polytomic objects to adopt (see the component's `adopt`). */
export type AdoptConfig = z.infer<typeof AdoptConfig>;
/** One model sync's own settings (see the component's `PipelineSync`). */
export type SyncConfig = z.infer<typeof SyncConfig>;

export type GcpSourceConfig =
  | {
      readonly mode: "existing";
      readonly bucketName: string;
      /** JSON text of the service-account key (from a secret config value). */
      readonly serviceAccountKey: string;
      readonly objectName: string;
    }
  | {
      readonly mode: "create";
      readonly location: string;
      /** Undefined: the gcp provider's own project (`gcp:project` or the environment). */
      readonly project?: string;
      /** Undefined: auto-named. */
      readonly bucketName?: string;
      readonly csvPath: string;
      readonly objectName: string;
      readonly forceDestroy: boolean;
    };

export interface PipelineConfig {
  readonly gcp: GcpSourceConfig;
  readonly receiverUrl: string;
  /** Undefined: the program's default (`<project>-<stack>`). */
  readonly namePrefix?: string;
  /** CSV columns the syncs deliver (each under its own normalized name), unless a sync lists its own. */
  readonly fields: readonly string[];
  readonly batchSize: number;
  readonly recordRequests: boolean;
  readonly schedule: ScheduleConfig;
  readonly active: boolean;
  /** Static object delivered with every batch, unless a sync sets its own. */
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** The model syncs by key; undefined: the component's default (one sync, key `sync`). */
  readonly syncs?: Readonly<Record<string, SyncConfig>>;
  /** Changing it replaces the webhook connection (rotates its server-generated secret). */
  readonly webhookSecretVersion?: string;
  readonly orgWebhook?: {
    readonly url: string;
    readonly secret: string;
    readonly disabled: boolean;
    /** The stack (`<project>/<stack>`) the adopted webhook (`adopt.orgWebhookId`) is taken over from. */
    readonly takeOverFrom?: string;
  };
  readonly adopt: AdoptConfig;
}

export interface ConfigProblem {
  /** The key at fault, e.g. `batchSize`, `schedule.hour` or `polytomic:apiKey`. */
  readonly key: string;
  readonly message: string;
  /** A command that fixes it. */
  readonly fix: string;
}

/** Every problem found, not only the first: one preview shows the whole list. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      `Stack configuration is invalid (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${p.key}: ${p.message}. Fix: ${p.fix}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

export interface ParsedPipelineConfig {
  readonly config: PipelineConfig;
  /** Keys that are set but unused (typos, or keys of the other gcpMode). */
  readonly warnings: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Value schemas. Config values are text; messages never quote the value (it may be a secret).

const text = z.string().min(1, "must not be empty");
const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });
const booleanText = z.enum(["true", "false"], { error: 'must be "true" or "false"' }).transform((v) => v === "true");
const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^-?\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
const jsonText = <T extends z.ZodType>(schema: T) =>
  z
    .string()
    .transform((value, ctx): unknown => {
      try {
        return JSON.parse(value);
      } catch {
        ctx.addIssue({ code: "custom", message: "must be structured config: a YAML map or list (set it with --path)" });
        return z.NEVER;
      }
    })
    .pipe(schema);

const clockPart = (max: number) =>
  z
    .union([z.number().int(), z.string().regex(/^\d{1,2}$/, "must be a whole number")], { error: "must be a whole number" })
    .transform(String)
    .refine((v) => Number(v) <= max, `must be at most ${max}`);

const ScheduleConfig = z.strictObject({
  frequency: z.enum(syncs.SCHEDULE_FREQUENCIES, { error: `must be one of ${syncs.SCHEDULE_FREQUENCIES.join(", ")}` }),
  hour: clockPart(23).optional(),
  minute: clockPart(59).optional(),
  dayOfWeek: z.string().optional(),
  dayOfMonth: z.string().optional(),
  month: z.string().optional(),
  runAfter: z
    .strictObject({ syncIds: z.array(text).optional(), bulkSyncIds: z.array(text).optional() })
    .optional(),
  runAfterSuccessOnly: z.boolean().optional(),
});

const AdoptConfig = z.strictObject({
  gcsConnectionId: text.optional(),
  webhookConnectionId: text.optional(),
  modelId: text.optional(),
  syncId: text.optional(),
  orgWebhookId: text.optional(),
});

const FieldsConfig = z
  .array(z.string().trim().min(1, "a CSV column name is empty"), {
    error: (issue) =>
      issue.input && typeof issue.input === "object"
        ? 'the map form { <record key>: <CSV column> } is no longer supported: Polytomic delivers each column under its own normalized name (every field of a webhook sync has target "record"), so write the CSV columns as a list'
        : "must be a list of CSV column names",
  })
  .min(1, "must list at least one CSV column");

const Metadata = z.record(z.string(), z.unknown(), { error: "must be an object of key: value" });

const SYNC_SETTINGS = ["fields", "batchSize", "recordRequests", "metadata", "schedule", "active", "syncAllRecords", "skipInitialBackfill", "adoptId"];

const SyncConfig = z.strictObject(
  {
    fields: FieldsConfig.optional(),
    batchSize: z
      .number()
      .int("must be a whole number")
      .min(BATCH_SIZE_LIMITS.min, `must be at least ${BATCH_SIZE_LIMITS.min}`)
      .max(BATCH_SIZE_LIMITS.max, `must be at most ${BATCH_SIZE_LIMITS.max}`)
      .optional(),
    recordRequests: z.boolean().optional(),
    metadata: Metadata.optional(),
    schedule: ScheduleConfig.optional(),
    active: z.boolean().optional(),
    syncAllRecords: z.boolean().optional(),
    skipInitialBackfill: z.boolean().optional(),
    adoptId: text.optional(),
  },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `unknown setting ${issue.keys.map((k) => `"${k}"`).join(", ")} (known: ${SYNC_SETTINGS.join(", ")})`
        : `must be an object of sync settings (${SYNC_SETTINGS.join(", ")})`,
  },
);

/** A sync key made valid, for the fix of an invalid one (`my sync` -> `my-sync`). */
function validSyncKey(key: string): string {
  const cleaned = key.replace(/[^A-Za-z0-9_.-]+/g, "-").replace(/^[^A-Za-z0-9]+/, "").slice(0, 63);
  return SYNC_KEY_PATTERN.test(cleaned) ? cleaned : "daily";
}

const SyncsConfig = z
  // Keys are checked after the record (not by a key schema): zod reports a bad key as the
  // record's own error, which hid the rule behind "must be an object of ...".
  .record(z.string(), SyncConfig, { error: "must be an object of <sync key>: { settings }" })
  .superRefine((syncs, ctx) => {
    for (const key of Object.keys(syncs)) {
      if (SYNC_KEY_PATTERN.test(key)) continue;
      const renamed = validSyncKey(key);
      ctx.addIssue({
        code: "custom",
        path: [key],
        message: `is not a valid sync key: sync keys are ${SYNC_KEY_RULE}`,
        params: { fix: `pulumi config rm --path 'syncs["${key}"]' && pulumi config set --path syncs.${renamed}.batchSize 50   # the same settings under the key ${renamed}` },
      });
    }
  })
  .refine((syncs) => Object.keys(syncs).length > 0, "must declare at least one sync")
  .refine((syncs) => Object.keys(syncs).length <= MAX_SYNC_COUNT, `must declare at most ${MAX_SYNC_COUNT} syncs`);

/** Accepts the key file's JSON text, checks its shape (never echoing it), keeps the text. */
const serviceAccountKeyText = z.string().superRefine((value, ctx) => {
  const parsed = connections.ServiceAccountKeyJson.safeParse(value);
  if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", message: issue.message });
});

interface KeySpec {
  readonly schema: z.ZodType;
  readonly fix: string;
  /** Must be stored encrypted (`pulumi config set --secret`). */
  readonly secret?: boolean;
}

/** The project-namespace keys: schema for the text value, and how to set it. */
const KEYS = {
  gcpMode: { schema: z.enum(["existing", "create"], { error: 'must be "existing" or "create"' }), fix: "pulumi config set gcpMode existing   # or create" },
  bucketName: { schema: connections.GcsBucketName, fix: "pulumi config set bucketName <bucket-name>" },
  serviceAccountKey: {
    schema: serviceAccountKeyText,
    secret: true,
    fix: "pulumi config set --secret serviceAccountKey < key.json",
  },
  gcpLocation: { schema: z.string().regex(/^[A-Za-z0-9-]+$/, "must be a location such as US, EU or europe-west1"), fix: "pulumi config set gcpLocation US" },
  gcpProject: {
    schema: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, "must be a Google Cloud project id"),
    fix: "pulumi config set gcpProject <project-id>   # or: pulumi config set gcp:project <project-id>",
  },
  gcpForceDestroy: { schema: booleanText, fix: "pulumi config set gcpForceDestroy false" },
  csvPath: { schema: text, fix: "pulumi config set csvPath data/high_paying_users.csv" },
  objectName: { schema: z.string().min(1, "must not be empty").max(1024, "must be at most 1024 characters"), fix: "pulumi config set objectName high_paying_users.csv" },
  receiverUrl: { schema: httpUrl, fix: "pulumi config set receiverUrl https://<receiver>/records" },
  orgWebhookUrl: { schema: httpUrl, fix: "pulumi config set orgWebhookUrl https://<receiver>/events" },
  orgWebhookSecret: { schema: webhooks.WebhookSecret, secret: true, fix: "pulumi config set --secret orgWebhookSecret <6-32 chars>" },
  orgWebhookDisabled: { schema: booleanText, fix: "pulumi config set orgWebhookDisabled false" },
  orgWebhookTakeOverFrom: {
    // The OrgWebhook resource's own rule for takeOverFrom (providers/runtime/kinds/orgWebhook.ts).
    schema: z.string().regex(/^[^/\s]+\/[^/\s]+$/, "must name a stack as <project>/<stack>"),
    fix: "pulumi config set orgWebhookTakeOverFrom <project>/<stack>   # the stack whose notes manage the webhook of adopt.orgWebhookId",
  },
  fields: { schema: jsonText(FieldsConfig), fix: "pulumi config set --path 'fields[0]' email_address   # a list of CSV columns" },
  batchSize: {
    schema: wholeNumber(BATCH_SIZE_LIMITS.min, BATCH_SIZE_LIMITS.max),
    fix: `pulumi config set batchSize ${PIPELINE_DEFAULTS.batchSize}   # ${BATCH_SIZE_LIMITS.min}-${BATCH_SIZE_LIMITS.max}`,
  },
  recordRequests: { schema: booleanText, fix: "pulumi config set recordRequests true" },
  active: { schema: booleanText, fix: "pulumi config set active true" },
  metadata: { schema: jsonText(Metadata), fix: "pulumi config set --path metadata.team growth" },
  schedule: { schema: jsonText(ScheduleConfig), fix: "pulumi config set --path schedule.frequency manual" },
  syncs: { schema: jsonText(SyncsConfig), fix: "pulumi config set --path syncs.daily.batchSize 50   # syncs.<key>.<setting>" },
  syncCount: { schema: z.never({ error: () => "was replaced by syncs: declare each sync by key (syncs.<key>: {})" }), fix: "pulumi config rm syncCount && pulumi config set --path syncs.sync.batchSize 100" },
  syncBatchSizes: {
    schema: z.never({ error: () => "was replaced by syncs.<key>.batchSize" }),
    fix: "pulumi config rm syncBatchSizes && pulumi config set --path syncs.sync.batchSize 50",
  },
  webhookSecretVersion: {
    schema: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, "must be 1-64 of letters, digits, '.', '_', '-'"),
    fix: "pulumi config set webhookSecretVersion 2   # any new value rotates the webhook connection's secret",
  },
  namePrefix: {
    schema: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, "must be 1-63 of letters, digits, '_', '.', '-', starting with a letter or digit"),
    fix: "pulumi config set namePrefix <name>",
  },
  adopt: { schema: jsonText(AdoptConfig), fix: "pulumi config set --path adopt.modelId <id>   # keys: gcsConnectionId, webhookConnectionId, modelId, syncId, orgWebhookId" },
} satisfies Record<string, KeySpec>;

type Key = keyof typeof KEYS;
type Values = { [K in Key]?: z.output<(typeof KEYS)[K]["schema"]> };

/**
 * Defaults of the optional keys: the pipeline's own (components/pipelineRules.ts) and the few
 * that only the config has. Pulumi.yaml declares the same values (test/program/pulumiYaml.test.ts).
 */
export const CONFIG_DEFAULTS = {
  gcpMode: "existing",
  csvPath: "data/high_paying_users.csv",
  objectName: PIPELINE_DEFAULTS.objectName,
  gcpForceDestroy: PIPELINE_DEFAULTS.forceDestroy,
  orgWebhookDisabled: PIPELINE_DEFAULTS.orgWebhookDisabled,
  fields: [...PIPELINE_DEFAULTS.fields],
  batchSize: PIPELINE_DEFAULTS.batchSize,
  recordRequests: PIPELINE_DEFAULTS.recordRequests,
  active: PIPELINE_DEFAULTS.active,
  schedule: PIPELINE_DEFAULTS.schedule,
  adopt: {},
} as const satisfies Values;

/** Keys used only in one gcpMode (a value set for the other mode is reported as unused). */
const EXISTING_ONLY: readonly Key[] = ["serviceAccountKey"];
const CREATE_ONLY: readonly Key[] = ["gcpLocation", "gcpProject", "gcpForceDestroy", "csvPath"];

const PROVIDER_URL_FIX =
  "pulumi config set polytomic:url https://app.polytomic.com   # the emulator: http://127.0.0.1:8787; or set POLYTOMIC_URL";
const PROVIDER_KEY_FIX = "pulumi config set --secret polytomic:apiKey <api-key>   # or set POLYTOMIC_API_KEY";
const GCP_PROJECT_ENV = ["GOOGLE_PROJECT", "GOOGLE_CLOUD_PROJECT", "GCLOUD_PROJECT", "CLOUDSDK_CORE_PROJECT"];

/**
 * Parses and checks the whole configuration. Throws a {@link ConfigError} listing every problem.
 * Empty values count as unset.
 */
export function parsePipelineConfig(source: ConfigSource): ParsedPipelineConfig {
  const env = source.env ?? {};
  const problems: ConfigProblem[] = [];
  const warnings: string[] = [];
  const report = (key: string, message: string, fix: string) => problems.push({ key, message, fix });
  const raw = (key: string): RawConfigValue | undefined => {
    const found = source.get(key);
    return found === undefined || found.value === "" ? undefined : found;
  };

  const values: Values = {};
  for (const key of Object.keys(KEYS) as Key[]) {
    const spec: KeySpec = KEYS[key];
    const found = raw(key);
    if (found === undefined) continue;
    if (spec.secret && !found.secret) {
      // Checked before the value: a plain-text secret is a leak even when well-formed.
      report(key, "is stored in plain text but is a secret", spec.fix);
      continue;
    }
    const parsed = spec.schema.safeParse(found.value);
    if (parsed.success) {
      (values as Record<string, unknown>)[key] = parsed.data;
    } else {
      for (const issue of parsed.error.issues) {
        // An issue may carry a fix of its own (params.fix), more precise than the key's.
        const own = issue.code === "custom" ? (issue as { params?: { fix?: unknown } }).params?.fix : undefined;
        report([key, ...issue.path.map(String)].join("."), issue.message, typeof own === "string" ? own : spec.fix);
      }
    }
  }
  const failed = new Set(problems.map((p) => p.key.split(".")[0]));
  const missing = (key: Key, why: string) => {
    if (!failed.has(key)) report(key, `is required ${why}`, KEYS[key].fix);
  };

  const mode = values.gcpMode ?? CONFIG_DEFAULTS.gcpMode;
  if (values.receiverUrl === undefined) missing("receiverUrl", "(the URL the sync delivers records to)");
  if (failed.has("gcpMode")) {
    // Unknown mode: which keys are required is unknown too; the gcpMode problem says enough.
  } else if (mode === "existing") {
    if (values.bucketName === undefined) missing("bucketName", 'when gcpMode is "existing"');
    if (values.serviceAccountKey === undefined) missing("serviceAccountKey", 'when gcpMode is "existing"');
  } else {
    if (values.gcpLocation === undefined) missing("gcpLocation", 'when gcpMode is "create"');
    const project = values.gcpProject ?? raw("gcp:project")?.value ?? GCP_PROJECT_ENV.map((name) => env[name]).find(Boolean);
    if (project === undefined) missing("gcpProject", 'when gcpMode is "create" and gcp:project is not set');
  }
  const unusedInMode = mode === "existing" ? CREATE_ONLY : EXISTING_ONLY;
  for (const key of unusedInMode) {
    // Pulumi.yaml's defaults arrive as set values: only a value someone chose is worth a warning.
    const isDefault = key in CONFIG_DEFAULTS && JSON.stringify(values[key]) === JSON.stringify(CONFIG_DEFAULTS[key as keyof typeof CONFIG_DEFAULTS]);
    if (raw(key) !== undefined && !isDefault) warnings.push(`config key "${key}" is ignored when gcpMode is "${mode}"`);
  }

  const hasWebhookUrl = raw("orgWebhookUrl") !== undefined;
  const hasWebhookSecret = raw("orgWebhookSecret") !== undefined;
  if (hasWebhookUrl && !hasWebhookSecret) missing("orgWebhookSecret", "when orgWebhookUrl is set (set both or neither)");
  if (hasWebhookSecret && !hasWebhookUrl) missing("orgWebhookUrl", "when orgWebhookSecret is set (set both or neither)");

  // takeOverFrom only says whose webhook the adopted one is: without an adoption it would be ignored in silence.
  if (values.orgWebhookTakeOverFrom !== undefined) {
    if (!hasWebhookUrl) report("orgWebhookTakeOverFrom", "is set but orgWebhookUrl is not: there is no org webhook to take over", KEYS.orgWebhookUrl.fix);
    else if (values.adopt?.orgWebhookId === undefined && !failed.has("adopt")) {
      report("orgWebhookTakeOverFrom", "is set but adopt.orgWebhookId is not: name the webhook to take over", "pulumi config set --path adopt.orgWebhookId <id>");
    }
  }

  checkProviderConfig(raw, env, report);

  if (source.projectKeys) {
    for (const key of source.projectKeys()) {
      if (!(key in KEYS)) warnings.push(`config key "${key}" is not used by this program${suggestion(key)}`);
    }
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return { config: assemble(values, mode), warnings };
}

/** The providers read these themselves; checking presence here makes a preview fail early and clearly. */
function checkProviderConfig(
  raw: (key: string) => RawConfigValue | undefined,
  env: Readonly<Record<string, string | undefined>>,
  report: (key: string, message: string, fix: string) => void,
): void {
  const url = raw("polytomic:url")?.value ?? env.POLYTOMIC_URL;
  if (url === undefined || url === "") {
    report("polytomic:url", "is required (the Polytomic API the providers call)", PROVIDER_URL_FIX);
  } else if (!httpUrl.safeParse(url).success) {
    report("polytomic:url", "must be an http(s) URL", PROVIDER_URL_FIX);
  }
  const apiKey = raw("polytomic:apiKey");
  if (apiKey !== undefined && !apiKey.secret) {
    report("polytomic:apiKey", "is stored in plain text but is a secret", PROVIDER_KEY_FIX);
  } else if (apiKey === undefined && !env.POLYTOMIC_API_KEY) {
    report("polytomic:apiKey", "is required (the API key the providers send)", PROVIDER_KEY_FIX);
  }
}

function assemble(values: Values, mode: "existing" | "create"): PipelineConfig {
  const d = CONFIG_DEFAULTS;
  const objectName = values.objectName ?? d.objectName;
  // The checks above guarantee the values used here are present for the mode.
  const gcp: GcpSourceConfig =
    mode === "existing"
      ? { mode, bucketName: values.bucketName!, serviceAccountKey: values.serviceAccountKey!, objectName }
      : {
          mode,
          location: values.gcpLocation!,
          project: values.gcpProject,
          bucketName: values.bucketName,
          csvPath: values.csvPath ?? d.csvPath,
          objectName,
          forceDestroy: values.gcpForceDestroy ?? d.gcpForceDestroy,
        };
  const orgWebhook =
    values.orgWebhookUrl !== undefined && values.orgWebhookSecret !== undefined
      ? {
          url: values.orgWebhookUrl,
          secret: values.orgWebhookSecret,
          disabled: values.orgWebhookDisabled ?? d.orgWebhookDisabled,
          ...(values.orgWebhookTakeOverFrom !== undefined ? { takeOverFrom: values.orgWebhookTakeOverFrom } : {}),
        }
      : undefined;
  return {
    gcp,
    receiverUrl: values.receiverUrl!,
    namePrefix: values.namePrefix,
    fields: values.fields ?? d.fields,
    batchSize: values.batchSize ?? d.batchSize,
    recordRequests: values.recordRequests ?? d.recordRequests,
    schedule: values.schedule ?? d.schedule,
    active: values.active ?? d.active,
    metadata: values.metadata,
    syncs: values.syncs,
    webhookSecretVersion: values.webhookSecretVersion,
    orgWebhook,
    adopt: values.adopt ?? d.adopt,
  };
}

/** " (did you mean X?)" for a key that differs from a known one only in case, else "". */
function suggestion(key: string): string {
  const match = Object.keys(KEYS).find((known) => known.toLowerCase() === key.toLowerCase());
  return match ? ` (did you mean "${match}"?)` : "";
}

// ---------------------------------------------------------------------------------------------
// The thin wrapper over Pulumi's config.

/**
 * `isConfigSecret` is exported by the SDK's runtime/config module but missing from its typings;
 * without it (another SDK build) every value counts as encrypted and the plain-text check is skipped.
 */
const runtimeConfig = require("@pulumi/pulumi/runtime/config") as { isConfigSecret?: (key: string) => boolean };
const isConfigSecret = (fullKey: string) => runtimeConfig.isConfigSecret?.(fullKey) ?? true;

/** A {@link ConfigSource} over the running stack's config and the process environment. */
export function pulumiConfigSource(): ConfigSource {
  const project = new pulumi.Config();
  const byNamespace = new Map<string, pulumi.Config>([[project.name, project]]);
  const configFor = (namespace: string) => {
    let config = byNamespace.get(namespace);
    if (!config) byNamespace.set(namespace, (config = new pulumi.Config(namespace)));
    return config;
  };
  return {
    get(key) {
      const [namespace, name] = key.includes(":") ? splitKey(key) : [project.name, key];
      const value = configFor(namespace).get(name);
      return value === undefined ? undefined : { value, secret: isConfigSecret(`${namespace}:${name}`) };
    },
    projectKeys() {
      const prefix = `${project.name}:`;
      return Object.keys(pulumi.runtime.allConfig())
        .filter((key) => key.startsWith(prefix))
        .map((key) => key.slice(prefix.length));
    },
    env: process.env,
  };
}

function splitKey(key: string): [string, string] {
  const at = key.indexOf(":");
  return [key.slice(0, at), key.slice(at + 1)];
}

/** Reads and checks the running stack's config; warnings go to the Pulumi log. */
export function readPipelineConfig(): PipelineConfig {
  const { config, warnings } = parsePipelineConfig(pulumiConfigSource());
  for (const warning of warnings) pulumi.log.warn(warning);
  return config;
}
