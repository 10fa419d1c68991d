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
import * as zlib from "node:zlib";
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
  /** Deletes one note (nothing when there is none). */
  remove(name: string): Promise<void>;
  /** The note `name` of every other stack kept in the same backend, by `<project>/<stack>` (as their keys spell them). */
  ofOtherStacks(name: string): Promise<Map<string, string>>;
  /**
   * The stack's state as the engine last wrote it (its checkpoint file or row, `.pulumi/stacks/...`),
   * as text; undefined when there is none or it cannot be read here (a compressed `.json.zst`).
   */
  lastWrittenState(): Promise<string | undefined>;
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
  if (dir) return fileNotes(dir, stack);
  if (url && /^postgres(ql)?:\/\//.test(url)) return lazily(url, stack);
  return undefined;
}

/**
 * The keys of a stack's checkpoint in a DIY backend, relative to its root, most likely first:
 * the project layout (`.pulumi/stacks/<project>/<stack>.json`, or `.json.gz` with
 * PULUMI_DIY_BACKEND_GZIP), then the legacy one (`.pulumi/stacks/<stack>.json`). Pulumi's
 * pkg/backend/diy/store.go names them.
 */
export function stateKeys(stack: string): string[] {
  const [project, name] = stack.split("/");
  const bases = name ? [`.pulumi/stacks/${project}/${name}`, `.pulumi/stacks/${name}`] : [`.pulumi/stacks/${project}`];
  return bases.flatMap((base) => [`${base}.json`, `${base}.json.gz`]);
}

/** A checkpoint's bytes as text: gunzipped when gzipped. */
export function checkpointText(bytes: Buffer): string {
  return bytes[0] === 0x1f && bytes[1] === 0x8b ? zlib.gunzipSync(bytes).toString("utf8") : bytes.toString("utf8");
}

/** PostgreSQL notes, the driver loaded at first use: file users never load it. */
function lazily(url: string, stack: string): StackNotes {
  let loaded: Promise<StackNotes> | undefined;
  const notes = () => (loaded ??= import("./postgresNotes").then((m) => m.postgresNotes(url, stack)));
  return {
    read: async (name) => (await notes()).read(name),
    write: async (name, content) => (await notes()).write(name, content),
    list: async (prefix) => (await notes()).list(prefix),
    remove: async (name) => (await notes()).remove(name),
    ofOtherStacks: async (name) => (await notes()).ofOtherStacks(name),
    lastWrittenState: async () => (await notes()).lastWrittenState(),
    forget: async () => (await notes()).forget(),
  };
}

function fileNotes(backendDir: string, stack: string): StackNotes {
  const own = stackKey(stack);
  const folder = path.join(backendDir, ...own.split("/"));
  const stacksRoot = path.join(backendDir, ".polytomic", "stacks");
  const file = (name: string) => path.join(folder, ...name.split("/"));
  const read = (name: string) => readText(file(name));
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
    async remove(name) {
      await fs.promises.rm(file(name), { force: true });
    },
    async ofOtherStacks(name) {
      const found = new Map<string, string>();
      for (const project of await entries(stacksRoot)) {
        for (const other of await entries(path.join(stacksRoot, project))) {
          if (`.polytomic/stacks/${project}/${other}` === own) continue;
          const content = await readText(path.join(stacksRoot, project, other, ...name.split("/")));
          if (content !== undefined) found.set(`${project}/${other}`, content);
        }
      }
      return found;
    },
    async lastWrittenState() {
      for (const key of stateKeys(stack)) {
        try {
          return checkpointText(await fs.promises.readFile(path.join(backendDir, ...key.split("/"))));
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
        }
      }
      return undefined;
    },
    async forget() {
      await fs.promises.rm(folder, { recursive: true, force: true });
    },
  };
}

async function entries(dir: string): Promise<string[]> {
  try {
    return await fs.promises.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return (await fs.promises.readFile(file, "utf8")).trim() || undefined;
  } catch (err) {
    // Absent, or a folder of notes (`creates/`) rather than a note.
    if (["ENOENT", "ENOTDIR", "EISDIR"].includes((err as NodeJS.ErrnoException).code ?? "")) return undefined;
    throw err;
  }
}
