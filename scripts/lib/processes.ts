/**
 * The processes a command started, read from /proc (Linux): to check that none outlives it
 * (tests) and how much memory each used (benchmarks). A process is identified by pid and start
 * time, so a reused pid is not mistaken for it.
 */
import * as fs from "node:fs";

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** Start time in clock ticks since boot (field 22 of /proc/<pid>/stat). */
  start: string;
  state: string;
  command: string;
}

export function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name is in parentheses and may itself hold spaces or parentheses.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const command = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
    return { pid, state: fields[0], ppid: Number(fields[1]), start: fields[19], command };
  } catch {
    return undefined;
  }
}

/** `root` and every process below it, now. */
export function processTree(root: number): ProcessInfo[] {
  const all = fs
    .readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProcess(Number(name)))
    .filter((p): p is ProcessInfo => p !== undefined);
  const tree: ProcessInfo[] = [];
  const wanted = new Set([root]);
  // Parents have lower pids only until pids wrap: repeat until no process is added.
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (!tree.includes(p) && (wanted.has(p.pid) || wanted.has(p.ppid))) {
        tree.push(p);
        wanted.add(p.pid);
        grew = true;
      }
    }
  }
  return tree;
}

/** Those of `processes` still running (zombies, already dead, do not count). */
export function stillRunning(processes: ProcessInfo[]): ProcessInfo[] {
  return processes.filter((p) => {
    const now = readProcess(p.pid);
    return now !== undefined && now.start === p.start && now.state !== "Z";
  });
}

/** Peak resident memory of a running process so far, in MB (VmHWM), or 0 once it is gone. */
export function peakRssMb(pid: number): number {
  try {
    const kb = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Number(kb) / 1024 : 0;
  } catch {
    return 0;
  }
}
