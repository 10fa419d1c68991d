/**
 * `npm run receiver -- --port 8788 --out .data/receiver --records-secret <s> --events-secret <s>`
 *
 * Secrets also come from RECEIVER_RECORDS_SECRET / RECEIVER_EVENTS_SECRET; prefer those (command
 * lines are visible to other users of the machine). Stops cleanly on SIGINT/SIGTERM.
 */
import { parseArgs } from "node:util";
import { startReceiver } from "./server";

const USAGE = `usage: node dist/receiver/main.js [--port 8788] [--host 127.0.0.1] [--out <dir>]
       [--records-secret <s> | env RECEIVER_RECORDS_SECRET] [--events-secret <s> | env RECEIVER_EVENTS_SECRET]
       [--tolerance <seconds>] [--max-body-bytes <n>] [--records-path /records] [--events-path /events]`;

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

  const receiver = await startReceiver({
    port: number("port", values.port),
    host: values.host,
    outDir: values.out,
    recordsSecret,
    eventsSecret: values["events-secret"] ?? process.env.RECEIVER_EVENTS_SECRET,
    toleranceSeconds: number("tolerance", values.tolerance),
    maxBodyBytes: number("max-body-bytes", values["max-body-bytes"]),
    recordsPath: values["records-path"],
    eventsPath: values["events-path"],
  });
  console.log(`[receiver] listening: records ${receiver.recordsUrl}, events ${receiver.eventsUrl}`);
  console.log(`[receiver] writing to ${values.out ?? "memory only (no --out)"}`);

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
