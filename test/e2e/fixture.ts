/**
 * End-to-end fixture: a program folder of its own (Pulumi.yaml + links to the compiled program,
 * node_modules and data), a private file backend, the in-process emulator and receiver on free
 * ports, and Automation API stacks over them. Everything is removed by dispose().
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ConfigMap } from "@pulumi/pulumi/automation";
import { type AnswerForm, generateServiceAccountKey, startEmulator } from "../../emulator";
import { startReceiver } from "../../receiver";
import { makeProgramFolder, openStack, OpenedStack } from "../../scripts/lib/stack";
import type { CheckpointMode } from "../../scripts/lib/checkpoints";
import { providePulumiCli, repoRoot } from "../../scripts/lib/pulumiEnv";
import type { LanguageHost } from "../../scripts/lib/languageHost";

export const API_KEY = "e2e-api-key-0123456789";
export const ORG_WEBHOOK_SECRET = "e2e-org-webhook-secret-4242";

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;
export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

export interface E2eWorld {
  dir: string;
  emulator: Emulator;
  receiver: Receiver;
  serviceAccountKey: string;
  /** The webhook connection's secret once known (the receiver checks Bearer against it). */
  recordsSecret: { value: string };
  /** A stack of the program; a config that creates Google Cloud resources keeps every checkpoint, unless `checkpoints` says. */
  stack(name: string, config?: ConfigMap, options?: { checkpoints?: CheckpointMode }): Promise<OpenedStack>;
  baseConfig(): ConfigMap;
  dispose(): Promise<void>;
}

export async function createWorld(
  opts: {
    schemaReadyDelayMs?: number;
    answerForm?: AnswerForm;
    supersetAnswers?: boolean;
    /** Where the stacks keep their state: a `postgres://` URL, or a file backend in the world's folder (default). */
    backendUrl?: string;
    /** The language host the CLI runs the program and the providers with (scripts/lib/languageHost.ts); default ours. */
    host?: LanguageHost;
  } = {},
): Promise<E2eWorld> {
  const binDir = providePulumiCli(repoRoot, opts.host ?? "project");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "polytomic-e2e-"));
  const programDir = makeProgramFolder(path.join(dir, "program"));
  const emulator = await startEmulator({
    port: 0,
    apiKey: API_KEY,
    schemaReadyDelayMs: opts.schemaReadyDelayMs ?? 200,
    answerForm: opts.answerForm,
    supersetAnswers: opts.supersetAnswers,
    log: () => undefined,
  });
  const recordsSecret = { value: "" };
  const receiver = await startReceiver({ port: 0, recordsSecret: () => recordsSecret.value, eventsSecret: ORG_WEBHOOK_SECRET });
  const serviceAccountKey = generateServiceAccountKey({ projectId: "e2e-project" });

  const baseConfig = (): ConfigMap => ({
    "polytomic:url": { value: emulator.url },
    "polytomic:apiKey": { value: API_KEY, secret: true },
    gcpMode: { value: "existing" },
    bucketName: { value: "polytomic-demo" },
    serviceAccountKey: { value: serviceAccountKey, secret: true },
    receiverUrl: { value: receiver.recordsUrl },
    orgWebhookUrl: { value: receiver.eventsUrl },
    orgWebhookSecret: { value: ORG_WEBHOOK_SECRET, secret: true },
    batchSize: { value: "100" },
  });

  return {
    dir,
    emulator,
    receiver,
    serviceAccountKey,
    recordsSecret,
    baseConfig,
    async stack(name, config, options) {
      const opened = await openStack({
        checkpoints: options?.checkpoints ?? (config?.gcpMode?.value === "create" ? "each-step" : undefined),
        stackName: name,
        workDir: programDir,
        binDir,
        ...(opts.backendUrl ? { backendUrl: opts.backendUrl } : { backendDir: path.join(dir, "backend") }),
        pulumiHome: path.join(dir, "home"),
        passphrase: "e2e-passphrase",
      });
      await opened.stack.setAllConfig(config ?? baseConfig());
      return opened;
    },
    async dispose() {
      await receiver.stop();
      await emulator.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The `syncs` config value for `count` syncs with the pipeline's settings (keys sync, sync-1, ...). */
export function syncsConfig(count: number): { value: string } {
  return { value: JSON.stringify(Object.fromEntries(Array.from({ length: count }, (_, i) => [i === 0 ? "sync" : `sync-${i}`, {}]))) };
}
