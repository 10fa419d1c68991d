#!/usr/bin/env node
/**
 * `polytomic-emulator [--port 8787] [--data .data/emulator]`: the offline Polytomic API as a
 * process (`npm run emulator --` in this repository). Logs one line per request, never headers or
 * bodies; SIGINT/SIGTERM stop it after writing its state. Exit codes: 2 bad arguments, 1 failure.
 */
import { parseCliArgs, USAGE } from "../emulator/cli-args";
import { startEmulator } from "../emulator";
import { stopOnSignals } from "../scripts/lib/cli";
import { usageError } from "../scripts/lib/cliArgs";

const TOOL = "polytomic-emulator";

async function main(): Promise<void> {
  let options;
  try {
    options = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    console.error(usageError(TOOL, error));
    process.exit(2);
  }
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const emulator = await startEmulator({ ...options, log: (line) => console.log(line) });
  console.log(`emulator listening on ${emulator.url}`);
  console.log(options.dataDir ? `data: ${options.dataDir}` : "data: in memory");

  stopOnSignals(async (signal) => {
    console.log(`${signal}: stopping`);
    await emulator.stop();
  });
}

main().catch((error: unknown) => {
  console.error(`${TOOL}: failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
