/**
 * Notes the providers keep where the stack's state is kept, for what must outlive a crash before
 * the state can hold it: the nonce of the stack's idempotency salt (salt.ts), the org webhook it
 * made, and the journal of its creates (createJournal.ts).
 *
 * Why: with the engine's checkpoints skipped (PULUMI_SKIP_CHECKPOINTS, providers/backend.ts) the
 * state is written once, when a run ends; a run killed midway leaves the state as it was before,
 * and the run that follows must still find what the killed one made.
 *
 * Where, by the backend's URL (backend.ts), always under the key
 * `.polytomic/stacks/<project>/<stack>/<name>`, beside the backend's own `.pulumi/` keys:
 * - `file://<dir>`: files in `<dir>`, each written to a temporary file, synced, renamed, and its
 *   folder synced, before the provider answers;
 * - `postgres://...`: rows of the backend's own table (`pulumi_state`, or the URL's `?table=`),
 *   one committed upsert each: the same database, the same backups, the same access rights;
 * - any other backend (s3://, gs://, azblob://): none here. The design is the same (objects under
 *   the same keys in the backend's bucket) and needs that cloud's SDK, which this package does not
 *   ship; such stacks keep the engine's checkpoints (checkpoints are refused to be skipped).
 *
 * Nothing secret is kept in a note.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { backendUrl, fileBackendDir } from "../backend";

type Env = NodeJS.ProcessEnv;

/** Why a run that skips checkpoints cannot go on without notes, and the fix. */
export const NO_NOTES_WHILE_SKIPPING =
  "PULUMI_SKIP_CHECKPOINTS is set, so the state is written only when this run ends, and what this run makes could not be " +
  "noted anywhere a crash would leave it: that needs a file:// or postgres:// backend (PULUMI_BACKEND_URL or `pulumi login`). " +
  "With this backend keep the engine's checkpoints: unset PULUMI_SKIP_CHECKPOINTS (with this project's scripts: " +
  "POLYTOMIC_CHECKPOINTS=each-step).";

/** The notes of one stack. Every method resolves once what it did is durable. */
export interface StackNotes {
  read(name: string): Promise<string | undefined>;
  write(name: string, content: string): Promise<void>;
  /** Every note whose name starts with `prefix`, by name. */
  list(prefix: string): Promise<Map<string, string>>;
  /** Deletes every note of the stack (its state is destroyed). */
  forget(): Promise<void>;
}

/** `<project>/<stack>` made safe as a relative key: each part keeps letters, digits, `.`, `_`, `-`. */
export function stackKey(stack: string): string {
  const parts = stack.split("/").map((part) => part.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "_"));
  return [".polytomic", "stacks", ...parts].join("/");
}

/** The notes of `stack` where the engine keeps its state; undefined where none can be kept. */
export function stackNotes(stack: unknown, env: Env = process.env): StackNotes | undefined {
  if (typeof stack !== "string" || !stack) return undefined;
  const url = backendUrl(env);
  const dir = fileBackendDir(url);
  if (dir) return fileNotes(path.join(dir, ...stackKey(stack).split("/")));
  if (url && /^postgres(ql)?:\/\//.test(url)) return lazily(url, stackKey(stack));
  return undefined;
}

/** PostgreSQL notes, the driver loaded at first use: file users never load it. */
function lazily(url: string, key: string): StackNotes {
  let loaded: Promise<StackNotes> | undefined;
  const notes = () => (loaded ??= import("./postgresNotes").then((m) => m.postgresNotes(url, key)));
  return {
    read: async (name) => (await notes()).read(name),
    write: async (name, content) => (await notes()).write(name, content),
    list: async (prefix) => (await notes()).list(prefix),
    forget: async () => (await notes()).forget(),
  };
}

function fileNotes(folder: string): StackNotes {
  const file = (name: string) => path.join(folder, ...name.split("/"));
  const read = async (name: string) => {
    try {
      return (await fs.promises.readFile(file(name), "utf8")).trim() || undefined;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw err;
    }
  };
  return {
    read,
    async write(name, content) {
      const target = file(name);
      const dir = path.dirname(target);
      await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
      const temporary = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      const handle = await fs.promises.open(temporary, "w", 0o600);
      try {
        await handle.writeFile(content);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.promises.rename(temporary, target);
      const folderHandle = await fs.promises.open(dir, "r");
      try {
        await folderHandle.sync();
      } finally {
        await folderHandle.close();
      }
    },
    async list(prefix) {
      const found = new Map<string, string>();
      const slash = prefix.lastIndexOf("/");
      const sub = slash < 0 ? "" : prefix.slice(0, slash);
      let names: string[];
      try {
        names = await fs.promises.readdir(path.join(folder, ...sub.split("/").filter(Boolean)));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return found;
        throw err;
      }
      for (const entry of names) {
        const name = sub ? `${sub}/${entry}` : entry;
        if (!name.startsWith(prefix) || name.endsWith(".tmp")) continue;
        const content = await read(name);
        if (content !== undefined) found.set(name, content);
      }
      return found;
    },
    async forget() {
      await fs.promises.rm(folder, { recursive: true, force: true });
    },
  };
}
