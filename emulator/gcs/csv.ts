/**
 * Reading a CSV object, with one parser and one set of rules for both readers: the model's
 * columns (the head of the file) and a run's rows (the whole file, streamed). Because both go
 * through {@link parserOptions}, a header cell reads the same everywhere: trimmed of the spaces
 * around it, `column_<n>` when the file has no header row.
 */
import * as fs from "node:fs";
import { CsvError, type Options, parse } from "csv-parse";
import { fieldNames } from "../../contract";

export interface CsvOptions {
  hasHeaders: boolean;
  skipLines: number;
}

export interface CsvHead {
  /** Column names: the header row (trimmed), or `column_1`, `column_2`, ... when the file has none. */
  columns: string[];
  /** The first data row, when there is one (used as field examples). */
  firstRow?: string[];
  /** Why the head cannot be read as CSV (unclosed quote, ...); columns are then empty. */
  problem?: string;
}

/** Header cells as the model and the rows both name them. */
export function columnNames(header: readonly string[], hasHeaders: boolean): string[] {
  return hasHeaders ? header.map(fieldNames.csvColumnName) : header.map((_, i) => `column_${i + 1}`);
}

function parserOptions(options: CsvOptions): Options {
  return {
    from_line: options.skipLines + 1,
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
  };
}

/** Streams the rows as objects keyed by {@link columnNames}, never holding the whole file. */
export async function* readCsvRows(file: string, options: CsvOptions, signal?: AbortSignal): AsyncGenerator<Record<string, string>> {
  const parser = fs
    .createReadStream(file)
    .pipe(parse({ ...parserOptions(options), columns: (header: string[]) => columnNames(header, options.hasHeaders) }));
  try {
    for await (const row of parser) {
      if (signal?.aborted) return;
      yield row as Record<string, string>;
    }
  } finally {
    parser.destroy();
  }
}

/** Rows read to check that a file parses, beyond the header and first row. */
const SAMPLE_ROWS = 1000;

/**
 * The header and first data row, read from the start of the file only (a model needs the
 * columns, not the data). The first {@link SAMPLE_ROWS} rows are parsed too, so a file that is
 * not CSV fails when the model is created rather than at its first sync.
 */
export async function readCsvHead(file: string, options: CsvOptions): Promise<CsvHead> {
  const records: string[][] = [];
  let read = 0;
  const parser = fs.createReadStream(file).pipe(parse(parserOptions(options)));
  try {
    for await (const record of parser) {
      if (records.length < 2) records.push(record as string[]);
      if (++read >= SAMPLE_ROWS) break;
    }
  } catch (error) {
    if (error instanceof CsvError) return { columns: [], problem: `${error.message.replace(/:.*$/s, "")} (${error.code})` };
    throw error;
  } finally {
    parser.destroy();
  }
  const first = records[0];
  if (options.hasHeaders) {
    if (!first || first.every((cell) => cell.trim() === "")) return { columns: [] };
    return { columns: columnNames(first, true), firstRow: records[1] };
  }
  return { columns: first ? columnNames(first, false) : [], firstRow: first };
}
