/**
 * `polytomic-receiver --port 8788 --out .data/receiver`: verifies and records Polytomic deliveries
 * (`npm run receiver --` in this repository). Secrets come from RECEIVER_RECORDS_SECRET /
 * RECEIVER_EVENTS_SECRET (preferred: command lines are visible to other users of the machine) or
 * the options; they are never printed. Stops cleanly on SIGINT/SIGTERM. Exit codes: 2 bad
 * arguments, 1 failure.
 *
 * `--poll-events <polytomic url>` adds the at-most-once fallback: `GET /api/events` at start and
 * every `--poll-interval` seconds, with the API key from POLYTOMIC_API_KEY (never printed).
 */
import { startReceiver } from "../receiver";
import { clientEventLister } from "../receiver/poll";
import { argsOrExitCode, parseCommandLine } from "./args";
import { consoleLines, stopOnSignals } from "./console";

const TOOL = "polytomic-receiver";

const USAGE = `usage: ${TOOL} [--port 8788] [--host 127.0.0.1] [--out <dir>]
       [--records-secret <s> | env RECEIVER_RECORDS_SECRET] [--events-secret <s> | env RECEIVER_EVENTS_SECRET]
       [--tolerance <seconds>] [--max-body-bytes <n>] [--max-event-bytes <n>] [--retry-window <seconds>]
       [--max-in-flight-records <n>] [--max-in-flight-events <n>] [--records-path /records] [--events-path /events]
       [--poll-events <polytomic url>] [--poll-interval <seconds>]
  --port                   port to listen on (default $RECEIVER_PORT or 8788; 0 picks a free one)
  --out                    folder for the received records and events as JSON lines (default: memory only)
  --records-secret         the webhook connection's secret, sent as "Authorization: Bearer" (required)
  --events-secret          the organization webhook's HMAC secret (default: no events route)
  --tolerance              accepted clock skew of signature timestamps, in seconds
  --max-event-bytes        largest event body, checked while inflating (default 64 KiB)
  --retry-window           how long a retried records delivery is recognised, in seconds
  --max-in-flight-records  requests handled at once per route; past it 503 with Retry-After
  --max-in-flight-events   (defaults 16 and 32)
  --poll-events            also poll this Polytomic API's GET /api/events for events the webhook
                           missed (API key from POLYTOMIC_API_KEY); every --poll-interval seconds (60)`;

/** The receiver's options; the secrets and the API key may come from `env`. */
export function parseReceiverArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env) {
  const { values } = parseCommandLine(argv, {
    port: { type: "string", default: env.RECEIVER_PORT ?? "8788" },
    host: { type: "string", default: "127.0.0.1" },
    out: { type: "string" },
    "records-secret": { type: "string" },
    "events-secret": { type: "string" },
    tolerance: { type: "string" },
    "max-body-bytes": { type: "string" },
    "max-event-bytes": { type: "string" },
    "retry-window": { type: "string" },
    "max-in-flight-records": { type: "string" },
    "max-in-flight-events": { type: "string" },
    "poll-events": { type: "string" },
    "poll-interval": { type: "string" },
    "records-path": { type: "string" },
    "events-path": { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  const number = (name: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!Number.isFinite(value)) throw new Error(`--${name} must be a number`);
    return value;
  };
  const recordsSecret = values["records-secret"] ?? env.RECEIVER_RECORDS_SECRET;
  if (!values.help && !recordsSecret) throw new Error("a records secret is required (--records-secret or RECEIVER_RECORDS_SECRET)");
  const pollUrl = values["poll-events"];
  let pollEvents: { list: ReturnType<typeof clientEventLister>; intervalSeconds?: number } | undefined;
  if (pollUrl && !values.help) {
    if (!/^https?:\/\/[^/]/.test(pollUrl)) throw new Error("--poll-events must be the Polytomic base URL, e.g. https://app.polytomic.com");
    const apiKey = env.POLYTOMIC_API_KEY;
    if (!apiKey) throw new Error("--poll-events needs the API key in the environment variable POLYTOMIC_API_KEY");
    pollEvents = { list: clientEventLister(pollUrl, apiKey), intervalSeconds: number("poll-interval", values["poll-interval"]) };
  }
  return {
    help: values.help ?? false,
    out: values.out,
    options: {
      port: number("port", values.port),
      host: values.host,
      outDir: values.out,
      recordsSecret: recordsSecret ?? "",
      eventsSecret: values["events-secret"] ?? env.RECEIVER_EVENTS_SECRET,
      toleranceSeconds: number("tolerance", values.tolerance),
      maxBodyBytes: number("max-body-bytes", values["max-body-bytes"]),
      maxEventBytes: number("max-event-bytes", values["max-event-bytes"]),
      retryWindowSeconds: number("retry-window", values["retry-window"]),
      maxInFlight: {
        records: number("max-in-flight-records", values["max-in-flight-records"]),
        events: number("max-in-flight-events", values["max-in-flight-events"]),
      },
      pollEvents,
      recordsPath: values["records-path"],
      eventsPath: values["events-path"],
    },
  };
}

/** Starts the receiver and returns once it listens (it then runs until SIGINT/SIGTERM); or the exit code. */
export async function main(argv: readonly string[]): Promise<number | undefined> {
  const args = argsOrExitCode(argv, (a) => parseReceiverArgs(a), { tool: TOOL, usage: USAGE, ...consoleLines });
  if (typeof args === "number") return args;
  const receiver = await startReceiver(args.options);
  console.log(`[receiver] listening: records ${receiver.recordsUrl}, events ${receiver.eventsUrl}`);
  console.log(`[receiver] writing to ${args.out ?? "memory only (no --out)"}`);

  stopOnSignals(async () => {
    await receiver.stop();
    console.log(`[receiver] stopped: ${JSON.stringify(receiver.summary())}`);
  });
  return undefined;
}
