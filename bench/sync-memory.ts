/**
 * `npm run bench:sync-memory`: a sync of a 1,000,000-row CSV from the emulator to the receiver,
 * each in its own process. Reports time, rows per second and the emulator's peak RSS (the target:
 * under 300 MB, which needs the CSV streamed and the record hashes kept compact).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writeContactsCsv } from "../scripts/generate-contacts";
import { makePipeline, peakRssMb, printTable, runSync, startChild, writeResult } from "./lib";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const BATCH = Number(process.env.BENCH_BATCH_SIZE ?? 500);
const API_KEY = "bench-key-0123456789";

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-sync-"));
  const servers: { stop(): Promise<void> }[] = [];
  try {
    await writeContactsCsv(path.join(dir, "gcs", "bench-bucket", "contacts.csv"), ROWS);
    const emulator = await startChild("emulator/main.js", ["--port", "0", "--data", dir, "--api-key", API_KEY, "--schema-ready-delay-ms", "0"]);
    servers.push(emulator);
    const pipeline = await makePipeline({ baseUrl: emulator.url, apiKey: API_KEY, bucket: "bench-bucket", key: "contacts.csv", batchSize: BATCH });
    const receiver = await startChild("receiver/main.js", ["--port", "0", "--records-secret", pipeline.secret]);
    servers.push(receiver);
    await pipeline.pointAt(`${receiver.url}/records`);

    const emulatorPid = emulator.process.pid!;
    const result = await runSync(pipeline, () => peakRssMb(emulatorPid));
    const row = {
      rows: ROWS,
      "batch size": BATCH,
      batches: Math.ceil(result.records / BATCH),
      "records sent": result.records,
      seconds: result.seconds.toFixed(1),
      "rows/s": Math.round(ROWS / result.seconds),
      "emulator peak RSS MB": peakRssMb(emulatorPid).toFixed(0),
      "receiver peak RSS MB": peakRssMb(receiver.process.pid!).toFixed(0),
    };
    printTable("Sync of a large CSV (emulator -> receiver)", [row]);
    console.log(`written to ${writeResult("sync-memory", { result: row })}`);
    if (result.records !== ROWS) throw new Error(`sent ${result.records} records, expected ${ROWS}`);
    if (Number(row["emulator peak RSS MB"]) >= 300) process.exitCode = 1;
  } finally {
    for (const server of servers.reverse()) await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
