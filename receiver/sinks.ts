/**
 * Where new records and events go: `<outDir>/records.jsonl` and `<outDir>/events.jsonl` when an
 * out folder is given, then the caller's hooks. On start, what the files already hold is fed
 * back into the dedupe windows, so a restart does not take a replay for new data.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { events } from "../contract";
import type { DedupeWindow } from "./dedupe";
import { JsonlFile } from "./jsonl";
import { isObject } from "./outcome";
import type { EventHandler, RecordsBatch, RecordsHandler } from "./types";

/** One line of records.jsonl. */
export interface RecordLine {
  received_at: string;
  sync_id: string;
  sync_name: string;
  hash: string;
  fields: Record<string, unknown>;
}

/** One line of events.jsonl: the event as delivered, plus when it arrived. */
export type EventLine = events.Event & { received_at: string };

export interface Sinks {
  deliverRecords(batch: RecordsBatch): Promise<void>;
  deliverEvent(event: events.Event, receivedAt: Date): Promise<void>;
  flush(): Promise<void>;
}

export async function openSinks(opts: {
  outDir?: string;
  onRecords?: RecordsHandler;
  onEvent?: EventHandler;
  recordsSeen: DedupeWindow;
  eventsSeen: DedupeWindow;
}): Promise<Sinks> {
  let recordsFile: JsonlFile | undefined;
  let eventsFile: JsonlFile | undefined;
  if (opts.outDir) {
    fs.mkdirSync(opts.outDir, { recursive: true });
    recordsFile = new JsonlFile(path.join(opts.outDir, "records.jsonl"));
    eventsFile = new JsonlFile(path.join(opts.outDir, "events.jsonl"));
    await recordsFile.readEach((line) => {
      if (isObject(line) && typeof line.sync_id === "string" && typeof line.hash === "string") {
        opts.recordsSeen.add(`${line.sync_id}\n${line.hash}`, Date.parse(String(line.received_at)) || undefined);
      }
    });
    await eventsFile.readEach((line) => {
      if (isObject(line) && typeof line.id === "string") {
        opts.eventsSeen.add(line.id, Date.parse(String(line.received_at)) || undefined);
      }
    });
  }

  return {
    async deliverRecords(batch) {
      const receivedAt = batch.receivedAt.toISOString();
      await recordsFile?.append(
        batch.records.map(
          (record): RecordLine => ({
            received_at: receivedAt,
            sync_id: batch.syncId,
            sync_name: batch.syncName,
            hash: record.hash,
            fields: record.fields,
          }),
        ),
      );
      await opts.onRecords?.(batch);
    },
    async deliverEvent(event, receivedAt) {
      await eventsFile?.append([{ ...event, received_at: receivedAt.toISOString() } satisfies EventLine]);
      await opts.onEvent?.(event, receivedAt);
    },
    async flush() {
      await Promise.all([recordsFile?.flush(), eventsFile?.flush()]);
    },
  };
}
