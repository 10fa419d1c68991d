/**
 * The emulator a harness command starts around itself when nothing answers on the local
 * emulator's port yet (`npm run pulumi`, `npm run sync`, `npm run export`), with the data folder
 * every such command shares (`.data/emulator`), so objects made by one are there for the next.
 */
import * as path from "node:path";
import { startEmulator } from "../../emulator";
import { DEFAULT_API_KEY } from "../../emulator/defaults";
import { localDir } from "./pulumiEnv";
import { assertPortFree } from "./ports";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

/** Whether an emulator (or the API) answers `GET /api/me` at `url` within a second. */
export async function emulatorAnswers(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/api/me`, {
      headers: { Authorization: `Bearer ${process.env.POLYTOMIC_API_KEY ?? DEFAULT_API_KEY}` },
      signal: AbortSignal.timeout(1000),
    });
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * Starts the emulator on `port` (loopback) unless something answers there already; returns it, to
 * stop when the command ends, or undefined. A busy port that does not answer fails with one line
 * naming EMULATOR_PORT.
 */
export async function emulatorAround(port: number, why: string): Promise<Emulator | undefined> {
  if (await emulatorAnswers(`http://127.0.0.1:${port}`)) return undefined;
  await assertPortFree(port, "EMULATOR_PORT", "emulator");
  const emulator = await startEmulator({ port, dataDir: path.join(localDir(), ".data", "emulator"), log: () => undefined });
  console.error(`[${why}] emulator started on ${emulator.url} for this command`);
  return emulator;
}
