/** A Polytomic model (`pulumi-nodejs:dynamic/polytomic:Model`). */
import * as pulumi from "./sdk";
import { createInputs } from "./salt";
import { DynamicResource, providers } from "./stub";

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
  /** Extra fields not in the source: `{ name, label, type, example? }`. */
  additionalFields?: pulumi.Input<pulumi.Input<{ name: string; label: string; type: string; example?: string }>[]>;
  /** Field that identifies a record uniquely. */
  identifier?: pulumi.Input<string>;
  /** Fields whose change marks a record as updated. */
  trackingColumns?: pulumi.Input<pulumi.Input<string>[]>;
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
