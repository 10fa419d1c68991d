/** A Polytomic bulk sync (`pulumi-nodejs:dynamic/polytomic:BulkSync`). */
import * as pulumi from "@pulumi/pulumi";
import { createInputs } from "./salt";
import { DynamicResource, providers } from "./stub";

type Frequency = "manual" | "continuous" | "hourly" | "daily" | "weekly" | "custom" | "builder" | "runafter" | "multi" | "dbtcloud";
/** Which new objects or fields a sync picks up by itself. */
export type BulkDiscover = "all" | "onlyIncremental" | "onlyNonIncremental" | "none";

export interface BulkSyncSchedule {
  /** `manual` runs only when started. Schedule times are UTC. */
  frequency: pulumi.Input<Frequency>;
  /** Hour of the day, "0"-"23". */
  hour?: pulumi.Input<string>;
  /** Minute of the hour, "0"-"59". */
  minute?: pulumi.Input<string>;
  /** Day of the week (weekly schedules). */
  dayOfWeek?: pulumi.Input<string>;
  /** Day of the month, "1"-"31". */
  dayOfMonth?: pulumi.Input<string>;
  /** Month, "1"-"12". */
  month?: pulumi.Input<string>;
}

/** A schedule besides the default one (Polytomic's API 2025-09-18; Terraform does not manage these). */
export interface BulkSyncAdditionalSchedule extends BulkSyncSchedule {
  /** Schema ids this schedule runs; all of them when left out. */
  schemas?: pulumi.Input<pulumi.Input<string>[]>;
  /** Which fields the runs of this schedule read. */
  selectiveMode?: pulumi.Input<"none" | "incrementalFields" | "nonincrementalFields">;
  /** How the runs of this schedule fetch (`normal`, or a refetch, resync or rebuild). */
  resyncMode?: pulumi.Input<"normal" | "refetch" | "resync" | "rebuild">;
}

export interface BulkSyncField {
  /** Copy this field. Default `true` for a field listed. */
  enabled?: pulumi.Input<boolean>;
  /** Write a hash of the value instead of the value. Default `false`. */
  obfuscate?: pulumi.Input<boolean>;
}

export interface BulkSyncFilter {
  /** The field (id) the filter reads. */
  fieldId: pulumi.Input<string>;
  /** Polytomic's filter function: `Equality`, `OnOrAfter`, `StringOneOf`, `IsNull`, ... */
  function: pulumi.Input<string>;
  /** The value to compare with (any JSON): `"2024-01-01"`, `["a", "b"]`, `42`. */
  value?: pulumi.Input<unknown>;
}

export interface BulkSyncSchema {
  /** Copy this schema. Default `true` for a schema listed. */
  enabled?: pulumi.Input<boolean>;
  /** Field that partitions the rows in the destination. */
  partitionKey?: pulumi.Input<string>;
  /** Field whose change marks a row as updated (incremental runs). */
  trackingField?: pulumi.Input<string>;
  /** Rows older than this (RFC 3339) are not copied. */
  dataCutoffTimestamp?: pulumi.Input<string>;
  /** Ignore any data cutoff for this schema. */
  disableDataCutoff?: pulumi.Input<boolean>;
  /** Name of the table or object in the destination (default: Polytomic's). */
  userOutputName?: pulumi.Input<string>;
  /** Fields by id. Listed: only those are copied; left out: every field. */
  fields?: pulumi.Input<Record<string, pulumi.Input<BulkSyncField>>>;
  /** Row filters; every one must hold. */
  filters?: pulumi.Input<pulumi.Input<BulkSyncFilter>[]>;
}

export interface BulkSyncEndpoint {
  /** The connection. */
  connectionId: pulumi.Input<string>;
  /** Settings of this side, per connection type: for a PostgreSQL destination `{ schema: "analytics" }`. */
  configuration?: pulumi.Input<Record<string, pulumi.Input<unknown>>>;
}

export interface BulkSyncArgs {
  /** Display name in Polytomic. */
  name: pulumi.Input<string>;
  /** Where rows are read. An update, not a replacement, when it changes. */
  source: pulumi.Input<BulkSyncEndpoint>;
  /** Where rows are written. An update, not a replacement, when it changes. */
  destination: pulumi.Input<BulkSyncEndpoint>;
  /** `replicate` (default) or `snapshot` (not every destination takes it: a PostgreSQL one does not). */
  mode?: pulumi.Input<"replicate" | "snapshot">;
  /** Whether it runs on its schedules. Default `true`. */
  active?: pulumi.Input<boolean>;
  /** The default schedule. Default `{ frequency: "manual" }`. */
  schedule?: pulumi.Input<BulkSyncSchedule>;
  /** More schedules, e.g. a nightly resync of some schemas. */
  additionalSchedules?: pulumi.Input<pulumi.Input<BulkSyncAdditionalSchedule>[]>;
  /**
   * Schemas (tables) by id (`schema.table` for a database). Listed: only those are copied.
   * Left out: every schema of the source.
   */
  schemas?: pulumi.Input<Record<string, pulumi.Input<BulkSyncSchema>>>;
  /** Pick up fields added at the source. Default `none`. */
  automaticallyAddNewFields?: pulumi.Input<BulkDiscover>;
  /** Pick up schemas added at the source. Default `none`. */
  automaticallyAddNewObjects?: pulumi.Input<BulkDiscover>;
  /** Do not add Polytomic's timestamp columns to the rows written. */
  disableRecordTimestamps?: pulumi.Input<boolean>;
  /** Rows older than this (RFC 3339) are not copied, in every schema. */
  dataCutoffTimestamp?: pulumi.Input<string>;
  /** How many schemas run at once (overrides the organization's default). */
  concurrencyLimit?: pulumi.Input<number>;
  /** How many schemas resync at once (overrides the organization's default). */
  resyncConcurrencyLimit?: pulumi.Input<number>;
  /** How names are written in the destination: `enabled`, `disabled` or `legacy`. */
  normalizeNames?: pulumi.Input<"enabled" | "disabled" | "legacy">;
  /** Policy ids. */
  policies?: pulumi.Input<pulumi.Input<string>[]>;
  /** Organization (partner keys only). Changing it replaces the sync. */
  organizationId?: pulumi.Input<string>;
  /** Id of an existing bulk sync to adopt instead of creating one (read at create only). */
  adoptId?: pulumi.Input<string>;
}

/**
 * A bulk sync: whole schemas of a source connection copied to a destination connection. Every
 * change is one in-place update except `organizationId` (a replacement).
 */
export class BulkSync extends DynamicResource {
  public readonly name!: pulumi.Output<string>;
  public readonly source!: pulumi.Output<{ connectionId: string; configuration?: Record<string, unknown> }>;
  public readonly destination!: pulumi.Output<{ connectionId: string; configuration?: Record<string, unknown> }>;
  public readonly mode!: pulumi.Output<"replicate" | "snapshot" | undefined>;
  public readonly active!: pulumi.Output<boolean | undefined>;
  public readonly schemas!: pulumi.Output<Record<string, Record<string, unknown>> | undefined>;
  public readonly adoptId!: pulumi.Output<string | undefined>;
  /** The schemas the sync copies. */
  public readonly enabledSchemas!: pulumi.Output<string[]>;
  /** Where each copied schema lands in the destination, by schema id. */
  public readonly outputNames!: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: BulkSyncArgs, opts?: pulumi.CustomResourceOptions) {
    super(providers.bulkSync, name, { ...args, enabledSchemas: undefined, outputNames: undefined, ...createInputs(opts) }, opts, "polytomic", "BulkSync");
  }

  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): BulkSync {
    return new BulkSync(name, {} as BulkSyncArgs, { ...opts, id });
  }
}
