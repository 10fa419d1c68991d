/**
 * `npm run bench:sync-memory`: a sync of a 1,000,000-row CSV from the emulator to the receiver,
 * each in its own process. Reports time, rows per second and the emulator's peak RSS (the target:
 * under 300 MB, which needs the CSV streamed and the record hashes kept compact).
 */
import { peakRssMb, printTable, runSync, startBenchWorld, writeResult } from "./lib";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const BATCH = Number(process.env.BENCH_BATCH_SIZE ?? 500);

async function main(): Promise<void> {
  const world = await startBenchWorld({ name: "sync", rows: ROWS, batchSize: BATCH });
  try {
    const emulatorPid = world.emulator.process.pid!;
    const result = await runSync(world.pipeline, () => peakRssMb(emulatorPid));
    const row = {
      rows: ROWS,
      "batch size": BATCH,
      batches: Math.ceil(result.records / BATCH),
      "records sent": result.records,
      seconds: result.seconds.toFixed(1),
      "rows/s": Math.round(ROWS / result.seconds),
      "emulator peak RSS MB": peakRssMb(emulatorPid).toFixed(0),
      "receiver peak RSS MB": peakRssMb(world.receiver.process.pid!).toFixed(0),
    };
    printTable("Sync of a large CSV (emulator -> receiver)", [row]);
    console.log(`written to ${writeResult("sync-memory", { result: row })}`);
    if (result.records !== ROWS) throw new Error(`sent ${result.records} records, expected ${ROWS}`);
    if (Number(row["emulator peak RSS MB"]) >= 300) process.exitCode = 1;
  } finally {
    await world.stop();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
