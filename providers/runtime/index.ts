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
import { Credentials, keyToVerify, readCredentials, requireCredentials, verifyCredentials, withRecordedConfigHint } from "./credentials";
import { ExpectedFailure, quietly } from "./failure";
import { connectionKind } from "./kinds/connection";
import { modelKind } from "./kinds/model";
import { modelSyncKind } from "./kinds/modelSync";
import { orgWebhookKind } from "./kinds/orgWebhook";
import { organizationKind } from "./kinds/organization";
import { SALT_KIND, saltProvider } from "./salt";
import { readNote, writeNote } from "./stackNotes";
import { containsUnknown, idempotencyKey, projectOnto, sameValue, withoutUndefined } from "./shape";
import { answerWatchingFetch, mayBeReplay, watchCreate } from "./replay";

export const KINDS: Record<string, KindSpec<any>> = {
  connection: connectionKind,
  model: modelKind,
  modelSync: modelSyncKind,
  orgWebhook: orgWebhookKind,
  organization: organizationKind,
};

/** The input that carries the state's salt to every Polytomic resource (providers/salt.ts). */
export const SALT_INPUT = "idempotencySalt";
/** The input that names the stack (`<project>/<stack>`) to kinds with a checkNew: where their ids are noted (stackNotes.ts). */
export const STACK_INPUT = "polytomicStack";

type Props = Record<string, any>;

let credentials: Credentials = {};
/** One client per credential: the API key's, the partner's, and the partner's in each organization. */
let clients = new Map<string, PolytomicClient>();
let verified: Promise<void> | undefined;

/**
 * Takes `polytomic:url` and `polytomic:apiKey` from the config the engine sends (or
 * POLYTOMIC_URL / POLYTOMIC_API_KEY). They live in this process only; see credentials.ts for
 * what Pulumi itself records.
 */
export async function configure(req: { config: { get(key: string): string | undefined } }): Promise<void> {
  const next = readCredentials(req.config);
  // Every kind's stub calls configure with the same config: keep the check already made.
  if (sameValue(next, credentials) && verified) return;
  credentials = next;
  clients = new Map();
  verified = undefined;
}

/**
 * The client a resource acts with: an organization with the partner key alone; an object that
 * names its `organizationId` with the partner key scoped to that organization, when a partner key
 * is configured; everything else with the API key.
 */
function context(kind: KindSpec<any>, organizationId?: unknown): KindContext {
  const known = typeof organizationId === "string" && organizationId !== "" && !containsUnknown(organizationId);
  const scoped = known && credentials.partnerKey ? (organizationId as string) : undefined;
  const keyKind = kind.partnerScope || scoped !== undefined ? "partnerKey" : "apiKey";
  const { url, key } = requireCredentials(credentials, keyKind, keyKind === "partnerKey" ? ` (needed by ${kind.name})` : "");
  const cacheKey = `${keyKind}:${scoped ?? ""}`;
  let client = clients.get(cacheKey);
  if (!client) clients.set(cacheKey, (client = createClient({ baseUrl: url.value, apiKey: key.value, organizationId: scoped, log: info, fetch: answerWatchingFetch() })));
  return { client, log: info };
}

/**
 * The API context of a resource, after one credential check per process (one request per run,
 * whatever the stack's size): the API key's, or the partner key's when that is the only one.
 */
async function ready(kind: KindSpec<any>, organizationId?: unknown): Promise<KindContext> {
  verified ??= (async () => {
    const keyKind = keyToVerify(credentials);
    await verifyCredentials(requireCredentials(credentials, keyKind), undefined, keyKind);
  })();
  await verified;
  return context(kind, organizationId);
}

/** {@link ready} for refresh and destroy, which may run on the config recorded by the last `up`. */
async function readyForRecordedConfig(kind: KindSpec<any>, organizationId?: unknown): Promise<KindContext> {
  try {
    return await ready(kind, organizationId);
  } catch (err) {
    throw withRecordedConfigHint(err);
  }
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

/** What the user declared: without the serialized provider and the state's salt. */
function declared(props: Props): Props {
  const { __provider: _provider, [SALT_INPUT]: _salt, [STACK_INPUT]: _stack, ...rest } = props;
  return rest;
}

export function check(kind: string, olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
  if (kind === SALT_KIND) return saltProvider.check(olds, news);
  return quietly(async () => {
    const k = spec(kind);
    // Every preview checks every resource: the first check also checks the credentials, so a
    // revoked key or a wrong URL fails the preview in seconds, whatever changed.
    const inputs = declared(news);
    const ctx = await ready(k, inputs.organizationId);
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
    // A resource not in the state yet: rules about what already exists in the organization.
    const isNew = Object.keys(declared(olds)).length === 0;
    if (isNew && parsed.success && k.checkNew && !containsUnknown(inputs)) {
      failures.push(...(await k.checkNew(ctx, parsed.data, (id) => readNote(news[STACK_INPUT], k.name) === id)));
    }
    return { inputs: news, failures };
  });
}

/** Pure: no API call. The salt is not an input of the object, so it never shows as a change. */
export async function diff(kind: string, _id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
  if (kind === SALT_KIND) return saltProvider.diff();
  const k = spec(kind);
  const changed = inputKeys(k)
    .filter((key) => !k.providerOnlyKeys.includes(key))
    .filter((key) => containsUnknown(news[key]) || !sameValue(olds[key], news[key]));
  const replaces = changed.filter((key) => k.replaceKeys.includes(key));
  return { changes: changed.length > 0, replaces, deleteBeforeReplace: k.deleteBeforeReplace && replaces.length > 0 };
}

export function create(kind: string, inputs: Props): Promise<pulumi.dynamic.CreateResult> {
  if (kind === SALT_KIND) return quietly(() => saltProvider.create(inputs));
  return quietly(async () => {
    const k = spec(kind);
    const args = k.schema.parse(declared(inputs));
    const ctx = await ready(k, args.organizationId);
    // One of a kind checked against what exists (the org webhook) that this stack made in a run
    // whose state was never written (stackNotes.ts) is taken back rather than created again.
    const noted = k.checkNew && !args.adoptId ? readNote(inputs[STACK_INPUT], k.name) : undefined;
    const { id, view } = args.adoptId
      ? await adopt(k, ctx, args)
      : ((noted ? await takeOver(k, ctx, args, noted) : undefined) ?? (await createOnce(k, ctx, args, inputs[SALT_INPUT])));
    // Before anything else can fail: a retry after a crash must know this object is its own.
    if (k.checkNew) writeNote(inputs[STACK_INPUT], k.name, id);
    const outs = withoutUndefined({ ...args, ...view.extras });
    try {
      await k.afterWrite?.(ctx, id, args);
    } catch (err) {
      // Half-made: the object exists. Carrying its id records it in the stack (no orphan), and the
      // next `up` finishes it with an update. __provider must be included by hand (pulumi.md A8).
      const message = err instanceof Error ? err.message : String(err);
      throw Object.assign(new ExpectedFailure(message), { id, properties: { ...outs, __provider: inputs.__provider }, reasons: [message] });
    }
    return { id, outs };
  });
}

/**
 * One create, safe to retry: the Idempotency-Key is an HMAC, keyed by this state's salt, of
 * everything declared (keepers included), so a create retried after a crash replays the first
 * outcome instead of making a duplicate, and no other state can ever replay it. A replay can
 * also name an object deleted since (deleted in the UI, dropped by refresh, declared again within
 * the key's lifetime): then the object is created anew under a fresh key. Only an answer that can
 * be a replay is checked with a read (replay.ts says how a fresh one is told apart).
 */
async function createOnce(k: KindSpec<any>, ctx: KindContext, args: Props, salt: unknown) {
  if (typeof salt !== "string") {
    throw new Error(`${k.name}: no idempotency salt among the inputs: create it with this package's resource classes (providers/salt.ts)`);
  }
  const material = Object.fromEntries(Object.entries(args).filter(([key]) => !k.providerOnlyKeys.includes(key)));
  const key = idempotencyKey(k.name, material, salt);
  const { result: created, answer } = await watchCreate(() => k.create(ctx, args, key));
  if (!mayBeReplay(answer)) return created;
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
  const taken = await takeOver(k, ctx, args, id);
  if (!taken) throw new ExpectedFailure(`cannot adopt ${k.name} ${id}: it does not exist (check adoptId, or remove it to create a new one)`);
  return taken;
}

/** Converges object `id` to what is declared and returns it; undefined when it does not exist. */
async function takeOver(k: KindSpec<any>, ctx: KindContext, args: Props, id: string) {
  let current;
  try {
    current = await k.get(ctx, id);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  const comparable = inputKeys(k).filter((key) => !k.providerOnlyKeys.includes(key) && args[key] !== undefined);
  // Secrets are never shown back, so a declared one cannot be known to match: it is written.
  const converged =
    comparable.every((key) => k.writeOnlyKeys.includes(key) === false && sameValue(projectOnto(args[key], current.asInputs[key]), args[key]));
  return { id, view: converged ? current : await k.update(ctx, id, args, current.asInputs) };
}

export function read(kind: string, id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
  if (kind === SALT_KIND) return saltProvider.read(id, props);
  return quietly(async () => {
    const k = spec(kind);
    const ctx = await readyForRecordedConfig(k, props.organizationId);
    let current;
    try {
      current = await k.get(ctx, id);
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
  });
}

export function update(kind: string, id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
  if (kind === SALT_KIND) return saltProvider.update(id, olds);
  return quietly(async () => {
    const k = spec(kind);
    const args = k.schema.parse(declared(news));
    const ctx = await ready(k, args.organizationId);
    const view = await k.update(ctx, id, args, olds);
    await k.afterWrite?.(ctx, id, args);
    return { outs: withoutUndefined({ ...args, ...view.extras }) };
  });
}

export function remove(kind: string, id: string, props: Props): Promise<void> {
  if (kind === SALT_KIND) return saltProvider.remove(props);
  return quietly(async () => {
    const k = spec(kind);
    await k.delete(await readyForRecordedConfig(k, props.organizationId), id);
  });
}
