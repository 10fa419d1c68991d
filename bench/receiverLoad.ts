/**
 * `npm run bench:receiver`: 100,000 records in batches of 100 from the emulator to the receiver,
 * each in its own process. Reports records per second as the receiver verified and recorded them,
 * and the receiver's peak RSS.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { peakRssMb, printTable, runSync, startBenchWorld, writeResult } from "./lib";

const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const BATCH = Number(process.env.BENCH_BATCH_SIZE ?? 100);

async function main(): Promise<void> {
  const world = await startBenchWorld({ name: "receiver", rows: RECORDS, batchSize: BATCH, receiverArgs: (dir) => ["--out", path.join(dir, "receiver")] });
  try {
    const result = await runSync(world.pipeline, () => undefined);
    const recorded = fs.readFileSync(path.join(world.dir, "receiver", "records.jsonl"), "utf8").split("\n").filter(Boolean).length;
    const row = {
      records: RECORDS,
      "batch size": BATCH,
      requests: Math.ceil(RECORDS / BATCH),
      "recorded by receiver": recorded,
      seconds: result.seconds.toFixed(1),
      "records/s": Math.round(recorded / result.seconds),
      "receiver peak RSS MB": peakRssMb(world.receiver.process.pid!).toFixed(0),
    };
    printTable("Receiver load (emulator -> receiver, records verified and written)", [row]);
    console.log(`written to ${writeResult("receiver-load", { result: row })}`);
    if (recorded !== RECORDS) throw new Error(`receiver recorded ${recorded} records, expected ${RECORDS}`);
  } finally {
    await world.stop();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
