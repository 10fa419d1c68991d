/**
 * A contacts CSV in Google Cloud Storage, synced by Polytomic to a webhook: the Google Cloud
 * resources (or an existing bucket and key), a `gcs` and a `webhook` connection, a model over the
 * CSV, one or more model syncs to the webhook and, optionally, the organization's event webhook.
 */
import * as pulumi from "@pulumi/pulumi";
import { Connection, Model, ModelSync, ModelSyncArgs, OrgWebhook } from "../providers";
import { FieldMappings, toFieldMappingList } from "./fieldMappings";
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

/** Batch size of webhook deliveries when none is given (Polytomic's UI default). */
export const DEFAULT_BATCH_SIZE = 100;
/** Upper bound on syncs per component: enough for benchmarks, small enough to fail typos fast. */
export const MAX_SYNC_COUNT = 1000;

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
  /** The first sync (`<prefix>-sync`); further syncs are always created. */
  readonly syncId?: pulumi.Input<string>;
  readonly orgWebhookId?: pulumi.Input<string>;
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
   * CSV columns to deliver: `{ <record key>: <CSV column> }` or a list of `{ target, source }`.
   * Default: `email_address`, `first_name` and `last_name`, each under its own name.
   */
  readonly fields?: FieldMappings;
  /** Records per webhook request, 1-10000. Default 100. */
  readonly batchSize?: pulumi.Input<number>;
  /**
   * Per-sync batch sizes by the sync's Polytomic name (`<prefix>-sync`, `<prefix>-sync-<i>`),
   * overriding `batchSize` for those syncs only. Default: none.
   */
  readonly syncBatchSizes?: Readonly<Record<string, number>>;
  /**
   * Any text; changing it replaces the `webhook` connection, which is how its server-generated
   * secret is rotated (the API cannot update it). Default: none.
   */
  readonly webhookSecretVersion?: pulumi.Input<string>;
  /** Keep each request and response in Polytomic's sync logs. Default `true`. */
  readonly recordRequests?: pulumi.Input<boolean>;
  /** Static object delivered with every batch as `object.metadata`. Default: none. */
  readonly metadata?: pulumi.Input<Record<string, pulumi.Input<unknown>>>;
  /** When the syncs run. Default `{ frequency: "manual" }`: only when started by hand or API. */
  readonly schedule?: ModelSyncArgs["schedule"];
  /** Whether the syncs are active. Default `true`. */
  readonly active?: pulumi.Input<boolean>;
  /**
   * Number of identical syncs from the model to the webhook, 1-1000. Default 1. The first is
   * `<prefix>-sync`, the others `<prefix>-sync-<i>` for i = 1…n-1, so raising the count only
   * adds syncs and lowering it removes the last ones.
   */
  readonly syncCount?: number;
  /** The organization's event webhook. Default: none (an organization has at most one). */
  readonly orgWebhook?: OrgWebhookSettings;
  /** Existing Polytomic objects to adopt instead of creating new ones. */
  readonly adopt?: AdoptionIds;
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
  /** Id of the first sync (`<prefix>-sync`). */
  public readonly syncId: pulumi.Output<string>;
  /** Every sync's id by its Polytomic name. */
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
  public readonly modelSyncs: ModelSync[];
  public readonly orgWebhook?: OrgWebhook;

  constructor(name: string, args: GcsToWebhookArgs, opts?: pulumi.ComponentResourceOptions) {
    super(GCS_TO_WEBHOOK_TYPE, name, {}, opts);
    // Check the plain arguments before any child is registered: a mistake fails the preview whole.
    const prefix = args.namePrefix ?? name;
    if (prefix.trim() === "") throw new Error("namePrefix must not be empty");
    const syncCount = args.syncCount ?? 1;
    if (!Number.isInteger(syncCount) || syncCount < 1 || syncCount > MAX_SYNC_COUNT) {
      throw new Error(`syncCount must be a whole number from 1 to ${MAX_SYNC_COUNT} (got ${syncCount})`);
    }
    const fields = toFieldMappingList(args.fields);
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
        adoptId: adopt.modelId,
      },
      // The connection's create returns once its schema is ready, so the model sees the CSV's columns.
      { parent: this, dependsOn: [this.gcsConnection, ...source.readyWhen] },
    );

    const modelId = this.model.id;
    const syncFields = fields.map(({ target, source: column }) => ({ target, source: { modelId, field: column } }));
    const targetConfiguration = (syncName: string): Record<string, pulumi.Input<unknown>> => ({
      batch_size: args.syncBatchSizes?.[syncName] ?? args.batchSize ?? DEFAULT_BATCH_SIZE,
      record_requests: args.recordRequests ?? true,
      ...(args.metadata === undefined ? {} : { metadata: args.metadata }),
    });

    const syncNames = Array.from({ length: syncCount }, (_, i) => (i === 0 ? "sync" : `sync-${i}`));
    this.modelSyncs = syncNames.map(
      (suffix, i) =>
        new ModelSync(
          `${name}-${suffix}`,
          {
            name: `${prefix}-${suffix}`,
            mode: "updateOrCreate",
            schedule: args.schedule ?? { frequency: "manual" },
            target: {
              connectionId: this.webhookConnection.id,
              // Webhook targets take the single object "http" (Polytomic's custom-webhook guide).
              object: "http",
              configuration: targetConfiguration(`${prefix}-${suffix}`),
            },
            fields: syncFields,
            active: args.active ?? true,
            adoptId: i === 0 ? adopt.syncId : undefined,
          },
          { parent: this },
        ),
    );

    if (args.orgWebhook) {
      this.orgWebhook = new OrgWebhook(
        `${name}-org-webhook`,
        {
          endpoint: args.orgWebhook.endpoint,
          secret: pulumi.secret(args.orgWebhook.secret),
          disabled: args.orgWebhook.disabled,
          adoptId: adopt.orgWebhookId,
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
    this.syncId = this.modelSyncs[0].id;
    this.syncs = pulumi
      .all(this.modelSyncs.map((sync) => sync.id))
      .apply((ids) => Object.fromEntries(syncNames.map((suffix, i) => [`${prefix}-${suffix}`, ids[i]])));
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
