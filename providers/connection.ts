/** A Polytomic connection (`pulumi-nodejs:dynamic/polytomic:Connection`). */
import * as pulumi from "@pulumi/pulumi";
import { createInputs } from "./salt";
import { DynamicResource, providers } from "./stub";

export interface ConnectionArgs {
  /** Display name in Polytomic. */
  name: pulumi.Input<string>;
  /** Connection type, e.g. `gcs` or `webhook`. Changing it replaces the connection. */
  type: pulumi.Input<string>;
  /**
   * The type's configuration, without secrets (shown in previews), e.g. `{ bucket }` for `gcs`,
   * `{ url }` for `webhook`. Keys you leave out are cleared on update (Polytomic's PUT replaces).
   */
  configuration: pulumi.Input<Record<string, pulumi.Input<unknown>>>;
  /**
   * Secret configuration values, merged into `configuration` when sent (objects merged key by
   * key), e.g. `{ service_account: <key JSON> }` for `gcs`. Always a secret in state, whatever you
   * pass (a plain string too): the class makes it one. `pulumi preview` rejects a known secret key
   * put in `configuration` instead. The typed classes (`PostgresqlConnection`...) fill it for you.
   */
  sensitiveConfiguration?: pulumi.Input<Record<string, pulumi.Input<unknown>>>;
  /** Let Polytomic check the upstream when saving. Default `false` (Polytomic's own default is true). */
  validate?: pulumi.Input<boolean>;
  /** How often Polytomic checks the connection's health, e.g. `"3h30m"`. Default: Polytomic's. */
  healthcheckInterval?: pulumi.Input<string>;
  /** Policy ids applied to the connection. */
  policies?: pulumi.Input<pulumi.Input<string>[]>;
  /** Organization to create it in (partner keys only). Changing it replaces the connection. */
  organizationId?: pulumi.Input<string>;
  /**
   * Arbitrary values; changing any replaces the connection. Use it to rotate what Polytomic
   * generates and cannot update, like a `webhook` connection's secret.
   */
  keepers?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * For types with a schema (`gcs`): how long create and update wait for it to be ready, in
   * seconds. Default 300; 0 does not wait.
   */
  schemaReadyTimeoutSeconds?: pulumi.Input<number>;
  /**
   * Id of an existing connection to adopt instead of creating one: it is converged to these
   * inputs (one update only if they differ) and owned by the stack from then on. Read at create only.
   */
  adoptId?: pulumi.Input<string>;
}

/**
 * What every connection class has: the generic {@link Connection} and the typed ones
 * (`PostgresqlConnection`...), which differ only in how `configuration` is typed. One resource
 * (`pulumi-nodejs:dynamic/polytomic:Connection`) whatever the class.
 */
export abstract class ConnectionBase extends DynamicResource {
  public readonly name!: pulumi.Output<string>;
  public readonly type!: pulumi.Output<string>;
  /** The secret part of the configuration. Secret. */
  public readonly sensitiveConfiguration!: pulumi.Output<Record<string, unknown> | undefined>;
  public readonly validate!: pulumi.Output<boolean | undefined>;
  public readonly healthcheckInterval!: pulumi.Output<string | undefined>;
  public readonly policies!: pulumi.Output<string[] | undefined>;
  public readonly organizationId!: pulumi.Output<string | undefined>;
  public readonly keepers!: pulumi.Output<Record<string, string> | undefined>;
  public readonly schemaReadyTimeoutSeconds!: pulumi.Output<number | undefined>;
  public readonly adoptId!: pulumi.Output<string | undefined>;
  /** Health as Polytomic reports it, e.g. `healthy`. */
  public readonly status!: pulumi.Output<string | undefined>;
  /** The secret Polytomic generated (a `webhook` connection's Bearer token). Secret. */
  public readonly secret!: pulumi.Output<string | undefined>;

  protected constructor(name: string, args: ConnectionArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      providers.connection,
      name,
      { ...args, status: undefined, secret: undefined, readOnlyConfiguration: undefined, ...createInputs(opts) },
      // `sensitiveConfiguration` is made a secret, input and output, by DynamicResource (stub.ts).
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "secret"] },
      "polytomic",
      "Connection",
    );
  }
}

/** A Polytomic connection of any type, its configuration untyped (`pulumi-nodejs:dynamic/polytomic:Connection`). */
export class Connection extends ConnectionBase {
  public readonly configuration!: pulumi.Output<Record<string, unknown>>;
  /**
   * The configuration fields Polytomic sets (the type's `readOnly` fields, secrets excepted), as
   * last read; undefined for a type newer than this package's snapshot of Polytomic's types.
   */
  public readonly readOnlyConfiguration!: pulumi.Output<Record<string, unknown> | undefined>;

  constructor(name: string, args: ConnectionArgs, opts?: pulumi.CustomResourceOptions) {
    super(name, args, opts);
  }

  /** Reads an existing connection into the program (no adoption: the stack does not own it). */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): Connection {
    return new Connection(name, {} as ConnectionArgs, { ...opts, id });
  }
}
