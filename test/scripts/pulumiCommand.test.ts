/**
 * `npm run pulumi -- <command>` (dist/scripts/pulumi.js, built by `npm test`): a command that
 * never reaches the Polytomic API starts no emulator, so it neither waits for one nor fails when
 * the emulator's port is taken.
 */
import { execFile } from "node:child_process";
import * as net from "node:net";
import * as path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../scripts/lib/pulumiEnv";

describe("npm run pulumi", () => {
  it("runs a command that does not reach the API with the emulator's port taken, starting no emulator", async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const { port } = busy.address() as net.AddressInfo;
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [path.join(repoRoot, "dist", "scripts", "pulumi.js"), "version"], {
        cwd: repoRoot,
        env: { ...process.env, EMULATOR_PORT: String(port) },
      });
      expect(stdout.trim()).toMatch(/^v\d+\.\d+\.\d+/);
      expect(stderr).not.toContain("emulator started");
      expect(stderr).not.toContain("already in use");
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  }, 60_000);
});
