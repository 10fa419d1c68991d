/** Command-line options of `npm run emulator`, parsed without side effects (so tests can call it). */
import { parseArgs } from "node:util";
import { CLI_SCHEMA_READY_DELAY_MS, DEFAULT_API_KEY, DEFAULT_PARTNER_KEY, DEFAULT_DATA_DIR, DEFAULT_HOST, DEFAULT_PORT } from "./defaults";
import type { EmulatorOptions } from "./index";
import { ANSWER_FORMS, DEFAULT_ANSWER_FORM, parseAnswerForm } from "./answer-form";

export const USAGE = `usage: polytomic-emulator [--port <p>] [--host <h>] [--data <dir> | --memory]
                          [--api-key <key>] [--partner-key <key>] [--schema-ready-delay-ms <n>]
                          [--answer-form docs|sdk] [--superset-answers]
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
                           clients do not model (to test that a client does not care)`;

export type CliOptions = Required<Pick<EmulatorOptions, "port" | "host" | "apiKey" | "partnerKey" | "schemaReadyDelayMs" | "answerForm" | "supersetAnswers">> &
  Pick<EmulatorOptions, "dataDir"> & { help: boolean };

export function parseCliArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): CliOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      data: { type: "string" },
      memory: { type: "boolean" },
      "api-key": { type: "string" },
      "partner-key": { type: "string" },
      "schema-ready-delay-ms": { type: "string" },
      "answer-form": { type: "string" },
      "superset-answers": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  return {
    help: values.help ?? false,
    port: nonNegativeInteger(values.port, DEFAULT_PORT, "--port"),
    host: values.host ?? DEFAULT_HOST,
    dataDir: values.memory ? undefined : (values.data ?? DEFAULT_DATA_DIR),
    apiKey: values["api-key"] || env.POLYTOMIC_API_KEY || DEFAULT_API_KEY,
    partnerKey: values["partner-key"] || env.POLYTOMIC_PARTNER_KEY || DEFAULT_PARTNER_KEY,
    schemaReadyDelayMs: nonNegativeInteger(values["schema-ready-delay-ms"], CLI_SCHEMA_READY_DELAY_MS, "--schema-ready-delay-ms"),
    answerForm: values["answer-form"] === undefined ? DEFAULT_ANSWER_FORM : parseAnswerForm(values["answer-form"]),
    supersetAnswers: values["superset-answers"] ?? false,
  };
}

function nonNegativeInteger(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer`);
  return value;
}
