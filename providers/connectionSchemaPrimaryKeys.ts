/** A schema's primary-key override (`pulumi-nodejs:dynamic/polytomic:ConnectionSchemaPrimaryKeys`). */
import * as pulumi from "./sdk";
import { createInputs } from "./salt";
import { DynamicResource, providers } from "./stub";

export interface ConnectionSchemaPrimaryKeysArgs {
  /** The connection whose schema it is. Changing it replaces the resource. */
  connectionId: pulumi.Input<string>;
  /**
   * The schema: a database table as `schema.table` (`public.users`), an object or file name for
   * other sources. {@link getConnectionSchema} lists its fields. Changing it replaces the resource.
   */
  schemaId: pulumi.Input<string>;
  /**
   * The fields (ids, from {@link getConnectionSchema}) that together form the schema's primary
   * key, instead of the key the source declares. At least one; a set: order does not matter.
   */
  fieldIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Organization (partner keys only). Changing it replaces the resource. */
  organizationId?: pulumi.Input<string>;
  /**
   * Take over the override already set on this schema: `<connectionId>/<schemaId>` (read at create
   * only). Creating without it sets the override all the same (a full replacement).
   */
  adoptId?: pulumi.Input<string>;
}

/**
 * The primary key Polytomic uses for one schema of a connection, overriding the one the source
 * declares (or supplying one where the source has none). Deleting it reverts the schema to the
 * source's own keys. Its id is `<connectionId>/<schemaId>`.
 */
export class ConnectionSchemaPrimaryKeys extends DynamicResource {
  public readonly connectionId!: pulumi.Output<string>;
  public readonly schemaId!: pulumi.Output<string>;
  public readonly fieldIds!: pulumi.Output<string[]>;
  public readonly organizationId!: pulumi.Output<string | undefined>;
  public readonly adoptId!: pulumi.Output<string | undefined>;
  /** The names of the key's fields, as the schema answers them. */
  public readonly fieldNames!: pulumi.Output<string[]>;

  constructor(name: string, args: ConnectionSchemaPrimaryKeysArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      providers.connectionSchemaPrimaryKeys,
      name,
      { ...args, fieldNames: undefined, ...createInputs(opts) },
      opts,
      "polytomic",
      "ConnectionSchemaPrimaryKeys",
    );
  }

  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): ConnectionSchemaPrimaryKeys {
    return new ConnectionSchemaPrimaryKeys(name, {} as ConnectionSchemaPrimaryKeysArgs, { ...opts, id });
  }
}
