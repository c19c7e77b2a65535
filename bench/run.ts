/** `npm run bench`: the single-user-task, single-external-task and 10-way parallel scenarios on durable PostgreSQL, their in-memory and bare-engine ceilings. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startThrowawayPostgres, stopAllThrowawayPostgres } from '../scripts/throwaway-postgres.mjs';
import { EXTERNAL_TASK_WAIT, runBareEngine } from './bare-engine.js';
import { EXTERNAL_FIXTURE, runExternalTaskScenario, type ExternalScenarioResult } from './external-task-scenario.js';
import { machineInfo } from './machine-info.js';
import { runParallelScenario, type ParallelScenarioResult } from './parallel-scenario.js';
import { formatResults, writeResults, type BenchResults } from './report.js';
import { FIXTURE, runRestScenario, type ScenarioResult } from './rest-scenario.js';
import { killAllServerChildren, startServerChild } from './server-child.js';

function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got '${raw}'`);
  return value;
}

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
const PARALLEL_CALIBRATION_INSTANCES = 10;
/**
 * Comma-separated subset of persisted,memory,bare (single user task), external,external-memory,external-bare and
 * parallel,parallel-memory (10-way fork and join around external tasks); all by default.
 */
const only = new Set((process.env.BENCH_ONLY || 'persisted,memory,bare,external,external-memory,external-bare,parallel,parallel-memory').split(',').map((s) => s.trim()));
/** A folder for V8 CPU profiles of the server children (node --cpu-prof), for finding where the time goes. */
const cpuProfDir = process.env.BENCH_CPU_PROF_DIR;

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
let emptyProcessesDir: string | undefined;

/** Synchronous, idempotent: everything this run started goes, whatever ended it. */
function cleanup(): void {
  killAllServerChildren();
  stopAllThrowawayPostgres();
  if (emptyProcessesDir) rmSync(emptyProcessesDir, { recursive: true, force: true });
  emptyProcessesDir = undefined;
}

function serverNodeArgs(label: string): string[] {
  // No --cpu-prof-name: tsx's loader thread profiles too, and a fixed name would let it overwrite the main thread's
  // profile. Node's default name ends in <pid>.<thread id>.<seq>; thread 0 is the main thread.
  return cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(cpuProfDir, label)}`] : [];
}

async function scenarioOn(label: string, env: Record<string, string>, databasePid: number | undefined): Promise<ScenarioResult> {
  const server = await startServerChild({ ...env, PROCESSES_DIR: emptyProcessesDir! }, serverNodeArgs(label));
  log(`${label}: server pid ${server.pid} at ${server.baseUrl}`);
  try {
    return await runRestScenario(server.baseUrl, { instances, clients, warmup, serverPid: server.pid, databasePid }, (m) => log(`${label}: ${m}`));
  } catch (error) {
    log(`${label}: server output (last lines):\n${server.output().split('\n').slice(-30).join('\n')}`);
    throw error;
  } finally {
    await server.stop();
  }
}

async function externalScenarioOn(label: string, env: Record<string, string>, databasePid: number | undefined): Promise<ExternalScenarioResult> {
  const server = await startServerChild({ ...env, PROCESSES_DIR: emptyProcessesDir! }, serverNodeArgs(label));
  log(`${label}: server pid ${server.pid} at ${server.baseUrl}`);
  try {
    const options = { instances, clients, warmup, workers, maxTasks, lowLoadInstances, lowLoadIntervalMs, serverPid: server.pid, databasePid };
    return await runExternalTaskScenario(server.baseUrl, options, (m) => log(`${label}: ${m}`));
  } catch (error) {
    log(`${label}: server output (last lines):\n${server.output().split('\n').slice(-30).join('\n')}`);
    throw error;
  } finally {
    await server.stop();
  }
}

/** The single-external-task scenario: durable PostgreSQL, the in-memory ceiling and bare bpmn-engine, as selected. */
async function externalTaskResults(): Promise<{ results: BenchResults['externalTask']; postgresVersion: string | null }> {
  let postgresVersion: string | null = null;
  let persisted: ExternalScenarioResult | null = null;
  let database: string | null = null;
  if (only.has('external')) {
    // A fresh durable cluster: the same starting conditions as the user-task scenario's.
    const postgres = await startThrowawayPostgres({ durable: true, onStopError: (m) => log(m) });
    postgresVersion = postgres.version;
    database = `${postgres.version}, fsync=on, synchronous_commit=on`;
    log(`external: durable PostgreSQL on port ${postgres.port} (${postgres.version})`);
    try {
      persisted = await externalScenarioOn('external', { DATABASE_URL: postgres.url }, postgres.pid);
    } finally {
      postgres.stop();
    }
  }
  const inMemory = only.has('external-memory') ? await externalScenarioOn('external-in-memory', { DATA_DIR: 'memory' }, undefined) : null;
  let bareEngine: BenchResults['bareEngine'] = null;
  if (only.has('external-bare')) {
    bareEngine = await runBareEngine(EXTERNAL_FIXTURE, instances, warmup, EXTERNAL_TASK_WAIT);
    log(`external bare engine: ${bareEngine.instancesPerSecond.toFixed(1)} instances/s`);
  }
  if (!persisted && !inMemory && !bareEngine) return { results: null, postgresVersion };
  return {
    postgresVersion,
    results: {
      config: { instances, startClients: clients, warmup, workers, maxTasks, lowLoadInstances, lowLoadIntervalMs },
      persisted: persisted && { database: database!, ...persisted },
      inMemory: inMemory && { database: 'embedded PGlite, in memory (DATA_DIR=memory)', ...inMemory },
      bareEngine,
      ratio: persisted && inMemory ? persisted.throughput.completedInstancesPerSecond / inMemory.throughput.completedInstancesPerSecond : null,
    },
  };
}

async function parallelScenarioOn(label: string, env: Record<string, string>, databasePid: number | undefined): Promise<ParallelScenarioResult> {
  const server = await startServerChild({ ...env, PROCESSES_DIR: emptyProcessesDir! }, serverNodeArgs(label));
  log(`${label}: server pid ${server.pid} at ${server.baseUrl}`);
  try {
    const options = { instances: parallelInstances, clients, warmup: parallelWarmup, workers, maxTasks, calibrationInstances: PARALLEL_CALIBRATION_INSTANCES, serverPid: server.pid, databasePid };
    return await runParallelScenario(server.baseUrl, options, (m) => log(`${label}: ${m}`));
  } catch (error) {
    log(`${label}: server output (last lines):\n${server.output().split('\n').slice(-30).join('\n')}`);
    throw error;
  } finally {
    await server.stop();
  }
}

/** The 10-way parallel fork and join around external tasks: durable PostgreSQL and the in-memory ceiling, as selected. */
async function parallelResults(): Promise<{ results: BenchResults['parallel']; postgresVersion: string | null }> {
  let postgresVersion: string | null = null;
  let persisted: ParallelScenarioResult | null = null;
  let database: string | null = null;
  if (only.has('parallel')) {
    // A fresh durable cluster: the same starting conditions as the other scenarios'.
    const postgres = await startThrowawayPostgres({ durable: true, onStopError: (m) => log(m) });
    postgresVersion = postgres.version;
    database = `${postgres.version}, fsync=on, synchronous_commit=on`;
    log(`parallel: durable PostgreSQL on port ${postgres.port} (${postgres.version})`);
    try {
      persisted = await parallelScenarioOn('parallel', { DATABASE_URL: postgres.url }, postgres.pid);
    } finally {
      postgres.stop();
    }
  }
  const inMemory = only.has('parallel-memory') ? await parallelScenarioOn('parallel-in-memory', { DATA_DIR: 'memory' }, undefined) : null;
  if (!persisted && !inMemory) return { results: null, postgresVersion };
  return {
    postgresVersion,
    results: {
      config: { instances: parallelInstances, startClients: clients, warmup: parallelWarmup, workers, maxTasks, calibrationInstances: PARALLEL_CALIBRATION_INSTANCES },
      persisted: persisted && { database: database!, ...persisted },
      inMemory: inMemory && { database: 'embedded PGlite, in memory (DATA_DIR=memory)', ...inMemory },
      ratio: persisted && inMemory ? persisted.throughput.completedInstancesPerSecond / inMemory.throughput.completedInstancesPerSecond : null,
    },
  };
}

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  // The server deploys PROCESSES_DIR at start; an empty one keeps the demo processes out of the measurement.
  emptyProcessesDir = mkdtempSync(path.join(tmpdir(), 'engine-bench-processes-'));

  let postgresVersion: string | null = null;
  let persisted: BenchResults['persisted'] = null;
  if (only.has('persisted')) {
    // Durable: fsync and synchronous_commit on, so every commit waits for its WAL flush, as in production.
    const postgres = await startThrowawayPostgres({ durable: true, onStopError: (m) => log(m) });
    postgresVersion = postgres.version;
    log(`durable PostgreSQL on port ${postgres.port} (${postgres.version})`);
    try {
      persisted = { database: `${postgres.version}, fsync=on, synchronous_commit=on`, ...(await scenarioOn('persisted', { DATABASE_URL: postgres.url }, postgres.pid)) };
    } finally {
      // Stopped before the next scenario, so its background work does not share the CPU with it.
      postgres.stop();
    }
  }

  let inMemory: BenchResults['inMemory'] = null;
  if (only.has('memory')) {
    inMemory = { database: 'embedded PGlite, in memory (DATA_DIR=memory)', ...(await scenarioOn('in-memory', { DATA_DIR: 'memory' }, undefined)) };
  }

  let bareEngine: BenchResults['bareEngine'] = null;
  if (only.has('bare')) {
    bareEngine = await runBareEngine(FIXTURE, instances, warmup);
    log(`bare engine: ${bareEngine.instancesPerSecond.toFixed(1)} instances/s`);
  }

  const external = await externalTaskResults();
  const parallel = await parallelResults();

  const results: BenchResults = {
    startedAt,
    config: { instances, clients, warmup },
    machine: machineInfo(postgresVersion ?? external.postgresVersion ?? parallel.postgresVersion),
    persisted,
    inMemory,
    bareEngine,
    ratios: persisted && inMemory
      ? { start: persisted.start.instancesPerSecond / inMemory.start.instancesPerSecond, complete: persisted.complete.instancesPerSecond / inMemory.complete.instancesPerSecond }
      : null,
    externalTask: external.results,
    parallel: parallel.results,
  };
  process.stdout.write(`\n${formatResults(results)}\n`);
  log(`results written to ${writeResults(results)}`);
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
