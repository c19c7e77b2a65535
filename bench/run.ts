/**
 * `npm run bench`: the single-user-task, single-external-task and 10-way parallel scenarios on durable PostgreSQL and
 * the bare-engine reference; `npm run bench -- --vs-operaton`: the same engine against Operaton (bench/vs-operaton.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stopAllOperaton } from '../scripts/operaton.mjs';
import { startThrowawayPostgres, stopAllThrowawayPostgres } from '../scripts/throwaway-postgres.mjs';
import { EXTERNAL_TASK_WAIT, runBareEngine } from './bare-engine.js';
import { positiveInteger } from './bench-env.js';
import { EXTERNAL_FIXTURE, runExternalTaskScenario, type ExternalScenarioResult } from './external-task-scenario.js';
import { machineInfo } from './machine-info.js';
import { runParallelScenario, type ParallelScenarioResult } from './parallel-scenario.js';
import { PgCounters } from './pg-counters.js';
import { formatResults, writeResults, type BenchResults } from './report.js';
import { FIXTURE, runRestScenario, type ScenarioResult } from './rest-scenario.js';
import { killAllServerChildren, startServerChild } from './server-child.js';
import { runVsOperaton } from './vs-operaton.js';

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
let emptyProcessesDir: string | undefined;

/** Synchronous, idempotent: everything this run started goes, whatever ended it. */
function cleanup(): void {
  killAllServerChildren();
  stopAllOperaton();
  stopAllThrowawayPostgres();
  if (emptyProcessesDir) rmSync(emptyProcessesDir, { recursive: true, force: true });
  emptyProcessesDir = undefined;
}

/** The scenarios of plain `npm run bench`, each on a fresh durable PostgreSQL cluster of its own. */
async function runOwnScenarios(processesDir: string): Promise<void> {
  const instances = positiveInteger('BENCH_INSTANCES', 1000);
  const clients = positiveInteger('BENCH_CLIENTS', 16);
  const warmup = positiveInteger('BENCH_WARMUP', 100);
  const workers = positiveInteger('BENCH_WORKERS', 8);
  const maxTasks = positiveInteger('BENCH_MAX_TASKS', 10);
  const lowLoadInstances = positiveInteger('BENCH_LOW_LOAD_INSTANCES', 200);
  const lowLoadIntervalMs = positiveInteger('BENCH_LOW_LOAD_INTERVAL_MS', 50);
  const parallelInstances = positiveInteger('BENCH_PARALLEL_INSTANCES', 200);
  const parallelWarmup = positiveInteger('BENCH_PARALLEL_WARMUP', 20);
  /** Instances of the parallel scenario measured command by command before any worker polls. */
  const calibrationInstances = 10;
  /** Comma-separated subset of persisted,bare (single user task), external,external-bare and parallel; all by default. */
  const only = new Set((process.env.BENCH_ONLY || 'persisted,bare,external,external-bare,parallel').split(',').map((s) => s.trim()));
  /** A folder for V8 CPU profiles of the server children (node --cpu-prof), for finding where the time goes. */
  const cpuProfDir = process.env.BENCH_CPU_PROF_DIR;

  // No --cpu-prof-name: tsx's loader thread profiles too, and a fixed name would let it overwrite the main thread's
  // profile. Node's default name ends in <pid>.<thread id>.<seq>; thread 0 is the main thread.
  const serverNodeArgs = (label: string) => (cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(cpuProfDir, label)}`] : []);

  /**
   * Runs one scenario on a fresh durable cluster (fsync and synchronous_commit on, so every commit waits for its WAL
   * flush, as in production), stopped afterwards so its background work does not share the CPU with the next one.
   */
  async function onPostgres<T>(label: string, run: (baseUrl: string, pids: { serverPid: number; databasePid: number }, database: PgCounters) => Promise<T>): Promise<T & { database: string; postgresVersion: string }> {
    const postgres = await startThrowawayPostgres({ durable: true, onStopError: (m) => log(m) });
    log(`${label}: durable PostgreSQL on port ${postgres.port} (${postgres.version})`);
    try {
      const server = await startServerChild({ DATABASE_URL: postgres.url, PROCESSES_DIR: processesDir }, serverNodeArgs(label));
      log(`${label}: server pid ${server.pid} at ${server.baseUrl}`);
      const database = await PgCounters.connect(postgres.url);
      try {
        const result = await run(server.baseUrl, { serverPid: server.pid, databasePid: postgres.pid }, database);
        return { ...result, database: `${postgres.version}, fsync=on, synchronous_commit=on`, postgresVersion: postgres.version };
      } catch (error) {
        log(`${label}: server output (last lines):\n${server.output().split('\n').slice(-30).join('\n')}`);
        throw error;
      } finally {
        await database.close();
        await server.stop();
      }
    } finally {
      postgres.stop();
    }
  }

  const startedAt = new Date().toISOString();
  let postgresVersion: string | null = null;
  const versioned = <T extends { postgresVersion: string }>(result: T): Omit<T, 'postgresVersion'> => {
    const { postgresVersion: version, ...rest } = result;
    postgresVersion ??= version;
    return rest;
  };

  const persisted = only.has('persisted')
    ? versioned(await onPostgres('persisted', (baseUrl, pids, database) => runRestScenario(baseUrl, { instances, clients, warmup, ...pids, database }, (m) => log(`persisted: ${m}`)) as Promise<ScenarioResult>))
    : null;
  let bareEngine: BenchResults['bareEngine'] = null;
  if (only.has('bare')) {
    bareEngine = await runBareEngine(FIXTURE, instances, warmup);
    log(`bare engine: ${bareEngine.instancesPerSecond.toFixed(1)} instances/s`);
  }

  const externalConfig = { instances, startClients: clients, warmup, workers, maxTasks, lowLoadInstances, lowLoadIntervalMs };
  const external = only.has('external')
    ? versioned(await onPostgres('external', (baseUrl, pids, database) =>
        runExternalTaskScenario(baseUrl, { instances, clients, warmup, workers, maxTasks, lowLoadInstances, lowLoadIntervalMs, ...pids, database }, (m) => log(`external: ${m}`)) as Promise<ExternalScenarioResult>))
    : null;
  let externalBare: BenchResults['bareEngine'] = null;
  if (only.has('external-bare')) {
    externalBare = await runBareEngine(EXTERNAL_FIXTURE, instances, warmup, EXTERNAL_TASK_WAIT);
    log(`external bare engine: ${externalBare.instancesPerSecond.toFixed(1)} instances/s`);
  }

  const parallelConfig = { instances: parallelInstances, startClients: clients, warmup: parallelWarmup, workers, maxTasks, calibrationInstances };
  const parallel = only.has('parallel')
    ? versioned(await onPostgres('parallel', (baseUrl, pids, database) =>
        runParallelScenario(baseUrl, { instances: parallelInstances, clients, warmup: parallelWarmup, workers, maxTasks, calibrationInstances, ...pids, database }, (m) => log(`parallel: ${m}`)) as Promise<ParallelScenarioResult>))
    : null;

  const results: BenchResults = {
    startedAt,
    config: { instances, clients, warmup },
    machine: machineInfo(postgresVersion),
    persisted,
    bareEngine,
    externalTask: external || externalBare ? { config: externalConfig, persisted: external, bareEngine: externalBare } : null,
    parallel: parallel ? { config: parallelConfig, persisted: parallel } : null,
  };
  process.stdout.write(`\n${formatResults(results)}\n`);
  log(`results written to ${writeResults(results)}`);
}

async function main(): Promise<void> {
  // The server deploys PROCESSES_DIR at start; an empty one keeps the demo processes out of the measurement.
  emptyProcessesDir = mkdtempSync(path.join(tmpdir(), 'engine-bench-processes-'));
  if (process.argv.includes('--vs-operaton')) await runVsOperaton({ processesDir: emptyProcessesDir, log });
  else await runOwnScenarios(emptyProcessesDir);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    log(`${signal}: stopping everything this run started`);
    cleanup();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}
process.on('exit', cleanup);

let exitCode = 0;
try {
  await main();
} catch (error) {
  log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  exitCode = 1;
} finally {
  cleanup();
}
process.exit(exitCode);
