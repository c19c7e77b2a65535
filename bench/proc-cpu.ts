/** CPU time and resident memory of other processes and their descendants from /proc (Linux), for per-instance costs. */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;
let pageBytes: number | undefined;

/** USER_HZ: the unit of utime/stime in /proc/<pid>/stat (almost always 100). */
export function clockTicksPerSecond(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  return ticksPerSecond;
}

function pageSize(): number {
  pageBytes ??= Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' }).trim());
  return pageBytes;
}

interface ProcStat {
  pid: number;
  ppid: number;
  utime: number;
  stime: number;
  cutime: number;
  cstime: number;
  /** Resident set size in pages. */
  rss: number;
}

function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may contain spaces and parentheses: parse from the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so field n is fields[n - 3].
  return { pid, ppid: Number(fields[1]), utime: Number(fields[11]), stime: Number(fields[12]), cutime: Number(fields[13]), cstime: Number(fields[14]), rss: Number(fields[21]) };
}

function ticksToMs(ticks: number): number {
  return (ticks * 1000) / clockTicksPerSecond();
}

/** The process and all its descendants (a cluster primary's workers, PostgreSQL's backends), one /proc scan. */
function processTree(pid: number): ProcStat[] {
  const root = readStat(pid);
  if (!root) throw new Error(`process ${pid} is gone; cannot read its CPU time`);
  const children = new Map<number, ProcStat[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (!stat) continue;
    let list = children.get(stat.ppid);
    if (!list) children.set(stat.ppid, (list = []));
    list.push(stat);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i].pid) ?? []));
  return tree;
}

/** User + system CPU of one process (all its threads), in ms. */
export function processCpuMs(pid: number): number {
  const stat = readStat(pid);
  if (!stat) throw new Error(`process ${pid} is gone; cannot read its CPU time`);
  return ticksToMs(stat.utime + stat.stime);
}

/**
 * CPU of a process and all its descendants, in ms. Descendants that exited are included through their parent's
 * cutime/cstime once it reaped them, so a reading never goes backwards.
 */
export function processTreeCpuMs(pid: number): number {
  return ticksToMs(processTree(pid).reduce((sum, s) => sum + s.utime + s.stime + s.cutime + s.cstime, 0));
}

/** Resident memory of a process and all its descendants, in bytes (shared pages count once per process). */
export function processTreeRssBytes(pid: number): number {
  return processTree(pid).reduce((sum, s) => sum + s.rss, 0) * pageSize();
}

/** Samples the tree's resident memory every `intervalMs` until stopped; `stop()` gives the peak in bytes. */
export function startRssSampler(pid: number, intervalMs = 250): { stop(): number } {
  let peak = processTreeRssBytes(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, processTreeRssBytes(pid));
    } catch {
      // the process ended; the caller notices on its next request
    }
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, processTreeRssBytes(pid));
      return peak;
    },
  };
}

export interface CpuReading {
  /** The server process's and its descendants' CPU since the meter started, in ms. */
  serverMs: number;
  /** PostgreSQL's (postmaster and backends), or null when the scenario runs without it. */
  databaseMs: number | null;
  /** This bench process (the clients). */
  self: NodeJS.CpuUsage;
}

/** Starts measuring the CPU of the server (with any cluster workers), PostgreSQL and this process; `read()` gives the usage since then. */
export function startCpuMeter(pids: { serverPid: number; databasePid?: number }): { read(): CpuReading } {
  const serverBefore = processTreeCpuMs(pids.serverPid);
  const databaseBefore = pids.databasePid === undefined ? 0 : processTreeCpuMs(pids.databasePid);
  const selfBefore = process.cpuUsage();
  return {
    read: () => ({
      serverMs: processTreeCpuMs(pids.serverPid) - serverBefore,
      databaseMs: pids.databasePid === undefined ? null : processTreeCpuMs(pids.databasePid) - databaseBefore,
      self: process.cpuUsage(selfBefore),
    }),
  };
}
