/**
 * The main job on the embedded default (`npm start`):
 * provide the Pulumi CLI, start the emulator, `pulumi up` the `dev` stack, start the receiver
 * with the webhook connection's secret, run the sync once and wait for it, then print the stack
 * outputs and what the receiver itself verified and recorded. Servers are always stopped.
 *
 * Running it twice in a row is the point: the second `up` changes nothing and the second run
 * delivers no unchanged record (the emulator's data folder and the file backend persist).
 */
import * as path from "node:path";
import type { UpOptions } from "@pulumi/pulumi/automation";
import { startEmulator } from "../emulator";
import { DEFAULT_API_KEY } from "../emulator/defaults";
import { startReceiver } from "../receiver";
import { openStack } from "./lib/stack";
import { localDir, repoRoot } from "./lib/pulumiEnv";
import { assertPortFree, configFileForPorts, localPorts } from "./lib/ports";
import { failureText } from "./lib/operatorError";
import { runSyncToCompletion } from "../cli/sync/runner";
import { createClient } from "../client";

const STACK = process.env.POLYTOMIC_STACK ?? "dev";

async function main(): Promise<void> {
  // EMULATOR_PORT / RECEIVER_PORT move the servers *and* the stack's URLs; a busy port stops
  // everything before anything starts, with the variable to set.
  const ports = localPorts();
  await assertPortFree(ports.emulator, "EMULATOR_PORT", "emulator");
  await assertPortFree(ports.receiver, "RECEIVER_PORT", "receiver");
  const configFile = configFileForPorts(repoRoot, STACK, ports);
  const data = path.join(localDir(), ".data");
  const emulator = await startEmulator({ port: ports.emulator, dataDir: path.join(data, "emulator"), log: () => undefined });
  console.log(`emulator  ${emulator.url}`);
  let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
  try {
    const { stack } = await openStack({ stackName: STACK });
    console.log(`pulumi up (stack ${STACK}${configFile ? `, config ${path.relative(repoRoot, configFile)}` : ""})`);
    // `configFile` (--config-file) is in the Automation API of the dev pin but not of the oldest
    // SDK the package supports; typed this way the harness compiles against both (npm run test:ends).
    const upOptions: UpOptions & { configFile?: string } = { onOutput: (text) => process.stdout.write(text), color: "never", configFile };
    const up = await stack.up(upOptions);
    const changes = up.summary.resourceChanges ?? {};
    const outputs = Object.fromEntries(Object.entries(up.outputs).map(([k, v]) => [k, v.value]));

    const apiKey = process.env.POLYTOMIC_API_KEY ?? DEFAULT_API_KEY;
    const orgWebhookSecret = (await stack.getConfig("orgWebhookSecret").catch(() => undefined))?.value;
    receiver = await startReceiver({
      port: ports.receiver,
      recordsSecret: String(outputs.webhookSecret),
      eventsSecret: orgWebhookSecret,
      outDir: path.join(data, "receiver"),
    });
    console.log(`receiver  ${receiver.url}`);

    const client = createClient({ baseUrl: emulator.url, apiKey });
    const execution = await runSyncToCompletion({
      client,
      syncId: String(outputs.syncId),
      log: (line) => console.log(`  ${line}`),
    });

    // The terminal sync event is delivered in the background: give it a moment to arrive.
    await waitFor(() => receiver!.summary().events >= 2, 10_000);
    const summary = receiver.summary();
    const rejected = Object.values(summary.rejected).reduce((a, b) => a + b, 0);

    console.log("\nStack outputs");
    for (const [key, value] of Object.entries(outputs)) {
      const secret = up.outputs[key]?.secret;
      console.log(`  ${key.padEnd(22)} ${secret ? "[secret]" : JSON.stringify(value)}`);
    }
    console.log("\nDelivery summary (from the receiver's own records)");
    console.log(`  pulumi up changes      ${JSON.stringify(changes)}`);
    console.log(`  execution              ${execution.id} ${execution.status}`);
    console.log(`  records received       ${summary.records} (duplicates ignored: ${summary.duplicateRecords}, deliveries: ${summary.deliveries})`);
    console.log(`  events received        ${summary.events}`);
    console.log(`  signatures             ${rejected === 0 ? "all valid" : `${rejected} rejected`}`);
    console.log(`  records file           ${path.relative(process.cwd(), path.join(data, "receiver", "records.jsonl"))}`);
    console.log(`  record keys            ${await deliveredKeys(client, execution.id)}`);
    if (execution.status !== "completed" || rejected > 0) process.exitCode = 1;
  } finally {
    await receiver?.stop();
    await emulator.stop();
  }
}

/**
 * The keys of the run's delivered records, read from the record log its `sync.completed` event
 * links to: the CSV's column names, normalized as Polytomic delivers them.
 */
async function deliveredKeys(client: ReturnType<typeof createClient>, executionId: string): Promise<string> {
  const completed = (await client.events.list({ type: "sync.completed", limit: 100 })).find((e) => e.event.execution_id === executionId);
  const link = (completed?.event.total_records as string[] | null | undefined)?.[0];
  if (!link) return "(no record changed since the last run)";
  const first = (await client.events.recordLog(link)).records[0];
  return first ? Object.keys(first.fields).join(", ") : "(none)";
}

async function waitFor(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}

main().catch((err) => {
  console.error(failureText(err));
  process.exit(1);
});
