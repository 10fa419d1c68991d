/**
 * `npm run receiver -- --port 8788 --out .data/receiver --records-secret <s> --events-secret <s>`
 *
 * Secrets also come from RECEIVER_RECORDS_SECRET / RECEIVER_EVENTS_SECRET; prefer those (command
 * lines are visible to other users of the machine). Stops cleanly on SIGINT/SIGTERM.
 *
 * `--poll-events <polytomic url>` adds the at-most-once fallback: `GET /api/events` at start and
 * every `--poll-interval` seconds, with the API key from POLYTOMIC_API_KEY (never printed).
 */
import { parseArgs } from "node:util";
import { clientEventLister } from "./poll";
import { startReceiver } from "./server";

const USAGE = `usage: node dist/receiver/main.js [--port 8788] [--host 127.0.0.1] [--out <dir>]
       [--records-secret <s> | env RECEIVER_RECORDS_SECRET] [--events-secret <s> | env RECEIVER_EVENTS_SECRET]
       [--tolerance <seconds>] [--max-body-bytes <n>] [--max-event-bytes <n>] [--retry-window <seconds>]
       [--max-in-flight-records <n, default 16>] [--max-in-flight-events <n, default 32>]
       [--records-path /records] [--events-path /events]
       [--poll-events <polytomic url> (API key in env POLYTOMIC_API_KEY)] [--poll-interval <seconds, default 60>]`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: process.env.RECEIVER_PORT ?? "8788" },
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
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const recordsSecret = values["records-secret"] ?? process.env.RECEIVER_RECORDS_SECRET;
  if (!recordsSecret) throw new Error(`a records secret is required (--records-secret or RECEIVER_RECORDS_SECRET)\n${USAGE}`);
  const number = (name: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!Number.isFinite(value)) throw new Error(`--${name} must be a number`);
    return value;
  };

  const pollUrl = values["poll-events"];
  let pollEvents: { list: ReturnType<typeof clientEventLister>; intervalSeconds?: number } | undefined;
  if (pollUrl) {
    if (!/^https?:\/\/[^/]/.test(pollUrl)) throw new Error(`--poll-events must be the Polytomic base URL, e.g. https://app.polytomic.com\n${USAGE}`);
    const apiKey = process.env.POLYTOMIC_API_KEY;
    if (!apiKey) throw new Error("--poll-events needs the API key in the environment variable POLYTOMIC_API_KEY");
    pollEvents = { list: clientEventLister(pollUrl, apiKey), intervalSeconds: number("poll-interval", values["poll-interval"]) };
  }

  const receiver = await startReceiver({
    port: number("port", values.port),
    host: values.host,
    outDir: values.out,
    recordsSecret,
    eventsSecret: values["events-secret"] ?? process.env.RECEIVER_EVENTS_SECRET,
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
  });
  console.log(`[receiver] listening: records ${receiver.recordsUrl}, events ${receiver.eventsUrl}`);
  console.log(`[receiver] writing to ${values.out ?? "memory only (no --out)"}`);
  if (pollUrl) console.log(`[receiver] polling ${pollUrl}/api/events every ${pollEvents?.intervalSeconds ?? 60} s for events the webhook missed`);

  const shutdown = async (): Promise<void> => {
    await receiver.stop();
    console.log(`[receiver] stopped: ${JSON.stringify(receiver.summary())}`);
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown());
  process.once("SIGTERM", () => void shutdown());
}

main().catch((err: unknown) => {
  console.error(`[receiver] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
