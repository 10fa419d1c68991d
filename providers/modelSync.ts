/** A Polytomic model sync (`pulumi-nodejs:dynamic/polytomic:ModelSync`). */
import * as pulumi from "./sdk";
import { createInputs } from "./salt";
import { DynamicResource, providers } from "./stub";

export type SyncMode = "create" | "update" | "updateOrCreate" | "replace" | "append" | "remove" | "snapshot";

export interface ModelSyncSchedule {
  /** `manual` runs only when started; others: continuous, hourly, daily, weekly, custom, builder, runafter, multi, dbtcloud. */
  frequency: pulumi.Input<"manual" | "continuous" | "hourly" | "daily" | "weekly" | "custom" | "builder" | "runafter" | "multi" | "dbtcloud">;
  /** Hour of day, "0"-"23" (daily, weekly). */
  hour?: pulumi.Input<string>;
  /** Minute, "0"-"59". */
  minute?: pulumi.Input<string>;
  dayOfWeek?: pulumi.Input<string>;
  dayOfMonth?: pulumi.Input<string>;
  month?: pulumi.Input<string>;
  /** For `runafter`: the syncs this one follows. */
  runAfter?: pulumi.Input<{ syncIds?: pulumi.Input<pulumi.Input<string>[]>; bulkSyncIds?: pulumi.Input<pulumi.Input<string>[]> }>;
  runAfterSuccessOnly?: pulumi.Input<boolean>;
}

export interface ModelSyncField {
  /**
   * Target field. For a webhook target (`target.object: "http"`) leave it out or write
   * `"record"`: Polytomic delivers each source field under its own name, normalized (only
   * letters, digits, `_`, `-` and `.` are kept: `$first_name` arrives as `first_name`).
   * Required for other targets.
   */
  target?: pulumi.Input<string>;
  /** The model field to read (for a webhook target, its normalized name is the record key). */
  source?: pulumi.Input<{ modelId: pulumi.Input<string>; field: pulumi.Input<string> }>;
  /** A constant instead of a source. */
  overrideValue?: pulumi.Input<string>;
}

export interface ModelSyncArgs {
  /** Display name in Polytomic. */
  name: pulumi.Input<string>;
  /** How records are written. A webhook target (`target.object: "http"`) takes only `updateOrCreate`. */
  mode: pulumi.Input<SyncMode>;
  /** When it runs. Default `{ frequency: "manual" }`. */
  schedule?: pulumi.Input<ModelSyncSchedule>;
  /**
   * Where records go. For a webhook connection: `object: "http"` and `configuration`
   * `{ batch_size (1-10000, default 100), record_requests, metadata }`.
   */
  target: pulumi.Input<{
    connectionId: pulumi.Input<string>;
    object?: pulumi.Input<string>;
    configuration?: pulumi.Input<Record<string, pulumi.Input<unknown>>>;
  }>;
  /** Field mappings (at least one). */
  fields: pulumi.Input<pulumi.Input<ModelSyncField>[]>;
  /** Whether it runs at all. Default `true`. */
  active?: pulumi.Input<boolean>;
  /** Record matching, in the API's shape (`{ source: {model_id, field}, target, function }`). */
  identity?: pulumi.Input<Record<string, unknown>>;
  /** Filters, in the API's shape. */
  filters?: pulumi.Input<pulumi.Input<Record<string, unknown>>[]>;
  filterLogic?: pulumi.Input<string>;
  /** Send every record on every run instead of the changed ones. */
  syncAllRecords?: pulumi.Input<boolean>;
  /** Do not send the existing records on the first run. */
  skipInitialBackfill?: pulumi.Input<boolean>;
  onlyEnrichUpdates?: pulumi.Input<boolean>;
  policies?: pulumi.Input<pulumi.Input<string>[]>;
  /** Organization (partner keys only). Changing it replaces the sync. */
  organizationId?: pulumi.Input<string>;
  /** Id of an existing sync to adopt instead of creating one (read at create only). */
  adoptId?: pulumi.Input<string>;
}

export class ModelSync extends DynamicResource {
  public readonly name!: pulumi.Output<string>;
  public readonly mode!: pulumi.Output<SyncMode>;
  public readonly schedule!: pulumi.Output<Record<string, unknown> | undefined>;
  public readonly target!: pulumi.Output<{ connectionId: string; object?: string; configuration?: Record<string, unknown> }>;
  public readonly fields!: pulumi.Output<{ target?: string; source?: { modelId: string; field: string }; overrideValue?: string }[]>;
  public readonly active!: pulumi.Output<boolean | undefined>;
  public readonly adoptId!: pulumi.Output<string | undefined>;
  /** Models the fields read from. */
  public readonly modelIds!: pulumi.Output<string[]>;

  constructor(name: string, args: ModelSyncArgs, opts?: pulumi.CustomResourceOptions) {
    super(providers.modelSync, name, { ...args, modelIds: undefined, ...createInputs(opts) }, opts, "polytomic", "ModelSync");
  }

  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): ModelSync {
    return new ModelSync(name, {} as ModelSyncArgs, { ...opts, id });
  }
}
