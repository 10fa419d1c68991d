/** A Polytomic model sync (`pulumi-nodejs:dynamic/polytomic:ModelSync`). */
import * as pulumi from "@pulumi/pulumi";
import { createInputs } from "./salt";
import { DynamicResource, providers } from "./stub";

export type SyncMode = "create" | "update" | "updateOrCreate" | "replace" | "append" | "remove" | "snapshot";

/** When a sync runs (Polytomic's `ScheduleFrequency`). */
export type ScheduleFrequency = "manual" | "continuous" | "hourly" | "daily" | "weekly" | "custom" | "builder" | "runafter" | "multi" | "dbtcloud";

/** A condition of a filter or an override (Polytomic's `FilterFunction`). */
export type FilterFunction =
  | "Equality" | "Inequality" | "IsNull" | "IsNotNull" | "True" | "False" | "OnOrAfter" | "OnOrBefore" | "GreaterThan"
  | "GreaterThanEqual" | "LessThan" | "LessThanEqual" | "StringContains" | "StringStartsWith" | "StringEndsWith"
  | "StringDoesNotContain" | "StringDoesNotStartWith" | "StringDoesNotEndWith" | "StringOneOf" | "StringNotOneOf" | "Between"
  | "ArrayContains" | "ArrayDoesNotContain" | "InTheLast" | "RelativeOnOrBefore" | "RelativeOnOrAfter" | "StringLike"
  | "StringNotLike" | "StringMatchesTrimmed";

/** How a source record is matched to a target record. */
export type IdentityFunction = "Equality" | "ISubstring" | "OneOf" | "DomainMatch" | "HostnameMatch";

/** A field of a model: `modelId` is the model's id (`model.id`), `field` the field's name. */
export interface ModelFieldRef {
  modelId: pulumi.Input<string>;
  field: pulumi.Input<string>;
}

/**
 * When the sync runs. Each frequency reads only its own parts:
 * - `manual`: only when started (`polytomic-sync`, the API). `continuous`: all the time.
 * - `hourly`: at `minute`. `daily`: at `hour`:`minute`. `weekly`: on `dayOfWeek` at `hour`:`minute`.
 * - `custom`: a cron-like schedule from `minute`, `hour`, `dayOfMonth`, `month`, `dayOfWeek`.
 * - `runafter`: after the syncs in `runAfter` finish (`runAfterSuccessOnly`: only after they succeed).
 * - `dbtcloud`: after the dbt Cloud job `jobId` of the dbt Cloud connection `connectionId`.
 * - `multi`, `builder`: schedules made in Polytomic's UI (the API has no fields for their parts).
 * Times are UTC.
 */
export interface ModelSyncSchedule {
  frequency: pulumi.Input<ScheduleFrequency>;
  /** Hour of day, `"0"`-`"23"` (UTC): daily, weekly, custom. */
  hour?: pulumi.Input<string>;
  /** Minute, `"0"`-`"59"`: hourly, daily, weekly, custom. */
  minute?: pulumi.Input<string>;
  /** Day of the week: weekly, custom (e.g. `"1"`). */
  dayOfWeek?: pulumi.Input<string>;
  /** Day of the month: custom. */
  dayOfMonth?: pulumi.Input<string>;
  /** Month: custom. */
  month?: pulumi.Input<string>;
  /** For `runafter` only (and required there): the syncs and bulk syncs this one follows. */
  runAfter?: pulumi.Input<{ syncIds?: pulumi.Input<pulumi.Input<string>[]>; bulkSyncIds?: pulumi.Input<pulumi.Input<string>[]> }>;
  /** For `runafter`: run only when every sync it follows succeeded. Default: Polytomic's (`false`). */
  runAfterSuccessOnly?: pulumi.Input<boolean>;
  /** For `dbtcloud`: the dbt Cloud job whose runs trigger this sync. */
  jobId?: pulumi.Input<number>;
  /** For `dbtcloud` (and other connection-triggered schedules): the connection that triggers it. */
  connectionId?: pulumi.Input<string>;
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
  source?: pulumi.Input<ModelFieldRef>;
  /** A constant written instead of the source's value (the source is then ignored). */
  overrideValue?: pulumi.Input<string>;
  /** This field's own mode (e.g. `create`: written only when the record is created). Default: the sync's `mode`. */
  syncMode?: pulumi.Input<SyncMode>;
  /** `true` when Polytomic should create the target field. */
  new?: pulumi.Input<boolean>;
  /** Encrypt this field's values with the sync's `encryptionPassphrase`. */
  encryptionEnabled?: pulumi.Input<boolean>;
}

/** A target field set to the same constant on every record, whatever the source holds. */
export interface ModelSyncOverrideField {
  /** The target field. */
  target: pulumi.Input<string>;
  /** The value written. */
  overrideValue: pulumi.Input<string>;
  /** This field's own mode. Default: the sync's `mode`. */
  syncMode?: pulumi.Input<SyncMode>;
  /** `true` when Polytomic should create the target field. */
  new?: pulumi.Input<boolean>;
}

/** Keeps only the model's records for which the condition holds. Combine several with `filterLogic`. */
export interface ModelSyncFilter {
  /** The model field tested. */
  source: pulumi.Input<ModelFieldRef>;
  function: pulumi.Input<FilterFunction>;
  /** The value compared with (any JSON value; none for `IsNull`, `True`...). */
  value?: pulumi.Input<unknown>;
  /** Display name. */
  label?: pulumi.Input<string>;
}

/** Keeps only the target's records for which the condition holds (mode `update` only). Combine with `target.filterLogic`. */
export interface ModelSyncTargetFilter {
  /** The target field tested. */
  field: pulumi.Input<string>;
  function: pulumi.Input<FilterFunction>;
  /** The value compared with (any JSON value). */
  value?: pulumi.Input<unknown>;
  /** Display name. */
  label?: pulumi.Input<string>;
}

/** Where a model field meets the condition, `override` is written instead of its value. */
export interface ModelSyncOverride {
  /** The model field tested. */
  source: pulumi.Input<ModelFieldRef>;
  function: pulumi.Input<FilterFunction>;
  /** The value compared with (any JSON value). */
  value?: pulumi.Input<unknown>;
  /** The replacement value (any JSON value). */
  override: pulumi.Input<unknown>;
}

/** How source records are matched to the target's existing records (update and upsert modes). */
export interface ModelSyncIdentity {
  /** The model field matched. */
  source: pulumi.Input<ModelFieldRef>;
  /** The target field it is matched with. */
  target: pulumi.Input<string>;
  function: pulumi.Input<IdentityFunction>;
  /** `true` to create the target field when it does not exist. */
  newField?: pulumi.Input<boolean>;
  /** The target field's type id, where the target needs one (Polytomic fills it in otherwise). */
  remoteFieldTypeId?: pulumi.Input<string>;
}

/** Where records go. */
export interface ModelSyncTarget {
  /** The destination connection. */
  connectionId: pulumi.Input<string>;
  /** An existing object of the destination (a table, `"http"` for a webhook). Not with `create`. */
  object?: pulumi.Input<string>;
  /**
   * Options of the destination. For a webhook connection:
   * `{ batch_size (1-10000, default 100), record_requests, metadata }`.
   */
  configuration?: pulumi.Input<Record<string, pulumi.Input<unknown>>>;
  /**
   * A new object Polytomic creates in the destination, with these properties (e.g.
   * `{ name: "public.contacts" }` for a database). Not with `object`. Polytomic never shows it
   * back, so a refresh keeps what you declared.
   */
  create?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Name for a new target object. */
  newName?: pulumi.Input<string>;
  /** How `targetFilters` combine, e.g. `"1 AND 2"`. */
  filterLogic?: pulumi.Input<string>;
  /** Values used to find target records, per destination. */
  searchValues?: pulumi.Input<Record<string, pulumi.Input<unknown>>>;
}

export interface ModelSyncArgs {
  /** Display name in Polytomic. */
  name: pulumi.Input<string>;
  /** How records are written. A webhook target (`target.object: "http"`) takes only `updateOrCreate`. */
  mode: pulumi.Input<SyncMode>;
  /** When it runs. Default `{ frequency: "manual" }`. */
  schedule?: pulumi.Input<ModelSyncSchedule>;
  /** Where records go. */
  target: pulumi.Input<ModelSyncTarget>;
  /** Field mappings (at least one). */
  fields: pulumi.Input<pulumi.Input<ModelSyncField>[]>;
  /** Target fields set to a constant on every record. Not for webhook targets. */
  overrideFields?: pulumi.Input<pulumi.Input<ModelSyncOverrideField>[]>;
  /** Whether it runs at all. Default `true`. */
  active?: pulumi.Input<boolean>;
  /** Record matching (required by Polytomic for update and upsert modes of most destinations). */
  identity?: pulumi.Input<ModelSyncIdentity>;
  /** Filters on the model's records. */
  filters?: pulumi.Input<pulumi.Input<ModelSyncFilter>[]>;
  /** How `filters` combine, e.g. `"1 AND 2"`, `"1 OR (2 AND 3)"`. */
  filterLogic?: pulumi.Input<string>;
  /** Filters on the target's records: only with mode `update`. */
  targetFilters?: pulumi.Input<pulumi.Input<ModelSyncTargetFilter>[]>;
  /** Conditional replacements of values. */
  overrides?: pulumi.Input<pulumi.Input<ModelSyncOverride>[]>;
  /** Send every record on every run instead of the changed ones. Default `false`. */
  syncAllRecords?: pulumi.Input<boolean>;
  /** Do not send the existing records on the first run. Default `false`. */
  skipInitialBackfill?: pulumi.Input<boolean>;
  /** With enrichment models: only changes to the base models make a record sync. Default `false`. */
  onlyEnrichUpdates?: pulumi.Input<boolean>;
  /**
   * Passphrase of the fields with `encryptionEnabled`. Always a secret in state and outputs,
   * whatever you pass. Polytomic never shows it back: a refresh keeps what you declared.
   */
  encryptionPassphrase?: pulumi.Input<string>;
  policies?: pulumi.Input<pulumi.Input<string>[]>;
  /** Organization (partner keys only). Changing it replaces the sync. */
  organizationId?: pulumi.Input<string>;
  /** Id of an existing sync to adopt instead of creating one (read at create only). */
  adoptId?: pulumi.Input<string>;
}

export class ModelSync extends DynamicResource {
  public readonly name!: pulumi.Output<string>;
  public readonly mode!: pulumi.Output<SyncMode>;
  public readonly schedule!: pulumi.Output<pulumi.Unwrap<ModelSyncSchedule> | undefined>;
  public readonly target!: pulumi.Output<pulumi.Unwrap<ModelSyncTarget>>;
  public readonly fields!: pulumi.Output<pulumi.Unwrap<ModelSyncField>[]>;
  public readonly overrideFields!: pulumi.Output<pulumi.Unwrap<ModelSyncOverrideField>[] | undefined>;
  public readonly active!: pulumi.Output<boolean | undefined>;
  public readonly identity!: pulumi.Output<pulumi.Unwrap<ModelSyncIdentity> | undefined>;
  public readonly filters!: pulumi.Output<pulumi.Unwrap<ModelSyncFilter>[] | undefined>;
  public readonly filterLogic!: pulumi.Output<string | undefined>;
  public readonly targetFilters!: pulumi.Output<pulumi.Unwrap<ModelSyncTargetFilter>[] | undefined>;
  public readonly overrides!: pulumi.Output<pulumi.Unwrap<ModelSyncOverride>[] | undefined>;
  public readonly syncAllRecords!: pulumi.Output<boolean | undefined>;
  public readonly skipInitialBackfill!: pulumi.Output<boolean | undefined>;
  public readonly onlyEnrichUpdates!: pulumi.Output<boolean | undefined>;
  /** The passphrase, always a secret. */
  public readonly encryptionPassphrase!: pulumi.Output<string | undefined>;
  public readonly adoptId!: pulumi.Output<string | undefined>;
  /** Models the fields read from. */
  public readonly modelIds!: pulumi.Output<string[]>;

  constructor(name: string, args: ModelSyncArgs, opts?: pulumi.CustomResourceOptions) {
    // A secret whatever the caller passes: in the inputs Pulumi records and in the outputs.
    const passphrase = args?.encryptionPassphrase === undefined ? undefined : pulumi.secret(args.encryptionPassphrase);
    super(
      providers.modelSync,
      name,
      { ...args, encryptionPassphrase: passphrase, modelIds: undefined, ...createInputs(opts) },
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "encryptionPassphrase"] },
      "polytomic",
      "ModelSync",
    );
  }

  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): ModelSync {
    return new ModelSync(name, {} as ModelSyncArgs, { ...opts, id });
  }
}
