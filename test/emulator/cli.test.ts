/**
 * The emulator as a process (compiled: `npm run build` first, as `npm test` does): it announces
 * its URL, logs each request, and on SIGTERM exits cleanly with its state written.
 */
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, expect, it } from "vitest";
import { call } from "./support";

const main = path.resolve(__dirname, "../../dist/bin/polytomic-emulator.js");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "emulator-cli-"));
let child: ChildProcess | undefined;

afterAll(() => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it("serves on the announced URL, logs requests, and keeps its state across SIGTERM", async () => {
  expect(fs.existsSync(main), `${main} is missing: run npm run build first`).toBe(true);
  const proc = spawn(process.execPath, [main, "--port", "0", "--data", dataDir, "--schema-ready-delay-ms", "0"], {
    env: { ...process.env, POLYTOMIC_API_KEY: "cli-test-key-0001" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child = proc;
  let output = "";
  proc.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  proc.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));

  const url = await new Promise<string>((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`no URL announced; output:\n${output}`)), 15_000);
    const check = () => {
      const match = /emulator listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(deadline);
        proc.stdout?.off("data", check);
        resolve(match[1]);
      }
    };
    proc.stdout?.on("data", check);
    proc.once("exit", () => reject(new Error(`exited early; output:\n${output}`)));
  });

  const auth = { authorization: "Bearer cli-test-key-0001" };
  expect((await call({ url }, "GET", "/api/me", undefined, { authorization: "Bearer polytomic-emulator-local-key" })).status).toBe(401);
  const created = await call({ url }, "POST", "/api/webhooks", { endpoint: "http://127.0.0.1:1/e", secret: "cli-secret" }, auth);
  expect(created.status).toBe(200);

  const exitCode = await new Promise<number | null>((resolve) => {
    proc.once("exit", (code) => resolve(code));
    proc.kill("SIGTERM");
  });
  expect(exitCode).toBe(0);
  expect(output).toMatch(/^POST \/api\/webhooks 200 \d+ms$/m);
  expect(output).toMatch(/^GET \/api\/me 401 \d+ms$/m);
  expect(output).not.toContain("cli-test-key-0001");

  const state = JSON.parse(fs.readFileSync(path.join(dataDir, "state.json"), "utf8"));
  expect(Object.values(state.webhooks)).toEqual([expect.objectContaining({ id: created.body.data.id, secret: "cli-secret" })]);
});
