/**
 * Benchmark plumbing: servers as child processes (so each one's memory is its own), their peak
 * RSS from /proc, and a GCS-to-webhook pipeline made through the API client.
 */
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as os from "node:os";
import { createClient, PolytomicClient } from "../client";
import { connections } from "../contract";
import { generateServiceAccountKey } from "../emulator/gcs/serviceAccountKey";
import { writeContactsCsv } from "../scripts/generateContacts";

export const repoRoot = path.resolve(__dirname, "..", "..");

export interface ChildServer {
  process: ChildProcess;
  /** The first http://127.0.0.1:<port> the server printed. */
  url: string;
  stop(): Promise<void>;
}

/** Starts `node <script> <args>` and waits for it to print its URL. */
export function startChild(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<ChildServer> {
  const child = spawn(process.execPath, [path.join(repoRoot, "dist", script), ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`${script} did not start: ${output}`)), 20_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/http:\/\/127\.0\.0\.1:\d+/);
      if (match) {
        clearTimeout(timer);
        child.stdout!.removeAllListeners("data");
        child.stdout!.resume();
        resolve({
          process: child,
          url: match[0],
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once("exit", () => done());
              child.kill("SIGTERM");
            }),
        });
      }
    });
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}: ${output}`)));
  });
}

export { peakRssMb } from "../scripts/lib/processes";

export interface Pipeline {
  client: PolytomicClient;
  syncId: string;
  webhookConnectionId: string;
  /** The Bearer secret the emulator sends with each batch. */
  secret: string;
}

/** gcs connection, webhook connection (placeholder URL until `pointAt`), model and sync. */
export async function makePipeline(opts: { baseUrl: string; apiKey: string; bucket: string; key: string; batchSize: number }): Promise<Pipeline & { pointAt(url: string): Promise<void> }> {
  const client = createClient({ baseUrl: opts.baseUrl, apiKey: opts.apiKey });
  const gcs = await client.connections.create({ name: "bench-gcs", type: "gcs", configuration: { bucket: opts.bucket, service_account: generateServiceAccountKey({ projectId: "bench-project" }) } });
  for (let ready = false; !ready; ) {
    const status = await client.connections.schemaStatus(gcs.id);
    ready = connections.isSchemaReady(status);
    if (!ready) await new Promise((r) => setTimeout(r, 50));
  }
  const hook = await client.connections.create({ name: "bench-hook", type: "webhook", configuration: { url: "http://127.0.0.1:9/unset" } });
  const model = await client.models.create({ name: "bench-model", connection_id: gcs.id, configuration: { model_from: "single_file", key: opts.key, file_format: "csv" } });
  const sync = await client.syncs.create({
    name: "bench-sync", mode: "updateOrCreate", schedule: { frequency: "manual" }, active: true,
    target: { connection_id: hook.id, object: "http", configuration: { batch_size: opts.batchSize } },
    fields: ["email_address", "first_name", "last_name"].map((f) => ({ target: "record", source: { model_id: model.id, field: f } })),
  });
  return {
    client,
    syncId: sync.id,
    webhookConnectionId: hook.id,
    secret: String(hook.configuration.secret),
    pointAt: async (url: string) => {
      await client.connections.update(hook.id, { name: "bench-hook", type: "webhook", configuration: { url } });
    },
  };
}

/** Starts the sync and waits for its end, calling `tick` every 100 ms. */
export async function runSync(p: Pipeline, tick: () => void): Promise<{ status: string; records: number; seconds: number }> {
  const started = Date.now();
  const { id } = await p.client.syncs.start(p.syncId);
  for (;;) {
    tick();
    const execution = await p.client.syncs.execution(p.syncId, id);
    if (["completed", "failed", "canceled", "interrupted"].includes(execution.status)) {
      if (execution.status !== "completed") throw new Error(`run ${execution.status}: ${execution.errors?.join("; ")}`);
      return { status: execution.status, records: execution.counts?.upserts ?? 0, seconds: (Date.now() - started) / 1000 };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function printTable(title: string, rows: Record<string, string | number>[]): void {
  const header = Object.keys(rows[0]);
  const cells = rows.map((r) => header.map((h) => String(r[h])));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i])).join(" | ")} |`;
  console.log(`\n${title}\n${line(header)}\n|${widths.map((w) => "-".repeat(w + 2)).join("|")}|\n${cells.map(line).join("\n")}`);
}

export function writeResult(name: string, data: unknown): string {
  const dir = path.join(repoRoot, "bench", "results");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), node: process.version, ...(data as object) }, null, 2) + "\n");
  return file;
}

export interface BenchWorld {
  dir: string;
  emulator: ChildServer;
  receiver: ChildServer;
  pipeline: Pipeline;
  stop(): Promise<void>;
}

/**
 * A temp data folder with a `rows`-row contacts CSV, the emulator and the receiver as child
 * processes, and a pipeline whose sync delivers to the receiver.
 */
export async function startBenchWorld(opts: { name: string; rows: number; batchSize: number; receiverArgs?: (dir: string) => string[] }): Promise<BenchWorld> {
  const apiKey = "bench-key-0123456789";
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${opts.name}-`));
  const servers: ChildServer[] = [];
  const stop = async () => {
    for (const server of servers.reverse()) await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await writeContactsCsv(path.join(dir, "gcs", "bench-bucket", "contacts.csv"), opts.rows);
    const emulator = await startChild("bin/polytomic-emulator.js", ["--port", "0", "--data", dir, "--api-key", apiKey, "--schema-ready-delay-ms", "0"]);
    servers.push(emulator);
    const pipeline = await makePipeline({ baseUrl: emulator.url, apiKey, bucket: "bench-bucket", key: "contacts.csv", batchSize: opts.batchSize });
    const receiver = await startChild("bin/polytomic-receiver.js", ["--port", "0", "--records-secret", pipeline.secret, ...(opts.receiverArgs?.(dir) ?? [])]);
    servers.push(receiver);
    await pipeline.pointAt(`${receiver.url}/records`);
    return { dir, emulator, receiver, pipeline, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
