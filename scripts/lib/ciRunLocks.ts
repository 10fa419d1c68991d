/**
 * Locks left on a stack by a CI job of this repository that died (cancelled, timed out, its runner
 * lost, kill -9), lifted by the next job of the stack; every other lock stays. The argument, in
 * full, is in providers/README.md ("Locks left by dead CI runs"); in short:
 *
 * 1. Every workflow job that runs a locking command (`up`, `destroy`, `refresh`) on stack S holds
 *    the concurrency group `pulumi-stack-S` with `cancel-in-progress: false`: while it runs, no
 *    other such job of this repository runs (GitHub queues them).
 * 2. Each such job, before its first locking command, notes where it runs beside the stack's state
 *    (the stack note `ci-run`: the runner's host and user, as Pulumi will write them in its lock,
 *    the run, the command). Only these jobs write that note; they write it in the order the group
 *    runs them.
 * 3. So when a job starts, a lock on S whose host and user are those of the `ci-run` note was made
 *    by the previous job of the group (it noted that host, and it is the only CI job of the group
 *    since), and that job is over (the group runs one at a time): its run is dead. A lock by anyone
 *    else (a person's laptop: another host) stays, and the command fails with one line naming it.
 * 4. A runner is a fresh machine per job on GitHub-hosted runners; on a self-hosted runner with a
 *    fixed host name a lock from this very host is lifted only when its pid no longer runs.
 */
import * as os from "node:os";
import type { StackNotes } from "../../providers/runtime/stackNotes";
import { type HeldLock, type LockContent, lockHolder, running } from "./deadRunLocks";

/** The stack note each CI job writes before its first locking command. */
export const CI_RUN_NOTE = "ci-run";

/** Where a CI job runs, and what it runs: as written in the `ci-run` note. */
export interface CiRun {
  /** The runner's host name and user, as Pulumi writes them in its lock (os.Hostname(), user.Current()). */
  hostname: string;
  username: string;
  /** The Pulumi command the job runs (`up`, `destroy`, `refresh`). */
  command: string;
  /** `<workflow> run <id> attempt <n>, job <job>`: for the log. */
  run: string;
  /** When the job wrote the note (ISO 8601). */
  at: string;
}

/** What to do with one lock, and why: the job log says it. */
export interface LockVerdict {
  lock: HeldLock;
  content: LockContent;
  lift: boolean;
  why: string;
}

/** This job, as its note will say it (GITHUB_* variables name the run). */
export function thisCiRun(command: string, env: NodeJS.ProcessEnv = process.env): CiRun {
  const run = `${env.GITHUB_WORKFLOW ?? "?"} run ${env.GITHUB_RUN_ID ?? "?"} attempt ${env.GITHUB_RUN_ATTEMPT ?? "?"}, job ${env.GITHUB_JOB ?? "?"}`;
  return { hostname: os.hostname(), username: os.userInfo().username, command, run, at: new Date().toISOString() };
}

/** Reads the `ci-run` note; undefined when there is none or it is not one. */
export async function lastCiRun(notes: StackNotes): Promise<CiRun | undefined> {
  const text = await notes.read(CI_RUN_NOTE);
  if (!text) return undefined;
  try {
    const parsed = JSON.parse(text) as Partial<CiRun>;
    return typeof parsed.hostname === "string" && typeof parsed.username === "string" ? (parsed as CiRun) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Judges each lock of the stack against the last CI job's note (see the argument above). `group`
 * names the concurrency group this job holds, for the log.
 */
export function judgeLocks(locks: readonly HeldLock[], previous: CiRun | undefined, group: string, here = os.hostname()): LockVerdict[] {
  return locks.map((lock) => {
    let content: LockContent = {};
    try {
      content = JSON.parse(lock.content) as LockContent;
    } catch {
      return { lock, content, lift: false, why: "unreadable (being written, or not Pulumi's): left" };
    }
    const holder = lockHolder(content);
    if (!previous || content.hostname !== previous.hostname || content.username !== previous.username) {
      return { lock, content, lift: false, why: `held by ${holder}, not by a CI job of this repository: left` };
    }
    if (content.hostname === here && typeof content.pid === "number" && running(content.pid)) {
      return { lock, content, lift: false, why: `held by ${holder}, whose process still runs on this host: left` };
    }
    return {
      lock,
      content,
      lift: true,
      why:
        `held by ${holder}, the runner of the previous CI job of this stack (${previous.run}, pulumi ${previous.command}); ` +
        `that job is over, since this job holds the concurrency group ${group} and no other job of it runs: lifted`,
    };
  });
}

/** Whether a dead job's command may have made or deleted objects its state never recorded. */
export function needsRefresh(previous: CiRun | undefined, verdicts: readonly LockVerdict[]): boolean {
  return verdicts.some((v) => v.lift) && ["up", "update", "destroy", "down"].includes(previous?.command ?? "");
}
