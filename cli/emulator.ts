/**
 * `polytomic-emulator [--port 8787] [--data .data/emulator]`: the offline Polytomic API as a
 * process (`npm run emulator --` in this repository). Logs one line per request, never headers or
 * bodies; SIGINT/SIGTERM stop it after writing its state. Exit codes: 2 bad arguments, 1 failure.
 * The options are parsed without side effects (`parseCliArgs`), so tests can call it.
 */
import * as path from "node:path";
import { ANSWER_FORMS, DEFAULT_ANSWER_FORM, parseAnswerForm } from "../emulator/answerForm";
import {
  CLI_SCHEMA_READY_DELAY_MS,
  DEFAULT_API_KEY,
  DEFAULT_DATA_DIR,
  DEFAULT_HOST,
  DEFAULT_PARTNER_KEY,
  DEFAULT_PORT,
  DEMO_BUCKET,
  DEMO_OBJECT,
  IDEMPOTENCY_RETENTION_MS,
} from "../emulator/defaults";
import { type EmulatorOptions, generateServiceAccountKey, startEmulator } from "../emulator";
import { readCsvHeader } from "../components/csvHeader";
import { argsOrExitCode, parseCommandLine } from "./args";
import { consoleLines, stopOnSignals } from "./console";

const TOOL = "polytomic-emulator";

export const USAGE = `usage: polytomic-emulator [--port <p>] [--host <h>] [--data <dir> | --memory]
                          [--api-key <key>] [--partner-key <key>] [--schema-ready-delay-ms <n>]
                          [--answer-form docs|sdk] [--superset-answers]
                          [--idempotency-retention-ms <n>] [--url-map <prefix>=<replacement> ...]
  --port                   port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --host                   interface to listen on (default ${DEFAULT_HOST})
  --data                   folder for state.json, buckets and runs (default ${DEFAULT_DATA_DIR})
  --memory                 keep everything in memory (nothing survives a restart)
  --api-key                key clients must present (default: $POLYTOMIC_API_KEY, else the documented local key)
  --partner-key            partner key: manages organizations, acts in one with Basic <org id>:<key>
                           (default: $POLYTOMIC_PARTNER_KEY, else the documented local partner key)
  --schema-ready-delay-ms  how long a new connection's schema stays "refreshing" (default ${CLI_SCHEMA_READY_DELAY_MS})
  --answer-form            where Polytomic's docs and SDK differ, answer as the ${ANSWER_FORMS.join(" or the ")} do
                           (cache_status true vs "fresh"; event name vs sync_name; default ${DEFAULT_ANSWER_FORM})
  --superset-answers       answer more than Polytomic does: every default filled in, plus fields
                           clients do not model (to test that a client does not care)
  --idempotency-retention-ms  how long an Idempotency-Key's outcome is replayed (default 86400000,
                           the docs' "at least 24 hours"; 0 forgets keys at once)
  --url-map                fetch URLs starting with <prefix> from <replacement> instead (repeatable;
                           offline: a csv connection's public file served from a local copy)
  --service-account-key    print a throw-away Google service-account key (JSON) and exit

What it holds at start:
  bucket ${DEMO_BUCKET}, holding ${DEMO_OBJECT} (a demo contacts CSV): point a gcs connection at it,
    e.g. existing: { bucketName: "${DEMO_BUCKET}", ... } in GcsToWebhook (objectName defaults to it)
  buckets are folders: add a CSV by copying it into <data>/gcs/${DEMO_BUCKET}/ (a new folder under
    <data>/gcs/ is a new bucket); the start-up lines name the folder, also with --memory
  service-account keys: not checked against Google, only their shape (JSON with type
    "service_account", project_id, private_key_id, a PEM private_key, client_email); any
    generated key will do: polytomic-emulator --service-account-key > key.json`;

export type CliOptions = Required<Pick<EmulatorOptions, "port" | "host" | "apiKey" | "partnerKey" | "schemaReadyDelayMs" | "answerForm" | "supersetAnswers" | "idempotencyRetentionMs">> &
  Pick<EmulatorOptions, "dataDir" | "urlMap"> & { help: boolean; serviceAccountKey: boolean };

export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliOptions {
  const { values } = parseCommandLine(argv, {
    port: { type: "string" },
    host: { type: "string" },
    data: { type: "string" },
    memory: { type: "boolean" },
    "api-key": { type: "string" },
    "partner-key": { type: "string" },
    "schema-ready-delay-ms": { type: "string" },
    "answer-form": { type: "string" },
    "superset-answers": { type: "boolean" },
    "idempotency-retention-ms": { type: "string" },
    "service-account-key": { type: "boolean" },
    "url-map": { type: "string", multiple: true },
    help: { type: "boolean", short: "h" },
  });
  return {
    help: values.help ?? false,
    serviceAccountKey: values["service-account-key"] ?? false,
    port: nonNegativeInteger(values.port, DEFAULT_PORT, "--port"),
    host: values.host ?? DEFAULT_HOST,
    dataDir: values.memory ? undefined : (values.data ?? DEFAULT_DATA_DIR),
    apiKey: values["api-key"] || env.POLYTOMIC_API_KEY || DEFAULT_API_KEY,
    partnerKey: values["partner-key"] || env.POLYTOMIC_PARTNER_KEY || DEFAULT_PARTNER_KEY,
    schemaReadyDelayMs: nonNegativeInteger(values["schema-ready-delay-ms"], CLI_SCHEMA_READY_DELAY_MS, "--schema-ready-delay-ms"),
    answerForm: values["answer-form"] === undefined ? DEFAULT_ANSWER_FORM : parseAnswerForm(values["answer-form"]),
    supersetAnswers: values["superset-answers"] ?? false,
    idempotencyRetentionMs: nonNegativeInteger(values["idempotency-retention-ms"], IDEMPOTENCY_RETENTION_MS, "--idempotency-retention-ms"),
    ...(values["url-map"] ? { urlMap: values["url-map"].map(urlMapEntry) } : {}),
  };
}

function urlMapEntry(raw: string): [string, string] {
  const at = raw.indexOf("=");
  if (at <= 0 || at === raw.length - 1) throw new Error(`--url-map must be <prefix>=<replacement> (got "${raw}")`);
  return [raw.slice(0, at), raw.slice(at + 1)];
}

function nonNegativeInteger(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer`);
  return value;
}

/** Starts the emulator and returns once it listens (it then runs until SIGINT/SIGTERM); or the exit code. */
export async function main(argv: readonly string[]): Promise<number | undefined> {
  const options = argsOrExitCode(argv, (a) => parseCliArgs(a), { tool: TOOL, usage: USAGE, ...consoleLines });
  if (typeof options === "number") return options;
  if (options.serviceAccountKey) {
    console.log(generateServiceAccountKey());
    return 0;
  }
  let emulator;
  try {
    emulator = await startEmulator({ ...options, log: (line) => console.log(line) });
  } catch (error) {
    console.error(`${TOOL}: failed to start: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  console.log(`emulator listening on ${emulator.url}`);
  console.log(options.dataDir ? `data: ${options.dataDir}` : "data: in memory");
  for (const line of seedLines(emulator.gcsRoot, options.apiKey === DEFAULT_API_KEY)) console.log(line);
  const running = emulator;
  stopOnSignals(async (signal) => {
    console.log(`${signal}: stopping`);
    await running.stop();
  });
  return undefined;
}

/** What a new user needs to point a program at this emulator: its key, bucket, object, key shape. */
function seedLines(gcsRoot: string, defaultKey: boolean): string[] {
  const bucket = path.join(gcsRoot, DEMO_BUCKET);
  let columns = "";
  try {
    columns = ` (columns: ${readCsvHeader(path.join(bucket, DEMO_OBJECT)).join(", ")})`;
  } catch {
    // No seeded CSV (its source was missing): the bucket starts empty, as the seed logged.
  }
  return [
    defaultKey ? `API key: ${DEFAULT_API_KEY} (the documented local key; --api-key or POLYTOMIC_API_KEY sets another)` : "API key: the one given by --api-key or POLYTOMIC_API_KEY",
    `bucket ${DEMO_BUCKET} holds ${DEMO_OBJECT}${columns}`,
    `add a CSV: copy it into ${bucket}${path.sep} (a new folder in ${gcsRoot}${path.sep} is a new bucket)`,
    "service-account key: any well-formed one; make one with: npx polytomic-emulator --service-account-key > key.json",
  ];
}
