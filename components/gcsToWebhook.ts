/**
 * A contacts CSV in Google Cloud Storage, synced by Polytomic to a webhook: the Google Cloud
 * resources (or an existing bucket and key), a `gcs` and a `webhook` connection, a model over the
 * CSV, one or more model syncs to the webhook and, optionally, the organization's event webhook.
 */
import * as pulumi from "../providers/sdk";
import { Connection, Model, ModelSync, ModelSyncArgs, OrgWebhook } from "../providers";
import { readCsvHeader } from "./csvHeader";
import { projectPath } from "./projectPath";
import { DEFAULT_SYNC_KEY, MAX_SYNC_COUNT, PIPELINE_DEFAULTS, RESERVED_SYNC_KEYS, SYNC_KEY_PATTERN, SYNC_KEY_RULE } from "./pipelineRules";
import { SettingNames, checkFields, columnsMissingFromModel } from "./syncFields";
import {
  CreateGcsSourceArgs,
  CreatedGcsResources,
  ExistingGcsSourceArgs,
  GcsSource,
  createGcsSource,
  existingGcsSource,
} from "./gcsSource";

/** Type token of the component (chosen once: renaming it changes every child's URN). */
export const GCS_TO_WEBHOOK_TYPE = "polytomic:pipelines:GcsToWebhook";

/** Sync schedule, as the ModelSync resource takes it (plain values). */
export type SyncSchedule = pulumi.Unwrap<NonNullable<ModelSyncArgs["schedule"]>>;

/** The organization's event webhook (one per organization). */
export interface OrgWebhookSettings {
  /** URL that receives `sync.*` events, signed with `secret`. */
  readonly endpoint: pulumi.Input<string>;
  /** HMAC secret, 6-32 characters. Treated as a secret whether or not it arrives as one. */
  readonly secret: pulumi.Input<string>;
  /** Keep the webhook but stop deliveries. Default `false`. */
  readonly disabled?: pulumi.Input<boolean>;
  /**
   * With `adopt.orgWebhookId`: the stack (`<project>/<stack>`) that manages that webhook now, to
   * take it over from (remove it from that stack's state first). Without it, adopting a webhook
   * another stack's notes say it manages fails at preview, naming that stack. Read at create only.
   */
  readonly takeOverFrom?: pulumi.Input<string>;
}

/**
 * Ids of Polytomic objects that already exist, to be adopted instead of created: the first
 * `pulumi up` fetches each one, converges it to the declared settings and owns it from then on
 * (`pulumi destroy` deletes it). Only read at creation; changing an id later changes nothing.
 */
export interface AdoptionIds {
  readonly gcsConnectionId?: pulumi.Input<string>;
  readonly webhookConnectionId?: pulumi.Input<string>;
  readonly modelId?: pulumi.Input<string>;
  /** The first sync (in the order of `syncs`); a sync's own `adoptId` wins over it. */
  readonly syncId?: pulumi.Input<string>;
  readonly orgWebhookId?: pulumi.Input<string>;
}

/**
 * One model sync to the webhook. Every setting left out takes the component's value, so a
 * pipeline states its common settings once and each sync only what makes it different.
 */
export interface PipelineSync {
  /** CSV columns this sync delivers, each under its own normalized name. Default: the component's `fields`. */
  readonly fields?: readonly string[];
  /** Records per webhook request, 1-10000. Default: the component's `batchSize`. */
  readonly batchSize?: pulumi.Input<number>;
  /** Keep each request and response in Polytomic's sync logs. Default: the component's `recordRequests`. */
  readonly recordRequests?: pulumi.Input<boolean>;
  /** Static object delivered with every batch as `object.metadata`. Default: the component's `metadata`. */
  readonly metadata?: pulumi.Input<Record<string, pulumi.Input<unknown>>>;
  /** When it runs. Default: the component's `schedule`. */
  readonly schedule?: ModelSyncArgs["schedule"];
  /** Whether it runs at all (`false`: paused). Default: the component's `active`. */
  readonly active?: pulumi.Input<boolean>;
  /** Send every record on every run, not only new or changed ones. Default `false`. */
  readonly syncAllRecords?: pulumi.Input<boolean>;
  /** Do not send the records that exist before the first run. Default `false`. */
  readonly skipInitialBackfill?: pulumi.Input<boolean>;
  /** Id of an existing sync to adopt instead of creating one (read at creation only). */
  readonly adoptId?: pulumi.Input<string>;
}

export interface GcsToWebhookArgs {
  /**
   * Create the bucket, a reader service account and its key, read access on that bucket only,
   * and upload the CSV (real Google Cloud). Exactly one of `create` and `existing` is required.
   */
  readonly create?: CreateGcsSourceArgs;
  /**
   * Use an existing bucket and service-account key; no Google Cloud resource is created (the
   * offline stack points this at the emulator's seeded bucket). Excludes `create`.
   */
  readonly existing?: ExistingGcsSourceArgs;
  /** URL the sync POSTs record batches to (the `webhook` connection's `url`). */
  readonly receiverUrl: pulumi.Input<string>;
  /**
   * Prefix of every Polytomic object's name: `<prefix>-gcs`, `<prefix>-webhook`,
   * `<prefix>-model`, `<prefix>-sync`, `<prefix>-sync-<i>`. Default: the component's name.
   */
  readonly namePrefix?: string;
  /**
   * CSV columns the syncs deliver, unless a sync lists its own. Polytomic's webhook syncs send
   * each column under its own name, normalized: only letters, digits, `_`, `-` and `.` are kept
   * (`$first_name` arrives as `first_name`); two columns that would arrive under one name, or a
   * column that would arrive under none, fail the preview.
   * Default: `email_address`, `first_name` and `last_name`.
   */
  readonly fields?: readonly string[];
  /** Records per webhook request, 1-10000, unless a sync sets its own. Default 100. */
  readonly batchSize?: pulumi.Input<number>;
  /**
   * Any text; changing it replaces the `webhook` connection, which is how its server-generated
   * secret is rotated (the API cannot update it). Default: none.
   */
  readonly webhookSecretVersion?: pulumi.Input<string>;
  /** Keep each request and response in Polytomic's sync logs, unless a sync says otherwise. Default `true`. */
  readonly recordRequests?: pulumi.Input<boolean>;
  /** Static object delivered with every batch as `object.metadata`, unless a sync sets its own. Default: none. */
  readonly metadata?: pulumi.Input<Record<string, pulumi.Input<unknown>>>;
  /** When the syncs run, unless a sync sets its own. Default `{ frequency: "manual" }`: only when started by hand or API. */
  readonly schedule?: ModelSyncArgs["schedule"];
  /** Whether the syncs are active, unless a sync says otherwise. Default `true`. */
  readonly active?: pulumi.Input<boolean>;
  /**
   * The model syncs to the webhook, by key. A sync is named `<prefix>-<key>` in Polytomic and
   * `<name>-<key>` in Pulumi, so adding, removing or renaming one key leaves the others alone.
   * Keys: letters, digits, `_`, `.`, `-`; not `gcs`, `webhook`, `model` or `org-webhook`.
   * Default: one sync, `{ sync: {} }`. At most 1000.
   */
  readonly syncs?: Readonly<Record<string, PipelineSync>>;
  /** The organization's event webhook. Default: none (an organization has at most one). */
  readonly orgWebhook?: OrgWebhookSettings;
  /** Existing Polytomic objects to adopt instead of creating new ones. */
  readonly adopt?: AdoptionIds;
  /**
   * The organization every Polytomic object goes in: a Connect partner's tenant (e.g. an
   * `Organization` resource's id), acted in with the partner key (`polytomic:partnerKey`).
   * Default: the API key's own organization. Changing it replaces every object.
   */
  readonly organizationId?: pulumi.Input<string>;
  /**
   * Where these arguments come from, so messages name the setting as the user wrote it: with
   * `{ configNamespace: "my-project" }` a column the model lacks is reported as
   * `my-project:fields` with a `pulumi config set` fix. Default: messages name the argument.
   */
  readonly settingNames?: SettingNames;
  /**
   * How long the `gcs` connection's create/update waits for its schema to be ready before the
   * model is created, in seconds. Default: the Connection resource's default (300).
   */
  readonly schemaReadyTimeoutSeconds?: pulumi.Input<number>;
}

export class GcsToWebhook extends pulumi.ComponentResource {
  /** Bucket holding the CSV. */
  public readonly bucketName: pulumi.Output<string>;
  /** Object name of the CSV in the bucket. */
  public readonly objectName: pulumi.Output<string>;
  /** Email of the reader service account: the one created (create mode) or the key's `client_email` (existing mode). */
  public readonly serviceAccountEmail: pulumi.Output<string | undefined>;
  public readonly gcsConnectionId: pulumi.Output<string>;
  public readonly webhookConnectionId: pulumi.Output<string>;
  public readonly modelId: pulumi.Output<string>;
  /** Id of the first sync. */
  public readonly syncId: pulumi.Output<string>;
  /** Every sync's id by its key. */
  public readonly syncs: pulumi.Output<Record<string, string>>;
  /** Id of the organization's event webhook, when one is managed here. */
  public readonly orgWebhookId: pulumi.Output<string | undefined>;
  /** The secret Polytomic sends as `Authorization: Bearer …` with each delivery (secret). */
  public readonly webhookSecret: pulumi.Output<string | undefined>;

  /** The Google Cloud resources (create mode only). */
  public readonly gcs?: CreatedGcsResources;
  public readonly gcsConnection: Connection;
  public readonly webhookConnection: Connection;
  public readonly model: Model;
  /** The model syncs, by key. */
  public readonly modelSyncs: Readonly<Record<string, ModelSync>>;
  public readonly orgWebhook?: OrgWebhook;

  constructor(name: string, args: GcsToWebhookArgs, opts?: pulumi.ComponentResourceOptions) {
    super(GCS_TO_WEBHOOK_TYPE, name, {}, opts);
    // Check the plain arguments before any child is registered: a mistake fails the preview whole.
    const prefix = args.namePrefix ?? name;
    if (prefix.trim() === "") throw new Error("namePrefix must not be empty");
    const header = args.create ? csvHeaderOf(args.create.csvPath) : undefined;
    const defaultFields = checkFields(args.fields, "fields", header);
    const plan = planSyncs(args, defaultFields, header);
    const adopt = args.adopt ?? {};

    const source = this.provideSource(name, prefix, args);
    this.gcs = source.created;

    this.gcsConnection = new Connection(
      `${name}-gcs`,
      {
        name: `${prefix}-gcs`,
        type: "gcs",
        configuration: { bucket: source.bucketName },
        sensitiveConfiguration: { service_account: source.serviceAccountKey },
        schemaReadyTimeoutSeconds: args.schemaReadyTimeoutSeconds,
        organizationId: args.organizationId,
        adoptId: adopt.gcsConnectionId,
      },
      // The connection's schema refresh lists the bucket: the object and the access come first.
      { parent: this, dependsOn: source.readyWhen },
    );
    this.webhookConnection = new Connection(
      `${name}-webhook`,
      {
        name: `${prefix}-webhook`,
        type: "webhook",
        configuration: { url: args.receiverUrl },
        keepers: args.webhookSecretVersion === undefined ? undefined : { secretVersion: args.webhookSecretVersion },
        organizationId: args.organizationId,
        adoptId: adopt.webhookConnectionId,
      },
      { parent: this },
    );
    this.model = new Model(
      `${name}-model`,
      {
        name: `${prefix}-model`,
        connectionId: this.gcsConnection.id,
        configuration: { model_from: "single_file", key: source.objectName, file_format: "csv" },
        organizationId: args.organizationId,
        adoptId: adopt.modelId,
      },
      // The connection's create returns once its schema is ready, so the model sees the CSV's columns.
      { parent: this, dependsOn: [this.gcsConnection, ...source.readyWhen] },
    );

    const syncs: Record<string, ModelSync> = {};
    plan.forEach(({ key, settings, fields, where }, i) => {
      // Once the model exists (every preview after the first up), its fields are known: a column
      // it lacks fails here, at preview, instead of as the API's 422 at up. The id is passed on
      // unchanged (unknown exactly when it was before), so previews stay as exact as they were.
      const modelId = pulumi.all([this.model.id, this.model.fieldNames]).apply(([id, modelFields]) => {
        const problem = Array.isArray(modelFields) ? columnsMissingFromModel(fields, modelFields, where, `${prefix}-model`, args.settingNames) : undefined;
        if (problem) throw new pulumi.ResourceError(problem, this, true);
        return id;
      });
      syncs[key] = new ModelSync(
        `${name}-${key}`,
        {
          name: `${prefix}-${key}`,
          mode: "updateOrCreate",
          schedule: settings.schedule ?? args.schedule ?? PIPELINE_DEFAULTS.schedule,
          target: {
            connectionId: this.webhookConnection.id,
            // Webhook targets take the single object "http" (Polytomic's custom-webhook guide).
            object: "http",
            configuration: {
              batch_size: settings.batchSize ?? args.batchSize ?? PIPELINE_DEFAULTS.batchSize,
              record_requests: settings.recordRequests ?? args.recordRequests ?? PIPELINE_DEFAULTS.recordRequests,
              ...optional("metadata", settings.metadata ?? args.metadata),
            },
          },
          // Every field's target is "record": each column arrives under its own normalized name.
          fields: fields.map((column) => ({ source: { modelId, field: column }, target: "record" })),
          active: settings.active ?? args.active ?? PIPELINE_DEFAULTS.active,
          syncAllRecords: settings.syncAllRecords,
          skipInitialBackfill: settings.skipInitialBackfill,
          organizationId: args.organizationId,
          adoptId: settings.adoptId ?? (i === 0 ? adopt.syncId : undefined),
        },
        { parent: this },
      );
    });
    this.modelSyncs = syncs;

    if (args.orgWebhook) {
      this.orgWebhook = new OrgWebhook(
        `${name}-org-webhook`,
        {
          endpoint: args.orgWebhook.endpoint,
          secret: pulumi.secret(args.orgWebhook.secret),
          disabled: args.orgWebhook.disabled,
          organizationId: args.organizationId,
          adoptId: adopt.orgWebhookId,
          takeOverFrom: args.orgWebhook.takeOverFrom,
        },
        { parent: this },
      );
    }

    this.bucketName = source.bucketName;
    this.objectName = pulumi.output(source.objectName);
    this.serviceAccountEmail = pulumi.output(source.serviceAccountEmail);
    this.gcsConnectionId = this.gcsConnection.id;
    this.webhookConnectionId = this.webhookConnection.id;
    this.modelId = this.model.id;
    this.syncId = syncs[plan[0].key].id;
    this.syncs = pulumi.all(Object.fromEntries(plan.map(({ key }) => [key, syncs[key].id])));
    this.orgWebhookId = pulumi.output(this.orgWebhook?.id);
    this.webhookSecret = pulumi.secret(this.webhookConnection.secret);

    this.registerOutputs({
      bucketName: this.bucketName,
      objectName: this.objectName,
      serviceAccountEmail: this.serviceAccountEmail,
      gcsConnectionId: this.gcsConnectionId,
      webhookConnectionId: this.webhookConnectionId,
      modelId: this.modelId,
      syncId: this.syncId,
      syncs: this.syncs,
      orgWebhookId: this.orgWebhookId,
      webhookSecret: this.webhookSecret,
    });
  }

  private provideSource(name: string, prefix: string, args: GcsToWebhookArgs): GcsSource {
    if (args.create && args.existing) throw new Error("give either create or existing, not both");
    if (args.create) return createGcsSource(name, prefix, args.create, this);
    if (args.existing) return existingGcsSource(args.existing);
    throw new Error("give create (new Google Cloud resources) or existing (a bucket and key you have)");
  }
}

interface PlannedSync {
  readonly key: string;
  readonly settings: PipelineSync;
  /** The CSV columns it delivers, checked. */
  readonly fields: readonly string[];
  /** The setting its columns come from: `fields`, or `syncs.<key>.fields`. */
  readonly where: string;
}

/** The syncs to declare, in a stable order, each with its checked columns. */
function planSyncs(args: GcsToWebhookArgs, defaultFields: readonly string[], header: readonly string[] | undefined): PlannedSync[] {
  const entries = Object.entries(args.syncs ?? { [DEFAULT_SYNC_KEY]: {} });
  if (entries.length === 0) throw new Error(`syncs: declare at least one sync, e.g. { ${DEFAULT_SYNC_KEY}: {} }`);
  if (entries.length > MAX_SYNC_COUNT) throw new Error(`syncs: at most ${MAX_SYNC_COUNT} syncs per pipeline (got ${entries.length})`);
  return entries.map(([key, settings]) => {
    if (!SYNC_KEY_PATTERN.test(key)) {
      throw new Error(`syncs: key "${key}" must be ${SYNC_KEY_RULE}`);
    }
    if (RESERVED_SYNC_KEYS.includes(key)) {
      throw new Error(`syncs: key "${key}" is taken by the pipeline's ${key} (choose another, e.g. "${key}-sync")`);
    }
    const where = settings.fields === undefined ? "fields" : `syncs.${key}.fields`;
    const fields = settings.fields === undefined ? defaultFields : checkFields(settings.fields, where, header);
    return { key, settings: settings ?? {}, fields, where };
  });
}

/** The CSV's header in create mode (the file must exist at preview; its absence is reported by the source). */
function csvHeaderOf(csvPath: string): string[] | undefined {
  try {
    return readCsvHeader(projectPath(csvPath));
  } catch {
    return undefined;
  }
}

/** `{ [key]: value }` when the value is given, `{}` otherwise (so an absent setting stays absent). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
