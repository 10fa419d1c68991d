/**
 * The providers' implementation, loaded at run time by the serialized stubs (providers/stub.ts)
 * from dist/. `configure` builds one runtime object per configuration (credentials, API clients,
 * the one credential check per run), shared by every kind of the process; its dispatch table maps
 * each kind, the salt included, to its verbs.
 *
 * Inputs are compared with the inputs declared last time (kept in the outputs), never with server
 * echoes, so masked secrets and server defaults cause no diff; `read` lays the server object over
 * the declared fields so edits made elsewhere show up as drift.
 */
// First: zod's locales load only when asked for (contract/lazyZodLocales.ts).
import "../../contract/lazyZodLocales";
// The SDK's per-promise debug traces skip source-map work in the provider host too (debugTraces.ts).
import "../debugTraces";
import type * as pulumi from "@pulumi/pulumi";
import { createClient, isNotFound, PolytomicClient } from "../../client";
import type { ProviderKind } from "../stub";
import type { KindContext, KindSpec } from "./kind";
import { issuesToFailures } from "./checkFailures";
import { Credentials, keyToVerify, readCredentials, requireCredentials, verifyCredentials, withRecordedConfigHint } from "./credentials";
import { ExpectedFailure, quietly } from "./expectedFailure";
import { bulkSyncKind } from "./kinds/bulkSync";
import { connectionKind } from "./kinds/connection";
import { connectionSchemaPrimaryKeysKind } from "./kinds/connectionSchemaPrimaryKeys";
import { modelKind } from "./kinds/model";
import { modelSyncKind } from "./kinds/modelSync";
import { orgWebhookKind } from "./kinds/orgWebhook";
import { organizationKind } from "./kinds/organization";
import { globalErrorSubscribersKind } from "./kinds/globalErrorSubscribers";
import { policyKind } from "./kinds/policy";
import { roleKind } from "./kinds/role";
import { userKind } from "./kinds/user";
import { saltProvider } from "./salt";
import { NO_NOTES_WHILE_SKIPPING, type StackNotes, stackNotes } from "./stackNotes";
import { CreateJournal, madeByKilledRun, replacementKey } from "./createJournal";
import { checkpointsSkipped } from "../backend";
import { containsUnknown, idempotencyKey, projectOnto, sameValue, withoutUndefined } from "./shape";
import { answerWatchingFetch, mayBeReplay, watchCreate } from "./replay";

/** The input that carries the state's salt to every Polytomic resource (providers/salt.ts). */
export const SALT_INPUT = "idempotencySalt";
/** The input that names the stack (`<project>/<stack>`): where its notes and its journal of creates are kept (stackNotes.ts). */
export const STACK_INPUT = "polytomicStack";

type Props = Record<string, any>;

/** The verbs of one kind, as the dynamic-provider host calls them once the kind is known. */
export interface KindProvider {
  check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult>;
  diff(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult>;
  create(inputs: Props): Promise<pulumi.dynamic.CreateResult>;
  read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult>;
  update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult>;
  remove(id: string, props: Props): Promise<void>;
}

/** The runtime of one configuration: its credentials, and every kind's verbs acting with them. */
export interface ProviderRuntime {
  readonly credentials: Credentials;
  /** The verbs of `kind`; throws for a kind this runtime does not know. */
  provider(kind: string): KindProvider;
}

/** What choosing a client needs to know of a kind. */
type KindScope = Pick<KindSpec, "name" | "partnerScope">;

/** What a Polytomic kind's verbs need from the runtime: API clients, after the credential check. */
interface Session {
  /** The API context of a resource, after one credential check per runtime (one request per run, whatever the stack's size). */
  ready(kind: KindScope, organizationId?: unknown): Promise<KindContext>;
  /** {@link ready} for refresh and destroy, which may run on the config recorded by the last `up`. */
  readyForRecordedConfig(kind: KindScope, organizationId?: unknown): Promise<KindContext>;
  /** The notes of a stack where its state is kept, and its journal of creates; undefined where none can be kept. */
  notes(stack: unknown): KeptNotes | undefined;
}

/** A stack's notes where its state is kept, and its journal of creates among them. */
interface KeptNotes {
  notes: StackNotes;
  journal: CreateJournal;
}

/**
 * Builds the runtime for one set of credentials (see credentials.ts for where they come from and
 * what Pulumi itself records). Nothing is called until a verb needs the API.
 */
export function createRuntime(credentials: Credentials): ProviderRuntime {
  /** One client per credential: the API key's, the partner's, and the partner's in each organization. */
  const clients = new Map<string, PolytomicClient>();
  let verified: Promise<void> | undefined;
  const notesByStack = new Map<string, KeptNotes>();

  /**
   * The client a resource acts with: an organization with the partner key alone; an object that
   * names its `organizationId` with the partner key scoped to that organization, when a partner key
   * is configured; everything else with the API key.
   */
  const context = (kind: KindScope, organizationId?: unknown): KindContext => {
    const known = typeof organizationId === "string" && organizationId !== "" && !containsUnknown(organizationId);
    const scoped = known && credentials.partnerKey ? (organizationId as string) : undefined;
    const keyKind = kind.partnerScope || scoped !== undefined ? "partnerKey" : "apiKey";
    const { url, key } = requireCredentials(credentials, keyKind, keyKind === "partnerKey" ? ` (needed by ${kind.name})` : "");
    const cacheKey = `${keyKind}:${scoped ?? ""}`;
    let client = clients.get(cacheKey);
    if (!client) {
      client = createClient({ baseUrl: url.value, apiKey: key.value, organizationId: scoped, log: info, fetch: answerWatchingFetch() });
      clients.set(cacheKey, client);
    }
    return { client, log: info, ...(known ? { organizationId: organizationId as string } : {}) };
  };

  const session: Session = {
    async ready(kind, organizationId) {
      verified ??= (async () => {
        const keyKind = keyToVerify(credentials);
        await verifyCredentials(requireCredentials(credentials, keyKind), undefined, keyKind);
      })();
      await verified;
      return context(kind, organizationId);
    },
    async readyForRecordedConfig(kind, organizationId) {
      try {
        return await session.ready(kind, organizationId);
      } catch (err) {
        throw withRecordedConfigHint(err);
      }
    },
    notes(stack) {
      if (typeof stack !== "string") return undefined;
      let found = notesByStack.get(stack);
      if (!found) {
        const notes = stackNotes(stack);
        if (!notes) return undefined;
        found = { notes, journal: new CreateJournal(notes) };
        notesByStack.set(stack, found);
      }
      return found;
    },
  };

  const polytomicKinds: KindSpec<any>[] = [connectionKind, modelKind, modelSyncKind, orgWebhookKind, organizationKind];
  const providers: Record<ProviderKind, KindProvider> = {
    connection: polytomicProvider(connectionKind, session),
    model: polytomicProvider(modelKind, session),
    modelSync: polytomicProvider(modelSyncKind, session),
    orgWebhook: polytomicProvider(orgWebhookKind, session),
    organization: polytomicProvider(organizationKind, session),
    role: polytomicProvider(roleKind, session),
    policy: polytomicProvider(policyKind, session),
    user: polytomicProvider(userKind, session),
    globalErrorSubscribers: polytomicProvider(globalErrorSubscribersKind, session),
    connectionSchemaPrimaryKeys: polytomicProvider(connectionSchemaPrimaryKeysKind, session),
    bulkSync: polytomicProvider(bulkSyncKind, session),
    idempotencySalt: {
      check: (olds, news) => saltProvider.check(olds, news),
      diff: () => saltProvider.diff(),
      create: (inputs) => quietly(() => saltProvider.create(inputs)),
      read: (id, props) => saltProvider.read(id, props),
      update: (id, olds) => saltProvider.update(id, olds),
      remove: (_id, props) =>
        quietly(async () => {
          // The salt goes last, with the stack: first what dead runs made that no state recorded.
          await removeMadeByDeadRuns(session, polytomicKinds, session.notes(props.stack));
          await saltProvider.remove(props);
        }),
    },
  };

  return {
    credentials,
    provider(kind) {
      if (!Object.hasOwn(providers, kind)) throw new Error(`unknown Polytomic resource kind "${kind}"`);
      return providers[kind as ProviderKind];
    },
  };
}

function info(message: string): void {
  try {
    (require("@pulumi/pulumi/log") as typeof pulumi.log).info(message);
  } catch {
    // Outside the engine (unit tests) there is nowhere to log to.
  }
}

const inputKeys = <A extends Props>(kind: KindSpec<A>): string[] => Object.keys(kind.schema.shape);

/** What the user declared: without the serialized provider and the state's salt. */
function declared(props: Props): Props {
  const { __provider: _provider, [SALT_INPUT]: _salt, [STACK_INPUT]: _stack, ...rest } = props;
  return rest;
}

/** The verbs of one Polytomic kind: the generic provider, told by `k` what is particular to it. */
function polytomicProvider<A extends Props>(k: KindSpec<A>, session: Session): KindProvider {
  const ready = (organizationId: unknown) => session.ready(k, organizationId);
  const readyForRecordedConfig = (organizationId: unknown) => session.readyForRecordedConfig(k, organizationId);
  return {
    check: (olds, news) =>
      quietly(async () => {
        // Every preview checks every resource: the first check also checks the credentials, so a
        // revoked key or a wrong URL fails the preview in seconds, whatever changed.
        const inputs = declared(news);
        const ctx = await ready(inputs.organizationId);
        const parsed = k.schema.safeParse(inputs);
        const failures = parsed.success ? [] : issuesToFailures(parsed.error.issues, inputs);
        // Cross-field rules run even when a field is already wrong, so one preview lists every problem;
        // they read the raw inputs defensively, and a shape they cannot read is reported above.
        if (k.crossChecks) {
          try {
            failures.push(...k.crossChecks(inputs as A));
          } catch {
            // Inputs too malformed for the cross-field rules.
          }
        }
        // A resource not in the state yet: rules about what already exists in the organization.
        const isNew = Object.keys(declared(olds)).length === 0;
        if (isNew && parsed.success && k.checkNew && !containsUnknown(inputs)) {
          const notes = session.notes(news[STACK_INPUT])?.notes;
          const noted = await notes?.read(k.name);
          const managedBy = async (id: string) => [...((await notes?.ofOtherStacks(k.name)) ?? [])].find(([, note]) => note === id)?.[0];
          failures.push(...(await k.checkNew(ctx, parsed.data, (id) => noted === id, managedBy)));
        }
        return { inputs: news, failures };
      }, true),

    /**
     * No API call. The salt is not an input of the object, so it never shows as a change. The one
     * thing read besides the inputs is the journal (listed once per run): a replacement a killed
     * run began is reported as one, so a plain `up` finishes it ({@link replacementBegun}).
     */
    diff: (id, olds, news) =>
      quietly(async () => {
        const changed = inputKeys(k)
          .filter((key) => !k.providerOnlyKeys.includes(key))
          .filter((key) => containsUnknown(news[key]) || !sameInput(k, key, olds[key], news[key]));
        const replaces = changed.filter((key) => k.replaceKeys.includes(key));
        if (replaces.length === 0 && (await replacementBegun(k, session, id, news))) {
          // Named after the salt: what the create's Idempotency-Key (the journal's record) is keyed by.
          return { changes: true, replaces: [SALT_INPUT], deleteBeforeReplace: k.deleteBeforeReplace };
        }
        // Said whatever changed: the engine reads it only when it replaces, and `up --replace <urn>` replaces with no change at all.
        return { changes: changed.length > 0, replaces, deleteBeforeReplace: k.deleteBeforeReplace };
      }, true),

    create: (inputs) =>
      quietly(async () => {
        const args = k.schema.parse(declared(inputs));
        const ctx = await ready(args.organizationId);
        const kept = session.notes(inputs[STACK_INPUT]);
        // Without notes, a crash before the state is written would lose what this run made.
        if (!kept && checkpointsSkipped()) throw new ExpectedFailure(NO_NOTES_WHILE_SKIPPING);
        const { id, view } = args.adoptId ? await adopt(k, ctx, args) : await createRecorded(k, ctx, args, inputs[SALT_INPUT], kept);
        // Before anything else can fail: a retry after a crash must know this object is its own.
        if (k.checkNew) await kept?.notes.write(k.name, id);
        // The stack's name among the outputs too: a delete gets only those, and drops the object's journal record.
        const outs = withoutUndefined({ ...args, ...view.extras, [STACK_INPUT]: inputs[STACK_INPUT] });
        try {
          await k.afterWrite?.(ctx, id, args);
        } catch (err) {
          // Half-made: the object exists. Carrying its id records it in the stack (no orphan), and the
          // next `up` finishes it with an update. The dynamic-provider host keeps `__provider` in the
          // outputs of a successful create only, so a failure's properties must carry it themselves.
          const message = err instanceof Error ? err.message : String(err);
          throw Object.assign(new ExpectedFailure(message), { id, properties: { ...outs, __provider: inputs.__provider }, reasons: [message] });
        }
        return { id, outs };
      }),

    read: (id, props) =>
      quietly(async () => {
        const ctx = await readyForRecordedConfig(props.organizationId);
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
          if (key in props && !k.providerOnlyKeys.includes(key)) {
            // A set read back in another order is the same set: the declared order stays.
            refreshed[key] = sameInput(k, key, props[key], current.asInputs[key]) ? props[key] : projectOnto(props[key], current.asInputs[key]);
          }
        }
        const inputs = Object.fromEntries(inputKeys(k).filter((key) => refreshed[key] !== undefined).map((key) => [key, refreshed[key]]));
        return { id, props: withoutUndefined(refreshed), inputs: withoutUndefined(inputs) };
      }, true),

    update: (id, olds, news) =>
      quietly(async () => {
        const args = k.schema.parse(declared(news));
        const ctx = await ready(args.organizationId);
        const view = await k.update(ctx, id, args, olds);
        await k.afterWrite?.(ctx, id, args);
        return { outs: withoutUndefined({ ...args, ...view.extras, [STACK_INPUT]: news[STACK_INPUT] }) };
      }),

    remove: (id, props) =>
      quietly(async () => {
        await k.delete(await readyForRecordedConfig(props.organizationId), id);
        // Deleted: no retry needs its record, nor (one of a kind) this stack's note of it.
        const kept = session.notes(props[STACK_INPUT]);
        await kept?.journal.forgetObject(id);
        if (k.checkNew && kept && (await kept.notes.read(k.name)) === id) await kept.notes.remove(k.name);
      }, true),
  };
}

/**
 * Whether a run killed before its state was written began replacing object `id` with an object
 * made from these inputs (`pulumi up --replace`, createJournal.ts `replacementBegun`). Only when
 * the inputs are known (at `up`; a preview with unknown inputs shows no replacement) and the
 * create would go through the journal (not an adoption); only where notes are kept.
 */
async function replacementBegun<A extends Props>(k: KindSpec<A>, session: Session, id: string, news: Props): Promise<boolean> {
  const kept = session.notes(news[STACK_INPUT]);
  if (!kept || typeof news[SALT_INPUT] !== "string" || containsUnknown(news)) return false;
  // Nearly every diff ends here, before the inputs are parsed and the key derived: no record
  // replaces this object.
  if (!(await kept.journal.isReplaced(id))) return false;
  const parsed = k.schema.safeParse(declared(news));
  if (!parsed.success || parsed.data.adoptId) return false;
  return kept.journal.replacementBegun(createKey(k, parsed.data, news[SALT_INPUT]), id);
}

/** Whether two values of input `key` are the same; the kind's set inputs ignore order. */
function sameInput(k: Pick<KindSpec, "setKeys">, key: string, a: unknown, b: unknown): boolean {
  if (!k.setKeys?.includes(key) || !Array.isArray(a) || !Array.isArray(b)) return sameValue(a, b);
  const sorted = (list: unknown[]) => list.map((item) => JSON.stringify(item)).sort();
  return sameValue(sorted(a), sorted(b));
}

/**
 * Deletes what runs killed before their state was written made (createJournal.ts
 * `madeByDeadRuns`), when the stack is destroyed: otherwise a `destroy` after a killed `up`
 * leaves those objects behind, known to no state. Users first: a delete refused because the
 * object is still used is tried again after the others, in as many passes as there are records.
 */
async function removeMadeByDeadRuns(session: Session, kinds: readonly KindSpec<any>[], kept: KeptNotes | undefined): Promise<void> {
  if (!kept) return;
  let left = await kept.journal.madeByDeadRuns();
  const passes = left.length;
  for (let pass = 1; left.length > 0; pass++) {
    const failed: typeof left = [];
    for (const record of left) {
      const k = kinds.find((kind) => kind.name === record.kind);
      if (!k || !record.id) continue;
      try {
        await k.delete(await session.readyForRecordedConfig(k, record.organizationId), record.id);
        info(`deleted ${record.kind} ${record.id} (${record.name ?? "no name"}): made by a run killed before its state was written`);
      } catch (err) {
        if (!isNotFound(err)) {
          if (pass >= passes) throw err;
          failed.push(record);
          continue;
        }
      }
      await kept.journal.forgetObject(record.id);
    }
    left = failed;
  }
}

/** The Idempotency-Key of a create: an HMAC, keyed by this state's salt, of everything declared (keepers included). */
function createKey<A extends Props>(k: KindSpec<A>, args: A, salt: unknown): string {
  if (typeof salt !== "string") {
    throw new Error(`${k.name}: no idempotency salt among the inputs: create it with this package's resource classes (providers/salt.ts)`);
  }
  const material = Object.fromEntries(Object.entries(args).filter(([key]) => !k.providerOnlyKeys.includes(key)));
  return idempotencyKey(k.name, material, salt);
}

/**
 * One create, safe to retry at any later time: what an earlier, killed run made is found through
 * the stack's notes (the one org webhook's note; the journal of creates, createJournal.ts) and taken
 * over; otherwise the intent is noted, the create sent, and the object noted before going on. A
 * replacement (its key's record names an object the last written state holds) makes a new object.
 */
async function createRecorded<A extends Props>(k: KindSpec<A>, ctx: KindContext, args: A, salt: unknown, kept: KeptNotes | undefined) {
  const key = createKey(k, args, salt);
  const record = {
    kind: k.name,
    ...(typeof args.name === "string" ? { name: args.name } : {}),
    ...(typeof args.organizationId === "string" ? { organizationId: args.organizationId } : {}),
  };
  const { earlier, replacing } = await recoverEarlier(k, ctx, args, key, kept);
  const about = replacing ? { replacing } : {};
  if (earlier) {
    await kept?.journal.made(key, { ...record, ...about, at: new Date().toISOString(), id: earlier.id });
    return earlier;
  }
  await kept?.journal.intend(key, { ...record, ...about, at: new Date().toISOString() });
  const created = await createOnce(k, ctx, args, replacing ? replacementKey(key, replacing) : key, kept);
  await kept?.journal.made(key, { ...record, ...about, at: new Date().toISOString(), id: created.id });
  return created;
}

/**
 * What a killed run made for this create, taken over (converged to what is declared), when it made
 * something that exists; and the object this create replaces, when it is a replacement.
 */
async function recoverEarlier<A extends Props>(
  k: KindSpec<A>,
  ctx: KindContext,
  args: A,
  key: string,
  kept: KeptNotes | undefined,
): Promise<{ earlier?: Awaited<ReturnType<typeof takeOver>>; replacing?: string }> {
  if (!kept) return {};
  const inLastState = async (id: string) => (await kept.journal.heldByLastState(id)) === true;
  // One of a kind checked against what exists (the org webhook): its id is noted on its own.
  const noted = k.checkNew ? await kept.notes.read(k.name) : undefined;
  const fromNote = noted && !(await inLastState(noted)) ? await takeOver(k, ctx, args, noted) : undefined;
  if (fromNote) return { earlier: fromNote };
  const record = await kept.journal.find(key);
  if (!record) return {};
  // The recorded object is the stack's own, as last written: this create replaces it.
  if (record.id && (await inLastState(record.id))) return { replacing: record.id };
  if (record.id) return { earlier: await takeOver(k, ctx, args, record.id), replacing: record.replacing };
  // Only the intent: the killed run's POST may have landed. Look for what it would have made.
  if (!k.list) return { replacing: record.replacing };
  const listed = (await k.list(ctx)).filter((o) => o.id !== record.replacing);
  const unclaimed = new Set(await kept.journal.claimedIds());
  for (const o of listed) if (await inLastState(o.id)) unclaimed.add(o.id);
  const candidate = madeByKilledRun(record, listed, unclaimed);
  return { earlier: candidate ? await takeOver(k, ctx, args, candidate.id) : undefined, replacing: record.replacing };
}

/**
 * One create under its Idempotency-Key, so a create retried while Polytomic keeps the key replays
 * the first outcome, and no other state can ever replay it. A replay can also name an object
 * deleted since (deleted in the UI, dropped by refresh, declared again within the key's lifetime),
 * or one the stack still holds (the object a replacement replaces, made by the same key): then
 * the object is created anew under a fresh key. Only an answer that can be a replay is checked
 * with a read (replay.ts says how a fresh one is told apart).
 */
async function createOnce<A extends Props>(k: KindSpec<A>, ctx: KindContext, args: A, key: string, kept: KeptNotes | undefined) {
  const { result: created, answer } = await watchCreate(() => k.create(ctx, args, key));
  if (!mayBeReplay(answer)) return created;
  const fresh = () => k.create(ctx, args, `${key.slice(0, 48)}-${Date.now().toString(36)}`);
  if ((await kept?.journal.heldByLastState(created.id)) === true) return fresh();
  try {
    await k.get(ctx, created.id);
    return created;
  } catch (err) {
    if (!isNotFound(err)) throw err;
    return fresh();
  }
}

const isEmptyRecord = (value: unknown): boolean => !!value && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0;

/** Takes over an existing object: one PUT only when what is declared differs from what exists. */
async function adopt<A extends Props>(k: KindSpec<A>, ctx: KindContext, args: A) {
  const id = String(args.adoptId);
  const taken = await takeOver(k, ctx, args, id);
  if (!taken) throw new ExpectedFailure(`cannot adopt ${k.name} ${id}: it does not exist (check adoptId, or remove it to create a new one)`);
  return taken;
}

/** Converges object `id` to what is declared and returns it; undefined when it does not exist. */
async function takeOver<A extends Props>(k: KindSpec<A>, ctx: KindContext, args: A, id: string) {
  let current;
  try {
    current = await k.get(ctx, id);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  // An empty secret side (a typed connection that sets none of its type's secrets) declares no secret.
  const declaresNothing = (key: string) => k.writeOnlyKeys.includes(key) && isEmptyRecord(args[key]);
  const comparable = inputKeys(k).filter((key) => !k.providerOnlyKeys.includes(key) && args[key] !== undefined && !declaresNothing(key));
  // Secrets are never shown back, so a declared one cannot be known to match: it is written.
  const converged =
    comparable.every((key) => k.writeOnlyKeys.includes(key) === false && sameValue(projectOnto(args[key], current.asInputs[key]), args[key]));
  return { id, view: converged ? current : await k.update(ctx, id, args, current.asInputs) };
}

// ---------------------------------------------------------------------------------------------
// The interface every stub ever stored in a state relies on (providers/stub.ts): `configure`, then
// each verb with the kind first. The host calls `configure` before any verb, so the runtime it
// builds is kept here: the one binding this module holds, replaced when the configuration changes.

let configured: ProviderRuntime = createRuntime({});

/**
 * Takes `polytomic:url` and `polytomic:apiKey` from the config the engine sends (or
 * POLYTOMIC_URL / POLYTOMIC_API_KEY) and returns the runtime for them. Every kind's stub calls it
 * with the same config: the runtime, with the credential check already made, is kept.
 */
export async function configure(req: { config: { get(key: string): string | undefined } }): Promise<ProviderRuntime> {
  const credentials = readCredentials(req.config);
  if (!sameValue(credentials, configured.credentials)) configured = createRuntime(credentials);
  return configured;
}

export const check = (kind: string, olds: Props, news: Props) => configured.provider(kind).check(olds, news);
export const diff = (kind: string, id: string, olds: Props, news: Props) => configured.provider(kind).diff(id, olds, news);
export const create = (kind: string, inputs: Props) => configured.provider(kind).create(inputs);
export const read = (kind: string, id: string, props: Props) => configured.provider(kind).read(id, props);
export const update = (kind: string, id: string, olds: Props, news: Props) => configured.provider(kind).update(id, olds, news);
export const remove = (kind: string, id: string, props: Props) => configured.provider(kind).remove(id, props);
