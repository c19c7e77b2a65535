/** Starts and stops a throwaway PostgreSQL 15 cluster in a temp dir on a free port (tests: fsync off; benchmarks: durable). */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.mjs';

const defaultPgBin = process.env.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin';
const isRoot = process.getuid?.() === 0;

/** Every cluster started and not yet stopped, so stopAllThrowawayPostgres() also catches one whose start was interrupted. */
const live = new Set();

/** Runs a PostgreSQL tool, as the postgres user when we are root (initdb and postgres refuse root). */
function pgTool(pgBin, tool, args, options = {}) {
  const bin = join(pgBin, tool);
  const [cmd, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
}


function sleepSync(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** PostgreSQL server options: fsync off only for throwaway test data; a benchmark must pay for durable commits. */
function serverSettings(durable) {
  if (durable) return ['-c fsync=on', '-c synchronous_commit=on', '-c full_page_writes=on'];
  // Durability off: these clusters live for one test run. Never use these settings for benchmarks.
  return ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off'];
}

/**
 * Creates a cluster in a fresh temp dir and starts it on 127.0.0.1.
 * @param {{ durable?: boolean, pgBin?: string, maxConnections?: number, settings?: string[], onStopError?: (message: string) => void }} [options]
 *   settings: extra `name=value` server settings, e.g. `log_statement=all` to count queries.
 * @returns {Promise<{ url: string, port: number, pid: number, dataDir: string, logFile: string, durable: boolean, version: string, stop: () => void }>}
 */
export async function startThrowawayPostgres(options = {}) {
  const { durable = false, pgBin = defaultPgBin, maxConnections = 200, settings = [] } = options;
  const onStopError = options.onStopError ?? ((message) => process.stderr.write(`[throwaway-postgres] ${message}\n`));
  if (!existsSync(join(pgBin, 'initdb'))) {
    throw new Error(`PostgreSQL 15 binaries not found in ${pgBin} (Debian: apt-get install postgresql-15)`);
  }
  const tmp = mkdtempSync(join(tmpdir(), durable ? 'engine-bench-pg-' : 'engine-test-pg-'));
  const dataDir = join(tmp, 'data');
  const logFile = join(tmp, 'postgres.log');
  let stopped = false;

  /** Synchronous so it also works from an 'exit' handler; safe to call more than once. */
  function stop() {
    if (stopped) return;
    stopped = true;
    live.delete(stop);
    if (existsSync(join(dataDir, 'postmaster.pid'))) {
      const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      try {
        pgTool(pgBin, 'pg_ctl', ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '30']);
      } catch (error) {
        // pg_ctl failed (or timed out): kill the postmaster named in its pid file so nothing outlives us.
        try {
          if (pid > 0) process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
        onStopError(`pg_ctl stop failed: ${error.stderr ?? error.message}`);
      }
      // pg_ctl daemonized the postmaster, so init reaps it; wait for that so no (zombie) postgres is left when we exit.
      for (let i = 0; i < 100 && pid > 0 && existsSync(`/proc/${pid}`); i++) sleepSync(50);
    }
    rmSync(tmp, { recursive: true, force: true });
  }
  live.add(stop);

  try {
    if (isRoot) {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
      chownSync(tmp, uid, gid);
    }
    // --no-sync only skips initdb's final flush of the empty cluster; the running server's durability is set below.
    pgTool(pgBin, 'initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    const port = await freePort();
    const serverOptions = [`-k ${tmp}`, '-c listen_addresses=127.0.0.1', `-p ${port}`, ...serverSettings(durable), `-c max_connections=${maxConnections}`, ...settings.map((s) => `-c ${s}`)].join(' ');
    try {
      pgTool(pgBin, 'pg_ctl', ['start', '-D', dataDir, '-w', '-t', '60', '-l', logFile, '-o', serverOptions]);
    } catch (error) {
      const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
      throw new Error(`pg_ctl start failed: ${error.stderr || error.message}\n${log.split('\n').slice(-20).join('\n')}`);
    }
    pgTool(pgBin, 'pg_isready', ['-h', '127.0.0.1', '-p', String(port), '-t', '30']);
    const version = pgTool(pgBin, 'postgres', ['--version']).trim();
    const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, pid, dataDir, logFile, durable, version, stop };
  } catch (error) {
    stop();
    throw error;
  }
}

/** Stops every cluster this process started (including one still starting); synchronous, for 'exit' and signal handlers. */
export function stopAllThrowawayPostgres() {
  for (const stop of [...live]) stop();
}
