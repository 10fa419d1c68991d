/**
 * The providers as Pulumi serializes them into state: stubs that load the real implementation
 * (the package's `polytomic-pulumi/providers/runtime`, compiled) when called, and forward to it.
 *
 * Why a stub: what the engine stores is the text of these functions. Keeping it tiny and stable
 * means an edit of provider code never shows `~__provider` on every resource, refresh and destroy
 * always run current code, no zod schema or local module has to survive closure serialization,
 * and no credential is captured (they come through `configure`). Nothing imported may be used
 * inside the method bodies below: they must stand alone once serialized.
 */
import type * as pulumi from "@pulumi/pulumi";

export type ProviderKind = "connection" | "model" | "modelSync" | "orgWebhook" | "organization" | "idempotencySalt";

function stubFor(kind: ProviderKind): pulumi.dynamic.ResourceProvider {
  // Found from the package itself: the dynamic-provider host evaluates this text with `require`
  // resolving from its working directory (the program's folder, or that of Pulumi.yaml's `main`),
  // so the installed package is found through node_modules wherever it sits (the program's own, a
  // workspace's or a monorepo's, further up). Inside this repository, where the package is not
  // installed, the compiled runtime is next to the program (dist/) or under it (the repo root).
  // POLYTOMIC_PROVIDER_RUNTIME overrides both (tests). No location is captured: state stays portable.
  const runtime = () => {
    const found = (id: string) => {
      try {
        return require.resolve(id);
      } catch {
        return undefined;
      }
    };
    const local = (dir: string) => found(require("path").join(process.cwd(), dir, "providers", "runtime"));
    return require(process.env.POLYTOMIC_PROVIDER_RUNTIME || found("polytomic-pulumi/providers/runtime") || local(".") || local("dist") || "polytomic-pulumi/providers/runtime");
  };
  return {
    configure: (req) => runtime().configure(req),
    check: (olds, news) => runtime().check(kind, olds, news),
    diff: (id, olds, news) => runtime().diff(kind, id, olds, news),
    create: (inputs) => runtime().create(kind, inputs),
    read: (id, props) => runtime().read(kind, id, props),
    update: (id, olds, news) => runtime().update(kind, id, olds, news),
    delete: (id, props) => runtime().remove(kind, id, props),
  };
}

/** One instance per kind: Pulumi caches a provider's serialized text by object identity. */
export const providers: Record<ProviderKind, pulumi.dynamic.ResourceProvider> = {
  connection: stubFor("connection"),
  model: stubFor("model"),
  modelSync: stubFor("modelSync"),
  orgWebhook: stubFor("orgWebhook"),
  organization: stubFor("organization"),
  idempotencySalt: stubFor("idempotencySalt"),
};
