/** The "single external task" scenario over REST: 16 clients start instances, 8 long-polling workers fetch, lock and complete. */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { runConcurrently, type Timer } from './concurrent.js';
import { readEngineCounters, type EngineCounters } from './engine-metrics.js';
import { epochNowMs, ExternalWorkerPool, type WorkerSettings } from './external-workers.js';
import { HttpClient } from './http-client.js';
import type { PgCounters } from './pg-counters.js';
import { startCpuMeter } from './proc-cpu.js';
import { deployFixture } from './rest-scenario.js';
import { summarize, type LatencySummary } from './stats.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const EXTERNAL_FIXTURE = path.join(projectRoot, 'test', 'fixtures', 'bpmn', 'single-external-task.bpmn');
const PROCESS_KEY = 'single-external-task';
const TOPIC = 'work';
const REST = '/engine-rest';

export interface ExternalScenarioOptions {
  instances: number;
  /** Concurrent clients starting instances. */
  clients: number;
  warmup: number;
  workers: number;
  maxTasks: number;
  /** The low-load phase: instances started one at a time, this far apart, with every worker parked. */
  lowLoadInstances: number;
  lowLoadIntervalMs: number;
  serverPid: number;
  /** The PostgreSQL postmaster's pid. */
  databasePid: number;
  /** Counts the writing transactions of the server's database cluster. */
  database: PgCounters;
}

/** Commits of each command alone, measured with no poll parked: the basis for attributing a phase's commits. */
export interface CommitCalibration {
  instances: number;
  commitsPerStart: number;
  commitsPerComplete: number;
  /** One fetchAndLock without long polling that locks all `instances` tasks. */
  commitsPerImmediateFetch: number;
  /** One fetchAndLock without long polling that finds nothing. */
  commitsPerEmptyImmediateFetch: number;
}

/** A phase's commits, split over the commands that made them. */
export interface CommitBreakdown {
  commands: number;
  commits: number;
  starts: number;
  completes: number;
  /** fetchAndLock HTTP requests the workers sent in the phase (each claims at least once). */
  fetchRequests: number;
  emptyFetches: number;
  /** All commits / instances: transactions per instance, fetchAndLock claims included. */
  commitsPerInstance: number;
  /** Commits left after subtracting starts and completes at their calibrated rates, per fetchAndLock request. */
  commitsPerFetchRequest: number;
  commitsPerCommand: number;
}

export interface LowLoadResult {
  instances: number;
  intervalMs: number;
  /** fetchAndLock response arrival minus the task's createTime (server clock, same machine). */
  deliveryFromCreate: LatencySummary;
  /** fetchAndLock response arrival minus the moment the start request's response arrived (may be negative). */
  deliveryFromStartResponse: LatencySummary;
  /** The start requests themselves: createTime is stamped early in the start command, so this bounds its share. */
  start: LatencySummary;
  /** CPU per instance at low load, where the parked polls' wake-ups weigh most. */
  serverCpuMsPerInstance: number;
  databaseCpuMsPerInstance: number | null;
  commitBreakdown: CommitBreakdown;
}

export interface ThroughputResult {
  instances: number;
  /** From the first start request to the last completion's response. */
  wallMs: number;
  completedInstancesPerSecond: number;
  tasksPerSecondPerWorker: { mean: number; min: number; max: number; perWorker: number[] };
  tasksPerFetch: number;
  latency: { start: LatencySummary; complete: LatencySummary; deliveryFromCreate: LatencySummary };
  serverCpuMsPerInstance: number;
  databaseCpuMsPerInstance: number | null;
  loadGeneratorCpuMsPerInstance: number;
  commitBreakdown: CommitBreakdown;
}

export interface ExternalScenarioResult {
  workers: number;
  maxTasks: number;
  asyncResponseTimeoutMs: number;
  lockDurationMs: number;
  calibration: CommitCalibration;
  lowLoad: LowLoadResult;
  throughput: ThroughputResult;
}

const WORKER_SETTINGS: Omit<WorkerSettings, 'maxTasks'> = { topic: TOPIC, asyncResponseTimeoutMs: 10_000, lockDurationMs: 60_000 };

async function startInstance(client: HttpClient, time?: Timer): Promise<string> {
  const request = () => client.expect('POST', `${REST}/process-definition/key/${PROCESS_KEY}/start`, 200, {});
  const body = time ? await time('start', request) : await request();
  const started = JSON.parse(body) as { id: string; ended: boolean };
  if (started.ended) throw new Error(`instance ${started.id} ended at start; expected it to wait at the external task`);
  return started.id;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Each command alone, with no worker polling: K starts, one fetchAndLock locking all K, K completes, one empty
 * fetchAndLock. Later phases subtract starts and completes at these rates to get the commits of fetchAndLock.
 */
async function calibrate(client: HttpClient, database: PgCounters, count: number): Promise<CommitCalibration> {
  const delta = async (work: () => Promise<void>): Promise<number> => {
    const before = await readEngineCounters(client, database);
    await work();
    return (await readEngineCounters(client, database)).commits - before.commits;
  };
  const fetchBody = { workerId: 'bench-calibration', maxTasks: count, usePriority: true, asyncResponseTimeout: 0, topics: [{ topicName: TOPIC, lockDuration: WORKER_SETTINGS.lockDurationMs }] };
  const starts = await delta(async () => {
    for (let i = 0; i < count; i++) await startInstance(client);
  });
  let taskIds: string[] = [];
  const fetch = await delta(async () => {
    const tasks = JSON.parse(await client.expect('POST', `${REST}/external-task/fetchAndLock`, 200, fetchBody)) as Array<{ id: string }>;
    if (tasks.length !== count) throw new Error(`calibration fetchAndLock locked ${tasks.length} tasks, expected ${count}`);
    taskIds = tasks.map((task) => task.id);
  });
  const completes = await delta(async () => {
    for (const id of taskIds) await client.expect('POST', `${REST}/external-task/${id}/complete`, 204, { workerId: 'bench-calibration' });
  });
  const emptyFetch = await delta(async () => {
    const tasks = JSON.parse(await client.expect('POST', `${REST}/external-task/fetchAndLock`, 200, fetchBody)) as unknown[];
    if (tasks.length !== 0) throw new Error(`calibration: ${tasks.length} tasks left after completing all`);
  });
  return { instances: count, commitsPerStart: starts / count, commitsPerComplete: completes / count, commitsPerImmediateFetch: fetch, commitsPerEmptyImmediateFetch: emptyFetch };
}

function breakdown(before: EngineCounters, after: EngineCounters, pool: ExternalWorkerPool, starts: number, calibration: CommitCalibration, instances: number): CommitBreakdown {
  const stats = pool.stats;
  const completes = stats.reduce((sum, s) => sum + s.tasksCompleted, 0);
  const fetchRequests = stats.reduce((sum, s) => sum + s.fetchRequests, 0);
  const commands = after.commands - before.commands;
  const commits = after.commits - before.commits;
  const fetchCommits = commits - starts * calibration.commitsPerStart - completes * calibration.commitsPerComplete;
  return {
    commands,
    commits,
    starts,
    completes,
    fetchRequests,
    emptyFetches: stats.reduce((sum, s) => sum + s.emptyFetches, 0),
    commitsPerInstance: commits / instances,
    commitsPerFetchRequest: fetchRequests === 0 ? Number.NaN : fetchCommits / fetchRequests,
    commitsPerCommand: commands === 0 ? Number.NaN : commits / commands,
  };
}

function deliveryLatencies(pool: ExternalWorkerPool, ids: readonly string[]): number[] {
  return ids.map((id) => {
    const delivery = pool.deliveries.get(id);
    if (!delivery) throw new Error(`no delivery recorded for instance ${id}`);
    return delivery.arrivedAt - delivery.createTime;
  });
}

/** Instances started one at a time with every worker parked: how fast a parked poll sees a new task. */
async function lowLoadPhase(client: HttpClient, pool: ExternalWorkerPool, options: ExternalScenarioOptions, calibration: CommitCalibration): Promise<LowLoadResult> {
  await pool.allPolling();
  pool.resetStats();
  const before = await readEngineCounters(client, options.database);
  const cpu = startCpuMeter(options);
  const target = pool.completedCount + options.lowLoadInstances;
  const ids: string[] = [];
  const startResponses = new Map<string, number>();
  const startLatencies: number[] = [];
  for (let i = 0; i < options.lowLoadInstances; i++) {
    const began = performance.now();
    const id = await startInstance(client);
    startResponses.set(id, epochNowMs());
    startLatencies.push(performance.now() - began);
    ids.push(id);
    await sleep(Math.max(0, options.lowLoadIntervalMs - (performance.now() - began)));
  }
  await pool.waitForCompleted(target);
  await pool.allPolling();
  const { serverMs, databaseMs } = cpu.read();
  const after = await readEngineCounters(client, options.database);
  const fromStart = ids.map((id) => pool.deliveries.get(id)!.arrivedAt - startResponses.get(id)!);
  return {
    instances: options.lowLoadInstances,
    intervalMs: options.lowLoadIntervalMs,
    deliveryFromCreate: summarize(deliveryLatencies(pool, ids)),
    deliveryFromStartResponse: summarize(fromStart),
    start: summarize(startLatencies),
    serverCpuMsPerInstance: serverMs / options.lowLoadInstances,
    databaseCpuMsPerInstance: databaseMs === null ? null : databaseMs / options.lowLoadInstances,
    commitBreakdown: breakdown(before, after, pool, options.lowLoadInstances, calibration, options.lowLoadInstances),
  };
}

/** N instances started by concurrent clients while the workers drain them: completed instances per second. */
async function throughputPhase(client: HttpClient, pool: ExternalWorkerPool, options: ExternalScenarioOptions, calibration: CommitCalibration): Promise<ThroughputResult> {
  await pool.allPolling();
  pool.resetStats();
  const before = await readEngineCounters(client, options.database);
  const cpu = startCpuMeter(options);
  const target = pool.completedCount + options.instances;
  const ids: string[] = [];
  const started = performance.now();
  const samples = await runConcurrently(options.instances, options.clients, async (i, time) => {
    ids[i] = await startInstance(client, time);
  });
  await pool.waitForCompleted(target);
  const wallMs = pool.lastCompletion - started;
  // CPU is read at the last completion; the commit counters after the workers parked again, so their claims count.
  const { self, serverMs, databaseMs } = cpu.read();
  await pool.allPolling();
  const after = await readEngineCounters(client, options.database);
  const stats = pool.stats;
  const perWorker = stats.map((s) => (s.tasksCompleted * 1000) / wallMs);
  const nonEmpty = stats.reduce((sum, s) => sum + s.fetchRequests - s.emptyFetches, 0);
  return {
    instances: options.instances,
    wallMs,
    completedInstancesPerSecond: (options.instances * 1000) / wallMs,
    tasksPerSecondPerWorker: { mean: perWorker.reduce((a, b) => a + b, 0) / perWorker.length, min: Math.min(...perWorker), max: Math.max(...perWorker), perWorker },
    tasksPerFetch: nonEmpty === 0 ? Number.NaN : options.instances / nonEmpty,
    latency: { start: summarize(samples.get('start') ?? []), complete: summarize(pool.completeLatenciesMs), deliveryFromCreate: summarize(deliveryLatencies(pool, ids)) },
    serverCpuMsPerInstance: serverMs / options.instances,
    databaseCpuMsPerInstance: databaseMs === null ? null : databaseMs / options.instances,
    loadGeneratorCpuMsPerInstance: (self.user + self.system) / 1000 / options.instances,
    commitBreakdown: breakdown(before, after, pool, options.instances, calibration, options.instances),
  };
}

export async function runExternalTaskScenario(baseUrl: string, options: ExternalScenarioOptions, log: (message: string) => void): Promise<ExternalScenarioResult> {
  const client = new HttpClient(baseUrl, options.clients);
  const settings: WorkerSettings = { ...WORKER_SETTINGS, maxTasks: options.maxTasks };
  const pool = new ExternalWorkerPool(baseUrl, options.workers, settings);
  try {
    await deployFixture(client, EXTERNAL_FIXTURE);
    // Before any worker polls: a parked poll would claim on every start and blur the per-command counts.
    const calibration = await calibrate(client, options.database, 20);
    log(`calibration: commits per start ${calibration.commitsPerStart}, per complete ${calibration.commitsPerComplete}, per fetchAndLock ${calibration.commitsPerImmediateFetch} (empty: ${calibration.commitsPerEmptyImmediateFetch})`);

    pool.start();
    // Warm-up: the throughput phase in small, so JIT, caches and connection pools are hot.
    const warmTarget = pool.completedCount + options.warmup;
    await runConcurrently(options.warmup, options.clients, async () => {
      await startInstance(client);
    });
    await pool.waitForCompleted(warmTarget);
    log(`warm-up: ${options.warmup} instances started and completed`);

    const lowLoad = await lowLoadPhase(client, pool, options, calibration);
    log(`low load: delivery to a parked poll p50 ${lowLoad.deliveryFromCreate.p50Ms.toFixed(2)} ms, p99 ${lowLoad.deliveryFromCreate.p99Ms.toFixed(2)} ms`);
    const throughput = await throughputPhase(client, pool, options, calibration);
    log(`throughput: ${throughput.completedInstancesPerSecond.toFixed(1)} completed instances/s`);

    // Every instance must have ended, or the figures describe a broken run.
    const total = calibration.instances + options.warmup + options.lowLoadInstances + options.instances;
    const open = JSON.parse(await client.expect('GET', `${REST}/external-task/count?topicName=${TOPIC}`, 200)) as { count: number };
    const finished = JSON.parse(await client.expect('GET', `${REST}/history/process-instance/count?processDefinitionKey=${PROCESS_KEY}&finished=true`, 200)) as { count: number };
    if (open.count !== 0) throw new Error(`${open.count} external tasks are still open after the run`);
    if (finished.count !== total) throw new Error(`${finished.count} finished instances, expected ${total}`);
    return { workers: options.workers, maxTasks: options.maxTasks, asyncResponseTimeoutMs: settings.asyncResponseTimeoutMs, lockDurationMs: settings.lockDurationMs, calibration, lowLoad, throughput };
  } finally {
    await pool.stop();
    client.close();
  }
}
