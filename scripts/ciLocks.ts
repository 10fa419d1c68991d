/**
 * `node dist/scripts/ciLocks.js --stack <name> --command <up|destroy|refresh>`: the workflows' step
 * before their Pulumi command. Lifts the lock a dead CI job of this repository left on the stack,
 * leaves every other lock (with one line naming it), says which and why in the job log, notes this
 * job where the next one will look (lib/ciRunLocks.ts has the argument), and writes
 * `refresh=true` to $GITHUB_OUTPUT when the dead job ran `up` or `destroy`: its objects may differ
 * from what its state records, so the workflow refreshes before its own command; and
 * `dead_command=<its command>` (empty when nothing was lifted).
 * `--project` defaults to the `name` of ./Pulumi.yaml; `--group` to `pulumi-stack-<stack>`, the
 * concurrency group the workflows hold.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { runAsProcess } from "../cli/console";
import { backendUrl } from "../providers/backend";
import { stackNotes } from "../providers/runtime/stackNotes";
import { CI_RUN_NOTE, judgeLocks, lastCiRun, needsRefresh, thisCiRun } from "./lib/ciRunLocks";
import { describeHeldLocks, heldLocks } from "./lib/deadRunLocks";

const COMMANDS = ["up", "destroy", "refresh"];

function projectName(dir: string): string | undefined {
  try {
    return fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8").match(/^name:\s*["']?([^"'\s#]+)/m)?.[1];
  } catch {
    return undefined;
  }
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { stack: { type: "string" }, command: { type: "string" }, project: { type: "string" }, group: { type: "string" } },
  });
  const project = values.project ?? projectName(process.cwd());
  if (!values.stack || !values.command || !COMMANDS.includes(values.command) || !project) {
    console.error(`usage: ciLocks --stack <name> --command <${COMMANDS.join("|")}> [--project <name>, default: ./Pulumi.yaml's] [--group <concurrency group>]`);
    return 2;
  }
  const stack = values.stack;
  const group = values.group ?? `pulumi-stack-${stack}`;
  const url = backendUrl();
  const notes = stackNotes(`${project}/${stack}`);
  if (!notes) {
    console.log(`[locks] the backend (${url ?? "none"}) keeps no notes: no CI lock can be told from another, none is lifted`);
    return 0;
  }
  const previous = await lastCiRun(notes);
  const verdicts = judgeLocks(await heldLocks(url, stack), previous, group);
  for (const verdict of verdicts) {
    if (verdict.lift) await verdict.lock.remove();
    console.log(`[locks] ${verdict.lock.locked}: lock ${verdict.why}`);
  }
  if (verdicts.length === 0) console.log(`[locks] ${project}/${stack} is not locked`);
  const left = verdicts.filter((v) => !v.lift).length;
  if (left > 0) console.log(`::warning::${await describeHeldLocks(url, stack)}`);
  const refresh = needsRefresh(previous, verdicts);
  if (refresh) console.log(`[locks] the dead job ran pulumi ${previous?.command}: this job refreshes first, since its objects may differ from its state`);
  // Before this job's first locking command: a lock it leaves is then known as a CI job's.
  await notes.write(CI_RUN_NOTE, JSON.stringify(thisCiRun(values.command)));
  if (process.env.GITHUB_OUTPUT) {
    const dead = verdicts.some((v) => v.lift) ? (previous?.command ?? "") : "";
    fs.appendFileSync(process.env.GITHUB_OUTPUT, `refresh=${refresh}\nlifted=${verdicts.length - left}\ndead_command=${dead}\n`);
  }
  return 0;
}

if (require.main === module) runAsProcess("ciLocks", main);
