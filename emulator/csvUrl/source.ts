/**
 * A `csv` connection (type schema: TF `provider/gen/connections/connectiontypes/csv.json`,
 * `required: ["url"]`): a CSV file served over HTTP. Its one schema is `data`, named `data`, and
 * its fields are the file's header cells (Polytomic's acceptance tests read a csv connection's
 * schema `data` and find the file's columns among its fields: TF `data_source_connection_schema_test.go`).
 *
 * Offline runs: `urlMap` rewrites a URL prefix before fetching (`https://gist.githubusercontent.com`
 * to a local server holding a copy), so tests that name a public URL can run without the internet.
 * Without a map entry the URL is fetched as it is.
 */
import { parse } from "csv-parse/sync";
import { columnNames } from "../gcs/csv";

/** URL prefix -> replacement, first match wins. */
export type UrlMap = readonly (readonly [from: string, to: string])[];

/** The schema id and name of a csv connection's file. */
export const CSV_SCHEMA_ID = "data";

/** The URL actually fetched for `url`. */
export function mappedUrl(url: string, map: UrlMap = []): string {
  const entry = map.find(([from]) => url.startsWith(from));
  return entry ? entry[1] + url.slice(entry[0].length) : url;
}

/** Bytes read for the header: the file's first line is all a schema needs. */
const HEAD_BYTES = 64 * 1024;

/** The header cells of the CSV at `url`; throws an Error saying why when it cannot be read. */
export async function csvColumns(url: string, map: UrlMap = []): Promise<string[]> {
  const target = mappedUrl(url, map);
  const response = await fetch(target, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok || !response.body) throw new Error(`GET ${url} answered HTTP ${response.status}`);
  const reader = response.body.getReader();
  let text = "";
  try {
    while (!text.includes("\n") && text.length < HEAD_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString("utf8");
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const firstLine = text.split(/\r?\n/)[0] ?? "";
  const [header] = parse(firstLine, { bom: true, relax_column_count: true }) as string[][];
  if (!header || header.every((cell) => cell.trim() === "")) throw new Error(`${url} has no header row`);
  return columnNames(header, true);
}
