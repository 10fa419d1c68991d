/** A Polytomic model (`pulumi-nodejs:dynamic/polytomic:Model`). */
import * as pulumi from "@pulumi/pulumi";
import { createInputs } from "./salt";
import { DynamicResource, providers } from "./stub";

/** A join from a field of this model to a field of another model, whose fields then enrich this one's. */
export interface ModelRelation {
  /** This model's field. */
  from: pulumi.Input<string>;
  /** The other model's field: `modelId` is its id (`model.id`), `field` the field's name. */
  to: pulumi.Input<{ modelId: pulumi.Input<string>; field: pulumi.Input<string> }>;
}

/** An enrichment of the model's records by an enricher connection (e.g. Apollo, Clearbit). */
export interface ModelEnricher {
  /** The enricher connection. */
  connectionId: pulumi.Input<string>;
  /** Which enricher of the connection, where it offers several. */
  enricherId?: pulumi.Input<string>;
  /** What to enrich, per enricher (e.g. `{ object: "people" }`); see Polytomic's connection guides. */
  configuration?: pulumi.Input<Record<string, pulumi.Input<unknown>>>;
  /** This model's fields to the enricher's inputs, e.g. `{ work_email: "email" }`. */
  mappings?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export interface ModelArgs {
  /** Display name in Polytomic. */
  name: pulumi.Input<string>;
  /** The source connection. Changing it replaces the model. */
  connectionId: pulumi.Input<string>;
  /**
   * What to read, per source type. A CSV in a `gcs` bucket:
   * `{ model_from: "single_file", key: "high_paying_users.csv", file_format: "csv" }`.
   */
  configuration: pulumi.Input<Record<string, pulumi.Input<unknown>>>;
  /** Source fields to expose. Default: all of them. */
  fields?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Extra fields not in the source, filled by syncs' overrides or enrichment:
   * `{ name, label, type (e.g. "string"), example? }`. A name the source already has is refused.
   */
  additionalFields?: pulumi.Input<pulumi.Input<{ name: pulumi.Input<string>; label: pulumi.Input<string>; type: pulumi.Input<string>; example?: pulumi.Input<string> }>[]>;
  /** Field that identifies a record uniquely (one of the model's fields). */
  identifier?: pulumi.Input<string>;
  /** Fields whose change marks a record as updated (each one of the model's fields). */
  trackingColumns?: pulumi.Input<pulumi.Input<string>[]>;
  /** Joins to other models. */
  relations?: pulumi.Input<pulumi.Input<ModelRelation>[]>;
  /** Enrichment by an enricher connection. */
  enricher?: pulumi.Input<ModelEnricher>;
  /** Label ids. */
  labels?: pulumi.Input<pulumi.Input<string>[]>;
  /** Policy ids. */
  policies?: pulumi.Input<pulumi.Input<string>[]>;
  /** Organization (partner keys only). Changing it replaces the model. */
  organizationId?: pulumi.Input<string>;
  /** Id of an existing model to adopt instead of creating one (read at create only). */
  adoptId?: pulumi.Input<string>;
}

export class Model extends DynamicResource {
  public readonly name!: pulumi.Output<string>;
  public readonly connectionId!: pulumi.Output<string>;
  public readonly configuration!: pulumi.Output<Record<string, unknown>>;
  public readonly fields!: pulumi.Output<string[] | undefined>;
  public readonly identifier!: pulumi.Output<string | undefined>;
  public readonly trackingColumns!: pulumi.Output<string[] | undefined>;
  public readonly additionalFields!: pulumi.Output<{ name: string; label: string; type: string; example?: string }[] | undefined>;
  public readonly relations!: pulumi.Output<pulumi.Unwrap<ModelRelation>[] | undefined>;
  public readonly enricher!: pulumi.Output<pulumi.Unwrap<ModelEnricher> | undefined>;
  public readonly labels!: pulumi.Output<string[] | undefined>;
  public readonly adoptId!: pulumi.Output<string | undefined>;
  /** Every field name the model exposes (source and additional). */
  public readonly fieldNames!: pulumi.Output<string[]>;
  /** Polytomic's version counter of the model. */
  public readonly version!: pulumi.Output<number | undefined>;

  constructor(name: string, args: ModelArgs, opts?: pulumi.CustomResourceOptions) {
    super(providers.model, name, { ...args, fieldNames: undefined, version: undefined, ...createInputs(opts) }, opts, "polytomic", "Model");
  }

  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): Model {
    return new Model(name, {} as ModelArgs, { ...opts, id });
  }
}
