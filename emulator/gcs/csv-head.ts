/**
 * The head of a CSV object: its column names and first data row, read from the start of the
 * file only (a model needs the columns, not the data). RFC 4180 quoting, with quoted fields
 * that may span lines.
 */
import * as fs from "node:fs";

export interface CsvHead {
  /** Column names: the header row, or `column_1`, `column_2`, ... when the file has none. */
  columns: string[];
  /** The first data row, when there is one (used as field examples). */
  firstRow?: string[];
}

/** Reading stops here even if no complete row was found (a header line longer than this is not a CSV we serve). */
const MAX_HEAD_BYTES = 1024 * 1024;

export async function readCsvHead(file: string, options: { hasHeaders: boolean; skipLines: number }): Promise<CsvHead> {
  const wanted = (options.hasHeaders ? 1 : 0) + 1;
  let text = "";
  let ended = true;
  const stream = fs.createReadStream(file, { encoding: "utf8", highWaterMark: 64 * 1024 });
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      text += chunk;
      const body = skipLines(text, options.skipLines);
      if (body !== undefined && parseRecords(body, wanted, false).length >= wanted) {
        ended = false;
        break;
      }
      if (text.length > MAX_HEAD_BYTES) {
        ended = false;
        break;
      }
    }
  } finally {
    stream.destroy();
  }
  const records = parseRecords(skipLines(text, options.skipLines) ?? "", wanted, ended);
  if (options.hasHeaders) {
    const header = records[0];
    if (!header || header.every((c) => c.trim() === "")) return { columns: [] };
    return { columns: header.map((c) => c.trim()), firstRow: records[1] };
  }
  const first = records[0];
  return { columns: first ? first.map((_, i) => `column_${i + 1}`) : [], firstRow: first };
}

/** The text after the first `count` physical lines, or undefined if the text has fewer. */
function skipLines(text: string, count: number): string | undefined {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let i = 0; i < count; i++) {
    const newline = text.indexOf("\n", start);
    if (newline < 0) return undefined;
    start = newline + 1;
  }
  return text.slice(start);
}

/**
 * Parses up to `max` records. A record counts only when its line ended, or when `final`
 * says the text is the whole file.
 */
export function parseRecords(text: string, max: number, final: boolean): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  let i = 0;
  while (i < text.length && records.length < max) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += ch;
      }
      i += 1;
      continue;
    }
    if (ch === '"' && field === "") {
      quoted = true;
    } else if (ch === ",") {
      record.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      if (ch === "\r" && text[i + 1] === "\n") i += 1;
    } else {
      field += ch;
    }
    i += 1;
  }
  if (final && records.length < max && (field !== "" || record.length > 0)) {
    record.push(field);
    records.push(record);
  }
  return records;
}
