/** A pid lock file, so two processes never open the same embedded (PGlite) data folder at once. */
import { openSync, writeSync, closeSync, readFileSync, unlinkSync } from 'node:fs';

export interface PidLock {
  readonly path: string;
  release(): void;
}

/** Thrown when a live process (possibly this one) already holds the lock. */
export class LockHeldError extends Error {
  readonly holderPid: number;

  constructor(path: string, holderPid: number, what: string) {
    super(
      `${what} is in use by process ${holderPid}${holderPid === process.pid ? ' (this process)' : ''} ` +
        `(lock file ${path}). Stop that process first; if it is not running, delete the lock file.`,
    );
    this.name = 'LockHeldError';
    this.holderPid = holderPid;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Creates `path` exclusively with our pid. A lock whose pid is dead (or unreadable: a crash between create and
 * write) is stale and taken over. `what` names the guarded resource in the error message.
 */
export function acquirePidLock(path: string, what: string): PidLock {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o644);
      try {
        writeSync(fd, `${process.pid}\n`);
      } finally {
        closeSync(fd);
      }
      return makeLock(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(path);
    if (holder !== undefined && isAlive(holder)) throw new LockHeldError(path, holder, what);
    // Stale: remove and retry the exclusive create, so two racing takers cannot both win.
    try {
      unlinkSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  throw new Error(`Could not acquire lock file ${path} for ${what}: it keeps reappearing`);
}

function makeLock(path: string): PidLock {
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    process.off('exit', release);
    // Only remove the file if it is still ours (someone may have deleted a lock they thought stale).
    if (readHolder(path) === process.pid) {
      try {
        unlinkSync(path);
      } catch {
        // gone already
      }
    }
  };
  // A process that exits without close() leaves no lock behind (a dead pid is also taken over, but pids get reused).
  process.on('exit', release);
  return { path, release };
}
