/**
 * The providers as Pulumi serializes them into state: stubs that load the real implementation
 * (dist/providers/runtime) when called, and forward to it.
 *
 * Why a stub: what the engine stores is the text of these functions. Keeping it tiny and stable
 * means an edit of provider code never shows `~__provider` on every resource, refresh and destroy
 * always run current code, no zod schema or local module has to survive closure serialization,
 * and no credential is captured (they come through `configure`). Nothing imported may be used
 * inside the method bodies below: they must stand alone once serialized.
 */
import type * as pulumi from "@pulumi/pulumi";

export type ProviderKind = "connection" | "model" | "modelSync" | "orgWebhook" | "idempotencySalt";

function stubFor(kind: ProviderKind): pulumi.dynamic.ResourceProvider {
  // The dynamic-provider host runs in the folder of Pulumi.yaml's `main` (dist/ here), tools in
  // the project folder: the compiled runtime is looked up from either. POLYTOMIC_PROVIDER_RUNTIME
  // points elsewhere (tests, or a program that vendors this package).
  const runtime = () => {
    const path = require("path");
    const fs = require("fs");
    const candidates = [path.join(process.cwd(), "providers", "runtime", "index.js"), path.join(process.cwd(), "dist", "providers", "runtime", "index.js")];
    return require(process.env.POLYTOMIC_PROVIDER_RUNTIME || candidates.find((file: string) => fs.existsSync(file)) || candidates[1]);
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
  idempotencySalt: stubFor("idempotencySalt"),
};
