/** CPU time of other processes from /proc/<pid>/stat (Linux), in milliseconds, for server and database CPU per instance. */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/** USER_HZ: the unit of utime/stime in /proc/<pid>/stat (almost always 100). */
export function clockTicksPerSecond(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  return ticksPerSecond;
}

interface ProcStat {
  ppid: number;
  utime: number;
  stime: number;
  cutime: number;
  cstime: number;
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
  return { ppid: Number(fields[1]), utime: Number(fields[11]), stime: Number(fields[12]), cutime: Number(fields[13]), cstime: Number(fields[14]) };
}

function ticksToMs(ticks: number): number {
  return (ticks * 1000) / clockTicksPerSecond();
}

/** User + system CPU of one process (all its threads), in ms. */
export function processCpuMs(pid: number): number {
  const stat = readStat(pid);
  if (!stat) throw new Error(`process ${pid} is gone; cannot read its CPU time`);
  return ticksToMs(stat.utime + stat.stime);
}

/**
 * CPU of a process and its direct children (PostgreSQL: postmaster + backends and workers), in ms.
 * Children that exited are included through the parent's cutime/cstime once it reaped them.
 */
export function processTreeCpuMs(pid: number): number {
  const root = readStat(pid);
  if (!root) throw new Error(`process ${pid} is gone; cannot read its CPU time`);
  let ticks = root.utime + root.stime + root.cutime + root.cstime;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat && stat.ppid === pid) ticks += stat.utime + stat.stime + stat.cutime + stat.cstime;
  }
  return ticksToMs(ticks);
}

export interface CpuReading {
  /** The server process's CPU since the meter started, in ms. */
  serverMs: number;
  /** PostgreSQL's (postmaster and backends), or null when the scenario runs without it. */
  databaseMs: number | null;
  /** This bench process (the clients). */
  self: NodeJS.CpuUsage;
}

/** Starts measuring the CPU of the server, PostgreSQL and this process; `read()` gives the usage since then. */
export function startCpuMeter(pids: { serverPid: number; databasePid?: number }): { read(): CpuReading } {
  const serverBefore = processCpuMs(pids.serverPid);
  const databaseBefore = pids.databasePid === undefined ? 0 : processTreeCpuMs(pids.databasePid);
  const selfBefore = process.cpuUsage();
  return {
    read: () => ({
      serverMs: processCpuMs(pids.serverPid) - serverBefore,
      databaseMs: pids.databasePid === undefined ? null : processTreeCpuMs(pids.databasePid) - databaseBefore,
      self: process.cpuUsage(selfBefore),
    }),
  };
}
