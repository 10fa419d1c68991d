/**
 * Shared helpers for the emulator tests: an in-memory emulator with a small CSV of its own in
 * the demo bucket, a service-account key generated at run time, and a fetch wrapper.
 */
import { generateKeyPairSync } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { DEFAULT_API_KEY, DEMO_BUCKET, type Emulator, type EmulatorOptions, startEmulator } from "../../emulator";

/** The test's own object (the repository CSV may not exist yet; tests never depend on it). */
export const TEST_OBJECT = "tests/contacts.csv";
export const TEST_CSV = [
  "email_address,first_name,last_name,plan",
  "ada@example.com,Ada,Lovelace,pro",
  "grace@example.com,Grace,Hopper,team",
  "",
].join("\n");

let cachedKey: string | undefined;

/** A well-formed service-account key (JSON text) with a fresh RSA key; generated once per test file. */
export function serviceAccountKey(overrides: Record<string, unknown> = {}): string {
  if (!cachedKey) {
    const { privateKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    cachedKey = privateKey;
  }
  return JSON.stringify({
    type: "service_account",
    project_id: "demo-project",
    private_key_id: "0123456789abcdef",
    private_key: cachedKey,
    client_email: "loader@demo-project.iam.gserviceaccount.com",
    client_id: "100000000000000000001",
    token_uri: "https://oauth2.googleapis.com/token",
    ...overrides,
  });
}

/** Starts an emulator (in memory unless `dataDir` is given) with TEST_OBJECT in the demo bucket. */
export async function startTestEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = await startEmulator({ port: 0, schemaReadyDelayMs: 0, ...options });
  const file = path.join(emulator.gcsRoot, DEMO_BUCKET, TEST_OBJECT);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, TEST_CSV);
  return emulator;
}

export interface CallResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** One HTTP call with the emulator's key (unless `headers.authorization` overrides it). */
export async function call<T = any>(
  emulator: Pick<Emulator, "url">,
  method: string,
  route: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<CallResult<T>> {
  const response = await fetch(emulator.url + route, {
    method,
    headers: {
      authorization: `Bearer ${DEFAULT_API_KEY}`,
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}

/** Request bodies for the objects most tests need. */
export const bodies = {
  gcsConnection: (name = "GCS source", extra: Record<string, unknown> = {}) => ({
    name,
    type: "gcs",
    configuration: { bucket: DEMO_BUCKET, service_account: serviceAccountKey(), ...extra },
  }),
  webhookConnection: (url: string, name = "Webhook target") => ({
    name,
    type: "webhook",
    configuration: { url },
  }),
  model: (connectionId: string, extra: Record<string, unknown> = {}) => ({
    name: "Contacts",
    connection_id: connectionId,
    configuration: { model_from: "single_file", key: TEST_OBJECT, file_format: "csv" },
    ...extra,
  }),
  sync: (modelId: string, targetConnectionId: string, extra: Record<string, unknown> = {}) => ({
    name: "Contacts to webhook",
    mode: "updateOrCreate",
    active: true,
    schedule: { frequency: "manual" },
    target: { connection_id: targetConnectionId, object: "http", configuration: { batch_size: 2, record_requests: true } },
    fields: ["email_address", "first_name", "last_name"].map((field) => ({
      target: "record",
      source: { model_id: modelId, field },
    })),
    ...extra,
  }),
};

/** Creates the usual chain (gcs connection, webhook connection, model, sync) and returns their ids. */
export async function createPipeline(emulator: Pick<Emulator, "url">, webhookUrl = "http://127.0.0.1:9/hook") {
  const gcs = await call(emulator, "POST", "/api/connections", bodies.gcsConnection());
  const webhook = await call(emulator, "POST", "/api/connections", bodies.webhookConnection(webhookUrl));
  const model = await call(emulator, "POST", "/api/models", bodies.model(gcs.body.data.id));
  const sync = await call(emulator, "POST", "/api/syncs", bodies.sync(model.body.data.id, webhook.body.data.id));
  for (const created of [gcs, webhook, model, sync]) {
    if (created.status !== 200) throw new Error(`setup failed: ${created.status} ${created.text}`);
  }
  return {
    gcsId: gcs.body.data.id as string,
    webhookId: webhook.body.data.id as string,
    modelId: model.body.data.id as string,
    syncId: sync.body.data.id as string,
  };
}

/** Polls until `check` returns a value other than undefined, or fails after the deadline. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export interface ReceivedRequest {
  status: number;
  headers: http.IncomingHttpHeaders;
  raw: Buffer;
  body: any;
}

/** A webhook endpoint answering with the next scripted status (200 when none), recording every request. */
export async function recordingReceiver() {
  const received: ReceivedRequest[] = [];
  const statuses: number[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c)).on("end", () => {
      const raw = Buffer.concat(chunks);
      const text = req.headers["content-encoding"] === "gzip" ? zlib.gunzipSync(raw).toString() : raw.toString();
      const status = statuses.shift() ?? 200;
      received.push({ status, headers: req.headers, raw, body: JSON.parse(text) });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, statuses, close: () => new Promise<void>((r) => server.close(() => r())) };
}
