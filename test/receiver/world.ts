/**
 * An emulator and a receiver in this process, wired the way the stack wires them: the pipeline
 * is made by the emulator tests' own helper (so it follows the sync shape those tests use), the
 * org webhook points at the receiver, and runs go through `npm run sync`'s command.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createClient } from "../../client";
import { DEFAULT_API_KEY, DEMO_BUCKET, type Emulator } from "../../emulator";
import { EventLine, Receiver, RecordLine, startReceiver } from "../../receiver";
import { runSyncCommand } from "../../cli/sync/command";
import { call, createPipeline, startTestEmulator, TEST_CSV, TEST_OBJECT } from "../emulator/support";

export const EVENTS_SECRET = "org-webhook-secret-receiver";

export interface World {
  emulator: Emulator;
  receiver: Receiver;
  outDir: string;
  syncId: string;
  /** What the receiver's events route checks signatures with from now on (rotation, a mismatch). */
  setEventsSecret(secret: string): void;
  /** `npm run sync -- contacts`; resolves to the exit code and output. */
  runSync(): Promise<{ code: number; out: string; err: string }>;
  /** Rewrites the model's CSV in the bucket. */
  writeCsv(text: string): void;
  records(): RecordLine[];
  events(): EventLine[];
  stop(): Promise<void>;
}

const readLines = <T>(file: string): T[] =>
  fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line) as T) : [];

export async function startWorld(): Promise<World> {
  const emulator = await startTestEmulator();
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "receiver-world-"));
  let recordsSecret = "";
  let eventsSecret = EVENTS_SECRET;
  const receiver = await startReceiver({
    recordsSecret: () => recordsSecret,
    eventsSecret: () => eventsSecret,
    outDir,
    log: () => undefined,
  });
  const ids = await createPipeline(emulator, receiver.recordsUrl);
  recordsSecret = String(emulator.state.connections().find((c) => c.id === ids.webhookId)?.configuration.secret);
  const hook = await call(emulator, "POST", "/api/webhooks", { endpoint: receiver.eventsUrl, secret: EVENTS_SECRET });
  if (hook.status !== 200) throw new Error(`org webhook: ${hook.status} ${hook.text}`);

  const csvFile = path.join(emulator.gcsRoot, DEMO_BUCKET, TEST_OBJECT);
  return {
    emulator,
    receiver,
    outDir,
    syncId: ids.syncId,
    setEventsSecret: (secret) => void (eventsSecret = secret),
    runSync: () => runSyncNamed("contacts", { syncs: { contacts: ids.syncId }, webhookUrl: receiver.recordsUrl, apiUrl: emulator.url, apiKey: DEFAULT_API_KEY }),
    writeCsv: (text) => fs.writeFileSync(csvFile, text),
    records: () => readLines<RecordLine>(path.join(outDir, "records.jsonl")),
    events: () => readLines<EventLine>(path.join(outDir, "events.jsonl")),
    async stop() {
      await receiver.stop();
      await emulator.stop();
      fs.rmSync(outDir, { recursive: true, force: true });
    },
  };
}

export { TEST_CSV };

/** `npm run sync -- <name>` in process, with the stack's outputs and API given directly. */
export async function runSyncNamed(
  name: string,
  stack: { syncs: Record<string, string>; webhookUrl: string; apiUrl: string; apiKey: string },
): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runSyncCommand([name], {
    stackSource: () => async () => ({
      outputs: { syncs: stack.syncs, webhookUrl: stack.webhookUrl },
      config: { "polytomic:url": stack.apiUrl, "polytomic:apiKey": stack.apiKey },
    }),
    createClient,
    env: {},
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    pollIntervalMs: 25,
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** Waits until `done()` holds, or fails after `timeoutMs`. */
export async function waitFor(done: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
