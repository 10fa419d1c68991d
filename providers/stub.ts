/**
 * The providers as Pulumi stores them in state: a few hundred characters of JavaScript per kind
 * that load the real implementation (the package's `polytomic-pulumi/providers/runtime`,
 * compiled) when called, and forward to it.
 *
 * Why a stub: an edit of provider code never shows `~__provider` on every resource, refresh and
 * destroy always run current code, no zod schema or local module has to be serialized, and no
 * credential is captured (they come through `configure`).
 *
 * Why written by hand rather than by Pulumi's closure serializer (`pulumi.dynamic.Resource`):
 * the text is stored twice in every resource's state (inputs and outputs), and the local backend
 * rewrites the whole state at every step. The serializer wraps each method in its own scope
 * (about 2.8 KB per kind); this text is under a fifth of that, so checkpoints write far less.
 * What the dynamic-provider host needs is only a CommonJS module text whose `handler()` returns
 * the provider object, which is exactly what this is.
 */
import * as pulumi from "@pulumi/pulumi";

export type ProviderKind =
  | "connection"
  | "model"
  | "modelSync"
  | "orgWebhook"
  | "organization"
  | "role"
  | "policy"
  | "user"
  | "globalErrorSubscribers"
  | "connectionSchemaPrimaryKeys"
  | "idempotencySalt"
  | "bulkSync";

/**
 * The module text of one kind's stub. The runtime is found from the package itself: the
 * dynamic-provider host evaluates this text with `require` resolving from its working directory
 * (the program's folder, or that of Pulumi.yaml's `main`), so the installed package is found
 * through node_modules wherever it sits (the program's own, a workspace's or a monorepo's,
 * further up). Inside this repository, where the package is not installed, the compiled runtime
 * is next to the program (dist/) or under it (the repo root). POLYTOMIC_PROVIDER_RUNTIME
 * overrides both (tests). No location is captured: state stays portable.
 * The runtime's exports (configure, and check, diff, create, read, update, remove taking the kind
 * first) are the interface every stub ever stored relies on: keep them.
 */
export function stubText(kind: ProviderKind): string {
  return (
    `exports.handler=()=>{let m;const k=${JSON.stringify(kind)},` +
    `f=i=>{try{return require.resolve(i)}catch{}},` +
    `l=d=>f(require("path").join(process.cwd(),d,"providers","runtime")),` +
    `p="polytomic-pulumi/providers/runtime",` +
    `r=()=>m||(m=require(process.env.POLYTOMIC_PROVIDER_RUNTIME||f(p)||l(".")||l("dist")||p));` +
    `return{configure:q=>r().configure(q),check:(o,n)=>r().check(k,o,n),diff:(i,o,n)=>r().diff(k,i,o,n),` +
    `create:p=>r().create(k,p),read:(i,p)=>r().read(k,i,p),update:(i,o,n)=>r().update(k,i,o,n),` +
    `delete:(i,p)=>r().remove(k,i,p)}}`
  );
}

/** What a provider class hands to {@link DynamicResource}: its kind, and which of its inputs carry secrets. */
export interface StubProvider {
  kind: ProviderKind;
  /**
   * Inputs that carry a secret: made Pulumi secrets by {@link DynamicResource} whatever the user
   * passes (a plain string read from a file, a literal), and kept secret as outputs too. A kind
   * lists every such input here, and nothing else is needed for it.
   */
  secretInputs?: readonly string[];
  /**
   * The object is unique (one per organization): a replacement deletes the old one first. Set as
   * the resource option, because `pulumi up --replace <urn>` never asks the provider's diff.
   */
  deleteBeforeReplace?: boolean;
}

export const providers: Record<ProviderKind, StubProvider> = {
  connection: { kind: "connection", secretInputs: ["sensitiveConfiguration"] },
  model: { kind: "model" },
  // `encryptionPassphrase`: Polytomic's sync field `encryption_passphrase` (write-only, Sensitive in its Terraform provider).
  modelSync: { kind: "modelSync", secretInputs: ["encryptionPassphrase"] },
  orgWebhook: { kind: "orgWebhook", secretInputs: ["secret"], deleteBeforeReplace: true },
  organization: { kind: "organization" },
  connectionSchemaPrimaryKeys: { kind: "connectionSchemaPrimaryKeys" },
  idempotencySalt: { kind: "idempotencySalt" },
  role: { kind: "role" },
  policy: { kind: "policy" },
  user: { kind: "user" },
  globalErrorSubscribers: { kind: "globalErrorSubscribers" },
  bulkSync: { kind: "bulkSync" },
};

/**
 * `props` with every secret input of `provider` wrapped by `pulumi.secret`, and `opts` keeping
 * those keys secret as outputs. Why both: `additionalSecretOutputs` covers outputs only, and a
 * plain input is shown by `pulumi preview --diff` and stored in clear among the state's inputs.
 */
export function withSecretInputs(
  provider: StubProvider,
  props: pulumi.Inputs,
  opts: pulumi.CustomResourceOptions | undefined,
): { props: pulumi.Inputs; opts: pulumi.CustomResourceOptions | undefined } {
  const keys = provider.secretInputs ?? [];
  if (keys.length === 0) return { props, opts };
  const wrapped = { ...props };
  for (const key of keys) {
    if (wrapped[key] !== undefined) wrapped[key] = pulumi.secret(wrapped[key]);
  }
  const additionalSecretOutputs = [...new Set([...(opts?.additionalSecretOutputs ?? []), ...keys])];
  return { props: wrapped, opts: { ...opts, additionalSecretOutputs } };
}

/**
 * A dynamic resource (`pulumi-nodejs:dynamic/<module>:<type>`, served by Pulumi's Node.js
 * dynamic-provider host) whose `__provider` is the stub text above. Same constructor as
 * `pulumi.dynamic.Resource`, which does the same with a closure-serialized provider. The
 * provider's secret inputs are made secrets here ({@link withSecretInputs}), so no resource class
 * has to remember it.
 */
export class DynamicResource extends pulumi.CustomResource {
  constructor(provider: StubProvider, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions, module?: string, type = "Resource") {
    if (props.__provider) throw new Error("A dynamic resource must not define the __provider key");
    const secured = withSecretInputs(provider, props, provider.deleteBeforeReplace ? { deleteBeforeReplace: true, ...opts } : opts);
    super(`pulumi-nodejs:dynamic${module ? `/${module}` : ""}:${type}`, name, { ...secured.props, __provider: stubText(provider.kind) }, secured.opts);
  }
}
