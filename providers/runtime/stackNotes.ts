/**
 * Notes the providers keep beside a file backend's state, one folder per stack
 * (`<backend>/.polytomic/stacks/<project>/<stack>/`), for what must outlive a crash before the
 * state can hold it.
 *
 * Why: with the engine's checkpoints skipped (PULUMI_SKIP_CHECKPOINTS, see
 * providers/backend.ts) the state is written once, when a run ends; a run killed midway
 * leaves the state as it was before. Two facts are needed by the run that follows: the salt its
 * Idempotency-Keys were made with (the `nonce` note, salt.ts), and which organization webhook it
 * made (an organization has one; without the note the retry would take it for another stack's).
 *
 * Each note is written and synced to disk, with its folder entry, before the provider answers.
 * Nothing secret is kept here. Without a file backend (PULUMI_BACKEND_URL=file://...) there is
 * no folder and every function says so by returning undefined.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fileBackendDir } from "../backend";

type Env = NodeJS.ProcessEnv;

/** The stack's folder: `<project>/<stack>` made safe as a relative path inside `.polytomic/stacks`. */
export function stackNotesDir(stack: unknown, env: Env = process.env): string | undefined {
  const backendDir = fileBackendDir(env.PULUMI_BACKEND_URL);
  if (typeof stack !== "string" || !stack || !backendDir) return undefined;
  const parts = stack.split("/").map((part) => part.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "_"));
  return path.join(backendDir, ".polytomic", "stacks", ...parts);
}

export function readNote(stack: unknown, name: string, env: Env = process.env): string | undefined {
  const dir = stackNotesDir(stack, env);
  if (!dir) return undefined;
  try {
    return fs.readFileSync(path.join(dir, name), "utf8").trim() || undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

/** Writes a note durably (temporary file, fsync, rename, fsync of the folder). */
export function writeNote(stack: unknown, name: string, content: string, env: Env = process.env): boolean {
  const dir = stackNotesDir(stack, env);
  if (!dir) return false;
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, name);
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(temporary, "w", 0o600);
  try {
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temporary, file);
  const dirFd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(dirFd);
  } finally {
    fs.closeSync(dirFd);
  }
  return true;
}

/** Forgets every note of the stack (its state is destroyed). */
export function forgetNotes(stack: unknown, env: Env = process.env): void {
  const dir = stackNotesDir(stack, env);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
