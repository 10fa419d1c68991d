/**
 * Start the Polytomic emulator in this process:
 *
 *   const emulator = await startEmulator({ port: 0 });   // in memory, free port
 *   ... new PolytomicClient({ environment: emulator.url, token: DEFAULT_API_KEY }) ...
 *   await emulator.stop();
 */
import * as fs from "node:fs";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { createAdaptorServer } from "@hono/node-server";
import { type AnswerForm, DEFAULT_ANSWER_FORM } from "./answerForm";
import { createApp } from "./app";
import { DEFAULT_API_KEY, DEFAULT_HOST, DEFAULT_PARTNER_KEY, DEFAULT_SCHEMA_READY_DELAY_MS, ORGANIZATION_ID, ORGANIZATION_NAME } from "./defaults";
import { GcsBuckets } from "./gcs/buckets";
import { seedDemoBucket } from "./gcs/seed";
import { type ActiveFaultRule, FaultController, type FaultRule } from "./http/faults";
import { type EmulatorStats, StatsCollector } from "./http/stats";
import { createRunEngine } from "./runs";
import { settled as bulkRunsSettled } from "./bulk/runner";
import type { StoredConnection, StoredModel, StoredOrganization, StoredSync, StoredWebhook } from "./store/state";
import { Store } from "./store/store";
import type { UrlMap } from "./csvUrl/source";

export type { ActiveFaultRule, EmulatorStats, FaultController, FaultRule };
export * from "./defaults";
export { ANSWER_FORMS, type AnswerForm } from "./answerForm";

export interface EmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Interface to listen on; 127.0.0.1 by default. */
  host?: string;
  /** Folder for state.json, buckets and run history; omitted = everything in memory (buckets in a temp folder). */
  dataDir?: string;
  /** The API key clients must present; DEFAULT_API_KEY when omitted. */
  apiKey?: string;
  /**
   * The partner key: it manages organizations (`/api/organizations`) and acts inside one with
   * `Authorization: Basic base64(<organization id>:<partner key>)`. DEFAULT_PARTNER_KEY when omitted.
   */
  partnerKey?: string;
  /** How long a connection's schema stays "refreshing"; 0 (ready at once) when omitted. */
  schemaReadyDelayMs?: number;
  /** Create bucket `polytomic-demo` holding the repository's CSV (default true). */
  seedBuckets?: boolean;
  /** Receives one line per request and notable events. Silent when omitted. */
  log?: (line: string) => void;
  /** Where Polytomic's docs and SDK disagree, which one the answers follow (see answerForm.ts). Default "docs". */
  answerForm?: AnswerForm;
  /**
   * Answer a superset of what Polytomic answers: every default of contract/answers.ts filled in,
   * plus fields the contract does not model. For testing that clients do not care. Default false.
   */
  supersetAnswers?: boolean;
  /**
   * How long an Idempotency-Key's outcome is replayed (default 24 hours, the docs' "at least 24
   * hours"). 0 forgets every key at once: a retry behaves as one made after the retention passed.
   */
  idempotencyRetentionMs?: number;
  /**
   * URL prefixes the emulator fetches from elsewhere, first match wins: `[["https://gist.githubusercontent.com",
   * "http://127.0.0.1:8000"]]` serves a `csv` connection's public file from a local copy (offline tests).
   */
  urlMap?: UrlMap;
}

/** Read access to what the emulator holds, for assertions (copies; secrets in clear). */
export interface EmulatorStateView {
  connections(): StoredConnection[];
  models(): StoredModel[];
  syncs(): StoredSync[];
  webhooks(): StoredWebhook[];
  organizations(): StoredOrganization[];
  /** Number of stored Idempotency-Key outcomes. */
  idempotencyRecords(): number;
}

export interface Emulator {
  /** Base URL, e.g. http://127.0.0.1:43123 (no trailing slash). */
  url: string;
  /** Stops listening, closes open connections, stops runs and writes the state. Idempotent. */
  stop(): Promise<void>;
  faults: FaultController;
  stats(): EmulatorStats;
  resetStats(): void;
  state: EmulatorStateView;
  /** The folder holding the buckets (one sub-folder per bucket). */
  gcsRoot: string;
  /** Forgets every Idempotency-Key outcome now, as Polytomic does once they expire; returns how many. */
  forgetIdempotencyKeys(): number;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const log = options.log ?? (() => {});
  const dataDir = options.dataDir ? path.resolve(options.dataDir) : undefined;
  const store = Store.open(dataDir, options.idempotencyRetentionMs);
  // The organization of the API key is always there; partners add others.
  store.state.organizations[ORGANIZATION_ID] ??= { id: ORGANIZATION_ID, name: ORGANIZATION_NAME, created_at: new Date(0).toISOString() };

  const temporaryGcsRoot = dataDir ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), "polytomic-emulator-gcs-"));
  const gcsRoot = temporaryGcsRoot ?? path.join(dataDir as string, "gcs");
  fs.mkdirSync(gcsRoot, { recursive: true });
  const buckets = new GcsBuckets(gcsRoot);
  if (options.seedBuckets !== false) seedDemoBucket(buckets, log);

  const answerForm = options.answerForm ?? DEFAULT_ANSWER_FORM;
  // Known once the server listens; record-log links are only made by runs, which come later.
  let publicUrl = "";
  const runs = createRunEngine({
    dataDir,
    answerForm,
    publicUrl: () => publicUrl,
    orgWebhook: (organizationId) => {
      const webhook = Object.values(store.state.webhooks).find((w) => w.organization_id === organizationId);
      return webhook ? { endpoint: webhook.endpoint, secret: webhook.secret, disabled: webhook.disabled } : undefined;
    },
    log,
  });

  const faults = new FaultController();
  const stats = new StatsCollector();
  const app = createApp({
    store,
    buckets,
    runs,
    organizationId: ORGANIZATION_ID,
    schemaReadyDelayMs: options.schemaReadyDelayMs ?? DEFAULT_SCHEMA_READY_DELAY_MS,
    answerForm,
    answerFill: options.supersetAnswers ? "superset" : "rules",
    urlMap: options.urlMap,
    apiKey: options.apiKey ?? DEFAULT_API_KEY,
    partnerKey: options.partnerKey ?? DEFAULT_PARTNER_KEY,
    faults,
    stats,
    log: options.log,
  });

  const host = options.host ?? DEFAULT_HOST;
  // overrideGlobalObjects: false keeps the process's own Request/Response (tests share the process).
  const server = createAdaptorServer({ fetch: app.fetch, hostname: host, overrideGlobalObjects: false });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    await runs.stop();
    if (temporaryGcsRoot) fs.rmSync(temporaryGcsRoot, { recursive: true, force: true });
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const urlHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  publicUrl = `http://${urlHost}:${port}`;

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      if ("closeAllConnections" in server) server.closeAllConnections();
      await closed;
      await runs.stop();
      // Bulk-sync runs end on their own (each table in one transaction); their outcome is kept.
      await bulkRunsSettled();
      store.flush();
      if (temporaryGcsRoot) fs.rmSync(temporaryGcsRoot, { recursive: true, force: true });
    })());

  const copies = <T>(record: Record<string, T>): T[] => structuredClone(Object.values(record));
  return {
    url: publicUrl,
    stop,
    faults,
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    state: {
      connections: () => copies(store.state.connections),
      models: () => copies(store.state.models),
      syncs: () => copies(store.state.syncs),
      webhooks: () => copies(store.state.webhooks),
      organizations: () => copies(store.state.organizations),
      idempotencyRecords: () => Object.keys(store.state.idempotency).length,
    },
    gcsRoot,
    forgetIdempotencyKeys: () => store.forgetIdempotency(),
  };
}
export { generateServiceAccountKey } from "./gcs/serviceAccountKey";
