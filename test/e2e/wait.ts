/** Polling for the end-to-end tests: waits for something the engine or the servers do on their own. */

/**
 * Polls `done` every `intervalMs` until it holds; fails after `timeoutMs` with "timed out waiting
 * for <what>".
 */
export async function waitUntil(done: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000, intervalMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
