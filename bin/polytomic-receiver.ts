#!/usr/bin/env node
/**
 * `polytomic-receiver --port 8788 --out .data/receiver`: verifies and records Polytomic deliveries
 * (`npm run receiver --` in this repository). Secrets come from RECEIVER_RECORDS_SECRET /
 * RECEIVER_EVENTS_SECRET (preferred: command lines are visible to other users of the machine) or
 * the options; they are never printed. Stops cleanly on SIGINT/SIGTERM. Exit codes: 2 bad
 * arguments, 1 failure.
 */
import { parseArgs } from "node:util";
import { startReceiver } from "../receiver";
import { usageError } from "../scripts/lib/cliArgs";

const TOOL = "polytomic-receiver";

const USAGE = `usage: ${TOOL} [--port 8788] [--host 127.0.0.1] [--out <dir>]
       [--records-secret <s> | env RECEIVER_RECORDS_SECRET] [--events-secret <s> | env RECEIVER_EVENTS_SECRET]
       [--tolerance <seconds>] [--max-body-bytes <n>] [--records-path /records] [--events-path /events]
  --port            port to listen on (default $RECEIVER_PORT or 8788; 0 picks a free one)
  --out             folder for the received records and events as JSON lines (default: memory only)
  --records-secret  the webhook connection's secret, sent as "Authorization: Bearer" (required)
  --events-secret   the organization webhook's HMAC secret (default: no events route)
  --tolerance       accepted clock skew of signature timestamps, in seconds`;

function parse(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
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
  const number = (name: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!Number.isFinite(value)) throw new Error(`--${name} must be a number`);
    return value;
  };
  const recordsSecret = values["records-secret"] ?? process.env.RECEIVER_RECORDS_SECRET;
  if (!values.help && !recordsSecret) throw new Error("a records secret is required (--records-secret or RECEIVER_RECORDS_SECRET)");
  return {
    help: values.help ?? false,
    out: values.out,
    options: {
      port: number("port", values.port),
      host: values.host,
      outDir: values.out,
      recordsSecret: recordsSecret ?? "",
      eventsSecret: values["events-secret"] ?? process.env.RECEIVER_EVENTS_SECRET,
      toleranceSeconds: number("tolerance", values.tolerance),
      maxBodyBytes: number("max-body-bytes", values["max-body-bytes"]),
      recordsPath: values["records-path"],
      eventsPath: values["events-path"],
    },
  };
}

async function main(): Promise<void> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(process.argv.slice(2));
  } catch (error) {
    console.error(usageError(TOOL, error));
    process.exit(2);
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const receiver = await startReceiver(args.options);
  console.log(`[receiver] listening: records ${receiver.recordsUrl}, events ${receiver.eventsUrl}`);
  console.log(`[receiver] writing to ${args.out ?? "memory only (no --out)"}`);

  const shutdown = async (): Promise<void> => {
    await receiver.stop();
    console.log(`[receiver] stopped: ${JSON.stringify(receiver.summary())}`);
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown());
  process.once("SIGTERM", () => void shutdown());
}

main().catch((err: unknown) => {
  console.error(`${TOOL}: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
