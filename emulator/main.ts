/**
 * `npm run emulator -- --port 8787 --data .data/emulator`: the emulator as a process.
 * Logs one line per request; SIGINT/SIGTERM stop it after writing its state.
 */
import { parseCliArgs, USAGE } from "./cli-args";
import { startEmulator } from "./index";

async function main(): Promise<void> {
  let options;
  try {
    options = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exit(2);
  }
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const emulator = await startEmulator({ ...options, log: (line) => console.log(line) });
  console.log(`emulator listening on ${emulator.url}`);
  console.log(options.dataDir ? `data: ${options.dataDir}` : "data: in memory");

  const shutdown = (signal: string) => {
    console.log(`${signal}: stopping`);
    emulator.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`stop failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(`emulator failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
