/** The header row of a local CSV file, read at preview to check the columns a sync names. */
import * as fs from "node:fs";
import { parse } from "csv-parse/sync";
import { fieldNames } from "../contract";

/** Header cells named as the model and the rows name them (fieldNames.csvColumnName). Reads the first 1 MiB at most. */
export function readCsvHeader(file: string): string[] {
  const fd = fs.openSync(file, "r");
  try {
    const buffer = Buffer.alloc(1024 * 1024);
    const length = fs.readSync(fd, buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, length).toString("utf8");
    const newline = text.search(/\r?\n/);
    const records = parse(newline < 0 ? text : text.slice(0, newline), { bom: true, relax_column_count: true }) as string[][];
    return (records[0] ?? []).map(fieldNames.csvColumnName).filter((cell) => cell !== "");
  } finally {
    fs.closeSync(fd);
  }
}
