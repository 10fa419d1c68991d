/**
 * The base of the typed connection classes (`PostgresqlConnection`, `WebhookConnection`...,
 * generated/): a connection of one fixed type whose `configuration` is typed from
 * Polytomic's schema of that type, and whose secrets the class itself moves to the secret side.
 *
 * Same resource as `Connection` (type token `pulumi-nodejs:dynamic/polytomic:Connection`, same
 * provider and inputs): a `Connection` rewritten as its typed class, same name, keeps its URN and
 * shows no change, and every tool that reads connections (export, drift) reads both alike.
 */
import * as pulumi from "../sdk";
import { pathTree, type PathTree } from "../../contract/connectionTypes/paths";
import { ConnectionBase, type ConnectionArgs } from "../connection";

/** The inputs of a typed connection: those of {@link ConnectionArgs}, its type fixed and its secrets kept inside `configuration`. */
export interface TypedConnectionArgs<Configuration> extends Omit<ConnectionArgs, "type" | "configuration" | "sensitiveConfiguration"> {
  /**
   * The type's configuration, secrets included: the class moves each secret field (the schema's
   * `sensitive` ones and the credentials it forgets to flag) out of it into
   * `sensitiveConfiguration`, a Pulumi secret, whatever you pass (a plain string, an Output).
   * What stays is shown in previews. Fields you leave out are cleared on update (Polytomic's PUT
   * replaces); a secret left unchanged is not sent again (Polytomic keeps it).
   */
  configuration: pulumi.Input<Configuration>;
}

type Plain = Record<string, unknown>;

const isPlainObject = (value: unknown): value is Plain =>
  !!value && typeof value === "object" && !Array.isArray(value) && !pulumi.Output.isInstance(value) && !(value instanceof Promise);

interface Split {
  plain: pulumi.Input<Plain>;
  secret: pulumi.Input<Plain>;
}

/**
 * Splits a configuration (as given: nested Inputs stay where they are) into what is shown and
 * what is secret. An Output or Promise on the way to a secret is split once resolved; whatever is
 * not on such a way is passed as is, so no secret the caller made is ever unwrapped.
 */
export function splitSecrets(configuration: pulumi.Input<Plain>, paths: readonly string[]): Split {
  return splitAt(configuration, pathTree(paths));
}

function splitAt(value: pulumi.Input<Plain>, tree: PathTree): Split {
  if (!isPlainObject(value)) {
    const resolved = pulumi.output(value as pulumi.Input<Plain>);
    return {
      plain: resolved.apply((v) => pulumi.output(splitAt(v ?? {}, tree).plain)),
      secret: resolved.apply((v) => pulumi.output(splitAt(v ?? {}, tree).secret)),
    };
  }
  const plain: Plain = {};
  const secret: Plain = {};
  for (const [key, item] of Object.entries(value)) {
    const node = Object.hasOwn(tree, key) ? tree[key] : undefined;
    if (node === true) secret[key] = item;
    else if (node && item !== undefined && item !== null) {
      const inner = splitAt(item as pulumi.Input<Plain>, node);
      plain[key] = inner.plain;
      secret[key] = inner.secret;
    } else plain[key] = item;
  }
  return { plain, secret };
}

/**
 * A connection of one type (the same resource as {@link Connection}); generated subclasses fix
 * the type and its secret fields.
 * `ConfigurationArgs` is what is declared, `Configuration` what the outputs show (no secrets).
 */
export class TypedConnection<
  ConfigurationArgs,
  Configuration extends Record<string, unknown>,
  ReadOnlyConfiguration extends Record<string, unknown>,
> extends ConnectionBase {
  /** The configuration as declared, secrets left out (they are in `sensitiveConfiguration`). */
  public readonly configuration!: pulumi.Output<Configuration>;
  /** The fields Polytomic sets (the type's read-only fields, secrets excepted), as last read. */
  public readonly readOnlyConfiguration!: pulumi.Output<ReadOnlyConfiguration | undefined>;

  protected constructor(
    type: string,
    secretPaths: readonly string[],
    name: string,
    args: TypedConnectionArgs<ConfigurationArgs> | undefined,
    opts?: pulumi.CustomResourceOptions,
  ) {
    if (!args) {
      // `X.get(name, id)`: read only, nothing declared.
      super(name, {} as ConnectionArgs, opts);
      return;
    }
    const { plain, secret } = splitSecrets(args.configuration as pulumi.Input<Plain>, secretPaths);
    super(name, { ...args, type, configuration: plain, sensitiveConfiguration: secret }, opts);
  }
}
