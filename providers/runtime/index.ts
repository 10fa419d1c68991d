/**
 * The providers' implementation, loaded at run time by the serialized stubs (providers/stub.ts)
 * from dist/. One module per process: one configuration and one API client shared by every kind.
 *
 * Inputs are compared with the inputs declared last time (kept in the outputs), never with server
 * echoes, so masked secrets and server defaults cause no diff; `read` lays the server object over
 * the declared fields so edits made elsewhere show up as drift.
 */
import type * as pulumi from "@pulumi/pulumi";
import { createClient, isNotFound, PolytomicClient } from "../../client";
import type { KindContext, KindSpec } from "./kind";
import { issuesToFailures } from "./failures";
import { connectionKind } from "./kinds/connection";
import { modelKind } from "./kinds/model";
import { modelSyncKind } from "./kinds/modelSync";
import { orgWebhookKind } from "./kinds/orgWebhook";
import { organizationKind } from "./kinds/organization";
import { containsUnknown, idempotencyKey, projectOnto, sameValue, withoutUndefined } from "./shape";

export const KINDS: Record<string, KindSpec<any>> = {
  connection: connectionKind,
  model: modelKind,
  modelSync: modelSyncKind,
  orgWebhook: orgWebhookKind,
  organization: organizationKind,
};

type Props = Record<string, any>;

interface Settings {
  url?: string;
  apiKey?: string;
  /** A Connect partner's key: organizations, and objects in one (their `organizationId`). */
  partnerKey?: string;
}
let settings: Settings = {};
/** One client per credential: the API key's, the partner's, and the partner's in each organization. */
let clients = new Map<string, PolytomicClient>();

/** Reads `polytomic:url` and `polytomic:apiKey` (or POLYTOMIC_URL / POLYTOMIC_API_KEY). Never stored. */
export async function configure(req: { config: { get(key: string): string | undefined } }): Promise<void> {
  const read = (key: string) => {
    try {
      return req.config.get(key) || undefined;
    } catch {
      return undefined;
    }
  };
  settings = {
    url: read("polytomic:url") ?? process.env.POLYTOMIC_URL,
    apiKey: read("polytomic:apiKey") ?? process.env.POLYTOMIC_API_KEY,
    partnerKey: read("polytomic:partnerKey") ?? process.env.POLYTOMIC_PARTNER_KEY,
  };
  clients = new Map();
}

/**
 * The client a resource acts with: an organization (the partner key) with the partner key alone;
 * an object that names its `organizationId` with the partner key scoped to that organization when
 * one is configured; everything else with the API key.
 */
function context(kind: KindSpec<any>, organizationId?: unknown): KindContext {
  const scoped = typeof organizationId === "string" && organizationId !== "" && settings.partnerKey ? organizationId : undefined;
  const usesPartnerKey = kind.partnerScope || scoped !== undefined;
  const key = usesPartnerKey ? settings.partnerKey : settings.apiKey;
  if (!settings.url || !key) {
    const missing = [
      !settings.url && "the API URL (`pulumi config set polytomic:url https://app.polytomic.com`, or POLYTOMIC_URL)",
      !key &&
        (usesPartnerKey
          ? `the partner key a ${kind.name} needs (\`pulumi config set --secret polytomic:partnerKey <key>\`, or POLYTOMIC_PARTNER_KEY)`
          : "the API key (`pulumi config set --secret polytomic:apiKey <key>`, or POLYTOMIC_API_KEY)"),
    ].filter(Boolean);
    throw new Error(`Polytomic provider is not configured: set ${missing.join(" and ")}`);
  }
  const cacheKey = usesPartnerKey ? `partner:${scoped ?? ""}` : "api";
  let client = clients.get(cacheKey);
  if (!client) clients.set(cacheKey, (client = createClient({ baseUrl: settings.url, apiKey: key, organizationId: scoped, log: info })));
  return { client, log: info };
}

function info(message: string): void {
  try {
    (require("@pulumi/pulumi") as typeof pulumi).log.info(message);
  } catch {
    // Outside the engine (unit tests) there is nowhere to log to.
  }
}

function spec(kind: string): KindSpec<any> {
  const found = KINDS[kind];
  if (!found) throw new Error(`unknown Polytomic resource kind "${kind}"`);
  return found;
}

const inputKeys = (kind: KindSpec<any>): string[] => Object.keys((kind.schema as unknown as { shape: object }).shape);

function declared(props: Props): Props {
  const { __provider: _provider, ...rest } = props;
  return rest;
}

export async function check(kind: string, _olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
  const k = spec(kind);
  const inputs = declared(news);
  const parsed = k.schema.safeParse(inputs);
  const failures = parsed.success ? [] : issuesToFailures(parsed.error.issues, inputs);
  // Cross-field rules run even when a field is already wrong, so one preview lists every problem;
  // they read the raw inputs defensively, and a shape they cannot read is reported above.
  if (k.crossChecks) {
    try {
      failures.push(...k.crossChecks(inputs));
    } catch {
      // Inputs too malformed for the cross-field rules.
    }
  }
  return { inputs: news, failures };
}

export async function diff(kind: string, _id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
  const k = spec(kind);
  const changed = inputKeys(k)
    .filter((key) => !k.providerOnlyKeys.includes(key))
    .filter((key) => containsUnknown(news[key]) || !sameValue(olds[key], news[key]));
  const replaces = changed.filter((key) => k.replaceKeys.includes(key));
  return { changes: changed.length > 0, replaces, deleteBeforeReplace: k.deleteBeforeReplace && replaces.length > 0 };
}

export async function create(kind: string, inputs: Props): Promise<pulumi.dynamic.CreateResult> {
  const k = spec(kind);
  const args = k.schema.parse(declared(inputs));
  const ctx = context(k, args.organizationId);
  const { id, view } = args.adoptId ? await adopt(k, ctx, args) : await createOnce(k, ctx, args);
  const outs = withoutUndefined({ ...args, ...view.extras });
  try {
    await k.afterWrite?.(ctx, id, args);
  } catch (err) {
    // Half-made: the object exists. Carrying its id records it in the stack (no orphan), and the
    // next `up` finishes it with an update. __provider must be included by hand (pulumi.md A8).
    const message = err instanceof Error ? err.message : String(err);
    throw Object.assign(new Error(message), { id, properties: { ...outs, __provider: inputs.__provider }, reasons: [message] });
  }
  return { id, outs };
}

/**
 * One create, safe to retry: the Idempotency-Key comes from everything declared (keepers
 * included), so a create retried after a crash replays the first outcome instead of making a
 * duplicate. A replay can also name an object deleted since (destroy, then up again within the
 * key's lifetime): then the object is created anew under a fresh key.
 */
async function createOnce(k: KindSpec<any>, ctx: KindContext, args: Props) {
  const material = Object.fromEntries(Object.entries(args).filter(([key]) => !k.providerOnlyKeys.includes(key)));
  const key = idempotencyKey(k.name, material);
  const created = await k.create(ctx, args, key);
  try {
    await k.get(ctx, created.id);
    return created;
  } catch (err) {
    if (!isNotFound(err)) throw err;
    return k.create(ctx, args, `${key.slice(0, 48)}-${Date.now().toString(36)}`);
  }
}

/** Takes over an existing object: one PUT only when what is declared differs from what exists. */
async function adopt(k: KindSpec<any>, ctx: KindContext, args: Props) {
  const id = String(args.adoptId);
  let current;
  try {
    current = await k.get(ctx, id);
  } catch (err) {
    if (isNotFound(err)) throw new Error(`cannot adopt ${k.name} ${id}: it does not exist (check adoptId, or remove it to create a new one)`);
    throw err;
  }
  const comparable = inputKeys(k).filter((key) => !k.providerOnlyKeys.includes(key) && args[key] !== undefined);
  // Secrets are never shown back, so a declared one cannot be known to match: it is written.
  const converged =
    comparable.every((key) => k.writeOnlyKeys.includes(key) === false && sameValue(projectOnto(args[key], current.asInputs[key]), args[key]));
  return { id, view: converged ? current : await k.update(ctx, id, args, current.asInputs) };
}

export async function read(kind: string, id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
  const k = spec(kind);
  let current;
  try {
    current = await k.get(context(k, props.organizationId), id);
  } catch (err) {
    // Deleted elsewhere: no id tells the engine the object is gone.
    if (isNotFound(err)) return {};
    throw err;
  }
  const refreshed: Props = { ...props, ...current.extras };
  for (const key of inputKeys(k)) {
    if (key in props && !k.providerOnlyKeys.includes(key)) refreshed[key] = projectOnto(props[key], current.asInputs[key]);
  }
  const inputs = Object.fromEntries(inputKeys(k).filter((key) => refreshed[key] !== undefined).map((key) => [key, refreshed[key]]));
  return { id, props: withoutUndefined(refreshed), inputs: withoutUndefined(inputs) };
}

export async function update(kind: string, id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
  const k = spec(kind);
  const args = k.schema.parse(declared(news));
  const ctx = context(k, args.organizationId);
  const view = await k.update(ctx, id, args, olds);
  await k.afterWrite?.(ctx, id, args);
  return { outs: withoutUndefined({ ...args, ...view.extras }) };
}

export async function remove(kind: string, id: string, props: Props): Promise<void> {
  const k = spec(kind);
  await k.delete(context(k, props.organizationId), id);
}
