/**
 * `npm run bench:receiver`: 100,000 records in batches of 100 from the emulator to the receiver,
 * each in its own process. Reports records per second as the receiver verified and recorded them,
 * and the receiver's peak RSS.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writeContactsCsv } from "../scripts/generate-contacts";
import { makePipeline, peakRssMb, printTable, runSync, startChild, writeResult } from "./lib";

const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const BATCH = Number(process.env.BENCH_BATCH_SIZE ?? 100);
const API_KEY = "bench-key-0123456789";

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-receiver-"));
  const servers: { stop(): Promise<void> }[] = [];
  try {
    await writeContactsCsv(path.join(dir, "gcs", "bench-bucket", "contacts.csv"), RECORDS);
    const emulator = await startChild("emulator/main.js", ["--port", "0", "--data", dir, "--api-key", API_KEY, "--schema-ready-delay-ms", "0"]);
    servers.push(emulator);
    const pipeline = await makePipeline({ baseUrl: emulator.url, apiKey: API_KEY, bucket: "bench-bucket", key: "contacts.csv", batchSize: BATCH });
    const outDir = path.join(dir, "receiver");
    const receiver = await startChild("receiver/main.js", ["--port", "0", "--records-secret", pipeline.secret, "--out", outDir]);
    servers.push(receiver);
    await pipeline.pointAt(`${receiver.url}/records`);

    const result = await runSync(pipeline, () => undefined);
    const recorded = fs.readFileSync(path.join(outDir, "records.jsonl"), "utf8").split("\n").filter(Boolean).length;
    const row = {
      records: RECORDS,
      "batch size": BATCH,
      requests: Math.ceil(RECORDS / BATCH),
      "recorded by receiver": recorded,
      seconds: result.seconds.toFixed(1),
      "records/s": Math.round(recorded / result.seconds),
      "receiver peak RSS MB": peakRssMb(receiver.process.pid!).toFixed(0),
    };
    printTable("Receiver load (emulator -> receiver, records verified and written)", [row]);
    console.log(`written to ${writeResult("receiver-load", { result: row })}`);
    if (recorded !== RECORDS) throw new Error(`receiver recorded ${recorded} records, expected ${RECORDS}`);
  } finally {
    for (const server of servers.reverse()) await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
