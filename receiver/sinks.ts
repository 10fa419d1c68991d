/**
 * Where new records and events go: `<outDir>/records.jsonl` and `<outDir>/events.jsonl` when an
 * out folder is given, then the caller's hooks. On start, what the files already hold is fed
 * back into the dedupe windows, so a restart does not take a retry or a polled event for new.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { DedupeWindow } from "./dedupe";
import { normalizeEvent, type StoredEvent } from "./eventShape";
import { JsonlFile } from "./jsonl";
import { isObject } from "./outcome";
import type { EventHandler, EventSource, RecordsBatch, RecordsHandler } from "./types";

/** One line of records.jsonl. */
export interface RecordLine {
  received_at: string;
  sync_id: string;
  sync_name: string;
  /** The delivery's key (SHA-256 of its timestamp and decoded body): lines of one delivery share it. */
  delivery: string;
  hash: string;
  fields: Record<string, unknown>;
}

/** One line of events.jsonl: the event in its stored form, how it came, and when. */
export type EventLine = StoredEvent & { source: EventSource; received_at: string };

export interface Sinks {
  deliverRecords(batch: RecordsBatch): Promise<void>;
  deliverEvent(event: StoredEvent, source: EventSource, receivedAt: Date): Promise<void>;
  flush(): Promise<void>;
}

const receivedAt = (line: Record<string, unknown>): number | undefined => Date.parse(String(line.received_at)) || undefined;

/** The key of a line written by this version (`key`) or an earlier one (the event as delivered). */
function eventLineKey(line: Record<string, unknown>): string | undefined {
  if (typeof line.key === "string") return line.key;
  const { received_at: _ignored, ...event } = line;
  const normalized = normalizeEvent(event);
  return normalized.ok ? normalized.event.key : undefined;
}

export async function openSinks(opts: {
  outDir?: string;
  onRecords?: RecordsHandler;
  onEvent?: EventHandler;
  deliveriesSeen: DedupeWindow;
  eventsSeen: DedupeWindow;
}): Promise<Sinks> {
  let recordsFile: JsonlFile | undefined;
  let eventsFile: JsonlFile | undefined;
  if (opts.outDir) {
    fs.mkdirSync(opts.outDir, { recursive: true });
    recordsFile = new JsonlFile(path.join(opts.outDir, "records.jsonl"));
    eventsFile = new JsonlFile(path.join(opts.outDir, "events.jsonl"));
    await recordsFile.readEach((line) => {
      if (isObject(line) && typeof line.delivery === "string") opts.deliveriesSeen.add(line.delivery, receivedAt(line));
    });
    await eventsFile.readEach((line) => {
      const key = isObject(line) ? eventLineKey(line) : undefined;
      if (key && isObject(line)) opts.eventsSeen.add(key, receivedAt(line));
    });
  }

  return {
    async deliverRecords(batch) {
      const at = batch.receivedAt.toISOString();
      await recordsFile?.append(
        batch.records.map(
          (record): RecordLine => ({
            received_at: at,
            sync_id: batch.syncId,
            sync_name: batch.syncName,
            delivery: batch.delivery,
            hash: record.hash,
            fields: record.fields,
          }),
        ),
      );
      await opts.onRecords?.(batch);
    },
    async deliverEvent(event, source, at) {
      await eventsFile?.append([{ ...event, source, received_at: at.toISOString() } satisfies EventLine]);
      await opts.onEvent?.(event, at, source);
    },
    async flush() {
      await Promise.all([recordsFile?.flush(), eventsFile?.flush()]);
    },
  };
}
