/** Streams a CSV file as row objects, never holding the whole file. */
import * as fs from "node:fs";
import { parse } from "csv-parse";

export interface CsvOptions {
  hasHeaders: boolean;
  skipLines: number;
}

export async function* readCsvRows(file: string, options: CsvOptions, signal?: AbortSignal): AsyncGenerator<Record<string, string>> {
  const parser = fs.createReadStream(file).pipe(
    parse({
      // Without a header row, columns are named column_1, column_2... like the model's fields.
      columns: options.hasHeaders ? true : (header: string[]) => header.map((_, i) => `column_${i + 1}`),
      from_line: options.skipLines + 1,
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }),
  );
  try {
    for await (const row of parser) {
      if (signal?.aborted) return;
      yield row as Record<string, string>;
    }
  } finally {
    parser.destroy();
  }
}
