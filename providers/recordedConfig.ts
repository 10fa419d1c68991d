/**
 * A signal, as data, from the providers to whoever runs `pulumi refresh` or `pulumi destroy`.
 *
 * Without the program, those commands configure the providers with the config the last `up`
 * recorded in the state. When that recorded URL or key fails (a rotated key, a moved API), the
 * fix is to run the command again with `--run-program`, on the current stack config. A caller that
 * wants to take that step by itself (scripts/lib/runPulumi.ts) names a file in
 * {@link RECORDED_CONFIG_FAILURE_FILE}; a provider whose credential check fails on recorded config
 * writes it. The caller then looks for the file, not for words in Pulumi's output.
 */
import * as fs from "node:fs";

/** The environment variable naming the file; unset, nothing is written. */
export const RECORDED_CONFIG_FAILURE_FILE = "POLYTOMIC_RECORDED_CONFIG_FAILURE_FILE";

/** What the file holds: one JSON object. */
export interface RecordedConfigFailure {
  /** The credential failure's message (it never holds the key). */
  message: string;
}

/** Writes the signal when the caller asked for it (several providers may write it: the last one stays). */
export function signalRecordedConfigFailure(failure: RecordedConfigFailure, env: NodeJS.ProcessEnv = process.env): void {
  const file = env[RECORDED_CONFIG_FAILURE_FILE];
  if (!file) return;
  try {
    fs.writeFileSync(file, `${JSON.stringify(failure)}\n`, { mode: 0o600 });
  } catch {
    // The signal is a convenience for the caller: the failure itself still fails the command.
  }
}

/** The signal a run left in `file`, if any. */
export function readRecordedConfigFailure(file: string): RecordedConfigFailure | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as RecordedConfigFailure;
  } catch {
    return undefined;
  }
}
