/**
 * A stack's update history, copied from a file backend into a PostgreSQL one, for a stack moved
 * there with `pulumi stack export` / `stack import` (docs/team-backend.md): those move the state
 * only, and `pulumi stack rm` on the old backend deletes the history with the stack.
 *
 * Both are Pulumi DIY backends: the history of stack `<stack>` of project `<project>` is the blobs
 * under `.pulumi/history/<project>/<stack>/` (`<stack>-<unix nanoseconds>.history.json` per
 * update, and its `.checkpoint.json`; `.gz` / `.zst` when compressed). The file backend keeps each
 * blob as a file; the PostgreSQL backend as a row of its table, the key behind the URL's path, the
 * bytes as `{"data": <base64>}` (postgresNotes.ts `encodeBlob`). Copied as they are, `pulumi stack history`
 * lists them there, ordered by their names as on the file backend. A row that exists already is
 * left alone, so a second copy adds nothing.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Client } from "pg";
import { createBackendTable, encodeBlob, parseBackendUrl } from "../../providers/runtime/postgresNotes";
import { OperatorError } from "./operatorError";

export interface HistoryCopy {
  /** The file backend's folder (the one holding `.pulumi/`). */
  fileBackendDir: string;
  /** The PostgreSQL backend's URL (`postgres://...`). */
  backendUrl: string;
  project: string;
  stack: string;
}

/** Copies the history blobs; returns how many updates the stack's history holds in PostgreSQL now. */
export async function copyStackHistory(copy: HistoryCopy): Promise<{ copied: number; updates: number }> {
  if (!/^postgres(ql)?:\/\//.test(copy.backendUrl)) {
    throw new OperatorError(`PULUMI_BACKEND_URL is not a postgres:// URL: export the one \`npm run postgres\` printed`);
  }
  const relative = path.posix.join(".pulumi", "history", copy.project, copy.stack);
  const folder = path.join(copy.fileBackendDir, ...relative.split("/"));
  if (!fs.existsSync(folder)) {
    throw new OperatorError(`stack ${copy.stack} has no history in ${copy.fileBackendDir}: copy it before \`stack rm\` removes it`);
  }
  const { connectionString, table, prefix } = parseBackendUrl(copy.backendUrl);
  const client = new Client({ connectionString });
  await client.connect();
  try {
    // The table the backend makes on first use; made here when the CLI has not opened it yet.
    await client.query(createBackendTable(table));
    let copied = 0;
    // `.attrs` files are the file backend's own metadata beside each blob (gocloud's fileblob), not blobs.
    for (const name of fs.readdirSync(folder).filter((n) => !n.endsWith(".attrs")).sort()) {
      const data = encodeBlob(fs.readFileSync(path.join(folder, name)));
      const done = await client.query(`INSERT INTO ${table} (key, data) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, [`${prefix}${relative}/${name}`, data]);
      copied += done.rowCount ?? 0;
    }
    const updates = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE starts_with(key, $1) AND key ~ '\\.history\\.json(\\.gz|\\.zst)?$'`, [
      `${prefix}${relative}/`,
    ]);
    return { copied, updates: Number(updates.rows[0].n) };
  } finally {
    await client.end();
  }
}
