/**
 * `npm run pulumi -- <any pulumi args>`: the Pulumi CLI in this project's offline environment
 * (CLI on PATH, file backend, passphrase, no update checks or plugin downloads), with the
 * emulator started around the command when nothing answers on its port yet.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { startEmulator } from "../emulator";
import { DEFAULT_PORT, DEFAULT_API_KEY } from "../emulator/defaults";
import { cliArgs, providePulumiCli, pulumiEnv, repoRoot } from "./lib/pulumiEnv";

async function emulatorAnswers(url: string): Promise<boolean> {
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

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const binDir = providePulumiCli();
  const port = Number(process.env.EMULATOR_PORT ?? DEFAULT_PORT);
  const url = `http://127.0.0.1:${port}`;
  const emulator = (await emulatorAnswers(url))
    ? undefined
    : await startEmulator({ port, dataDir: path.join(repoRoot, ".data", "emulator"), log: () => undefined });
  if (emulator) console.error(`[pulumi] emulator started on ${emulator.url} for this command`);
  try {
    const child = spawn("pulumi", cliArgs(args), { cwd: repoRoot, env: pulumiEnv({ binDir }), stdio: "inherit" });
    return await new Promise<number>((resolve, reject) => {
      child.on("error", reject);
      child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    });
  } finally {
    await emulator?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
