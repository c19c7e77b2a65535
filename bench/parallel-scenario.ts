/** The "10-way parallel fork and join" scenario over REST: 16 clients start instances, 8 long-polling workers complete their 10 external tasks. */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { runConcurrently } from './concurrent.js';
import { readEngineCounters, type EngineCounters } from './engine-metrics.js';
import { ExternalWorkerPool, type DeliveredTask, type WorkerSettings } from './external-workers.js';
import { HttpClient } from './http-client.js';
import type { PgCounters } from './pg-counters.js';
import { startCpuMeter } from './proc-cpu.js';
import { deployFixture } from './rest-scenario.js';
import { summarize, type LatencySummary } from './stats.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const PARALLEL_FIXTURE = path.join(projectRoot, 'test', 'fixtures', 'bpmn', 'parallel-ten-external.bpmn');
const PROCESS_KEY = 'parallel-ten-external';
const TOPIC = 'fan-out';
/** External tasks per instance: the fork's branches. */
export const PARALLEL_BRANCHES = 10;
const REST = '/engine-rest';

export interface ParallelScenarioOptions {
  instances: number;
  /** Concurrent clients starting instances. */
  clients: number;
  warmup: number;
  workers: number;
  maxTasks: number;
  /** Instances measured alone (no worker polling), after as many unmeasured: commits per command, complete latency by tasks still open. */
  calibrationInstances: number;
  serverPid: number;
  /** The PostgreSQL postmaster's pid. */
  databasePid: number;
  /** Counts the writing transactions of the server's database cluster. */
  database: PgCounters;
}

/** Each command alone, with no poll parked: commits per command and how a complete's cost grows with the waits left. */
export interface ParallelCalibration {
  instances: number;
  commitsPerStart: number;
  commitsPerComplete: number;
  /** One fetchAndLock without long polling that locks all `instances × 10` tasks. */
  commitsPerImmediateFetch: number;
  /** Start request latency alone (creates 10 tasks). */
  start: LatencySummary;
  /**
   * Complete latency alone, by how many of the instance's tasks were still open before it (10 … 1); the one at 1
   * also passes the join and ends the instance.
   */
  completeByWaiting: Array<{ waiting: number; latency: LatencySummary }>;
}

export interface ParallelCommitBreakdown {
  commands: number;
  commits: number;
  starts: number;
  completes: number;
  /** commits − starts − completes at their calibrated rates: the fetchAndLock claims. */
  claimCommits: number;
  fetchRequests: number;
  /** fetchAndLock responses that carried at least one task. */
  lockingFetches: number;
  emptyFetches: number;
  commandsPerInstance: number;
  commitsPerInstance: number;
  claimCommitsPerInstance: number;
}

export interface ParallelThroughputResult {
  instances: number;
  tasks: number;
  /** From the first start request to the last completion's response. */
  wallMs: number;
  completedInstancesPerSecond: number;
  completedTasksPerSecond: number;
  tasksPerFetch: number;
  latency: {
    start: LatencySummary;
    complete: LatencySummary;
    /** Start response → response of the complete that ended the instance. */
    instance: LatencySummary;
  };
  serverCpuMsPerInstance: number;
  databaseCpuMsPerInstance: number | null;
  loadGeneratorCpuMsPerInstance: number;
  commitBreakdown: ParallelCommitBreakdown;
}

export interface ParallelScenarioResult {
  branches: number;
  workers: number;
  maxTasks: number;
  asyncResponseTimeoutMs: number;
  lockDurationMs: number;
  calibration: ParallelCalibration;
  throughput: ParallelThroughputResult;
}

const WORKER_SETTINGS: Omit<WorkerSettings, 'maxTasks'> = { topic: TOPIC, asyncResponseTimeoutMs: 10_000, lockDurationMs: 60_000 };

/** The worker pool, also noting when each instance's last task was completed. */
class InstanceTrackingPool extends ExternalWorkerPool {
  private readonly perInstance = new Map<string, number>();
  /** performance.now() of the complete that finished an instance's last open task. */
  readonly instanceDone = new Map<string, number>();

  override completed(task: DeliveredTask, latencyMs: number): void {
    const done = (this.perInstance.get(task.processInstanceId) ?? 0) + 1;
    this.perInstance.set(task.processInstanceId, done);
    if (done === PARALLEL_BRANCHES) this.instanceDone.set(task.processInstanceId, performance.now());
    super.completed(task, latencyMs);
  }
}

async function startInstance(client: HttpClient): Promise<string> {
  const body = await client.expect('POST', `${REST}/process-definition/key/${PROCESS_KEY}/start`, 200, {});
  const started = JSON.parse(body) as { id: string; ended: boolean };
  if (started.ended) throw new Error(`instance ${started.id} ended at start; expected it to wait at ${PARALLEL_BRANCHES} external tasks`);
  return started.id;
}

/**
 * K instances started one by one, one fetchAndLock locking all 10·K tasks, then the completes round by round
 * (every instance's first task, then every second, …), so each round's latency is at a known number of open waits.
 */
async function calibrate(client: HttpClient, database: PgCounters, count: number): Promise<ParallelCalibration> {
  const counters = () => readEngineCounters(client, database);
  let before = await counters();
  const startLatencies: number[] = [];
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const began = performance.now();
    ids.push(await startInstance(client));
    startLatencies.push(performance.now() - began);
  }
  const startCommits = (await counters()).commits - before.commits;

  before = await counters();
  const fetchBody = { workerId: 'bench-calibration', maxTasks: count * PARALLEL_BRANCHES, usePriority: true, asyncResponseTimeout: 0, topics: [{ topicName: TOPIC, lockDuration: WORKER_SETTINGS.lockDurationMs }] };
  const tasks = JSON.parse(await client.expect('POST', `${REST}/external-task/fetchAndLock`, 200, fetchBody)) as DeliveredTask[];
  if (tasks.length !== count * PARALLEL_BRANCHES) throw new Error(`calibration fetchAndLock locked ${tasks.length} tasks, expected ${count * PARALLEL_BRANCHES}`);
  const fetchCommits = (await counters()).commits - before.commits;

  const byInstance = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const task of tasks) byInstance.get(task.processInstanceId)?.push(task.id);
  before = await counters();
  const completeByWaiting: ParallelCalibration['completeByWaiting'] = [];
  for (let round = 0; round < PARALLEL_BRANCHES; round++) {
    const latencies: number[] = [];
    for (const id of ids) {
      const taskId = byInstance.get(id)![round];
      if (taskId === undefined) throw new Error(`calibration: instance ${id} has fewer than ${PARALLEL_BRANCHES} tasks`);
      const began = performance.now();
      await client.expect('POST', `${REST}/external-task/${taskId}/complete`, 204, { workerId: 'bench-calibration' });
      latencies.push(performance.now() - began);
    }
    completeByWaiting.push({ waiting: PARALLEL_BRANCHES - round, latency: summarize(latencies) });
  }
  const completeCommits = (await counters()).commits - before.commits;
  return {
    instances: count,
    commitsPerStart: startCommits / count,
    commitsPerComplete: completeCommits / (count * PARALLEL_BRANCHES),
    commitsPerImmediateFetch: fetchCommits,
    start: summarize(startLatencies),
    completeByWaiting,
  };
}

function breakdown(before: EngineCounters, after: EngineCounters, pool: ExternalWorkerPool, instances: number, calibration: ParallelCalibration): ParallelCommitBreakdown {
  const stats = pool.stats;
  const completes = stats.reduce((sum, s) => sum + s.tasksCompleted, 0);
  const fetchRequests = stats.reduce((sum, s) => sum + s.fetchRequests, 0);
  const emptyFetches = stats.reduce((sum, s) => sum + s.emptyFetches, 0);
  const commands = after.commands - before.commands;
  const commits = after.commits - before.commits;
  const claimCommits = commits - instances * calibration.commitsPerStart - completes * calibration.commitsPerComplete;
  return {
    commands,
    commits,
    starts: instances,
    completes,
    claimCommits,
    fetchRequests,
    // The polls parked at the reset are answered in the phase but counted before it; those parked at the end are
    // counted but unanswered: the two cancel out (one per worker), so requests − empty answers = answers with tasks.
    lockingFetches: fetchRequests - emptyFetches,
    emptyFetches,
    commandsPerInstance: commands / instances,
    commitsPerInstance: commits / instances,
    claimCommitsPerInstance: claimCommits / instances,
  };
}

/** N instances started by concurrent clients while the workers complete every task: completed instances per second. */
async function throughputPhase(client: HttpClient, pool: InstanceTrackingPool, options: ParallelScenarioOptions, calibration: ParallelCalibration): Promise<ParallelThroughputResult> {
  await pool.allPolling();
  pool.resetStats();
  const before = await readEngineCounters(client, options.database);
  const cpu = startCpuMeter(options);
  const tasks = options.instances * PARALLEL_BRANCHES;
  const target = pool.completedCount + tasks;
  const ids: string[] = [];
  const startResponses = new Map<string, number>();
  const started = performance.now();
  const samples = await runConcurrently(options.instances, options.clients, async (i, time) => {
    ids[i] = await time('start', () => startInstance(client));
    startResponses.set(ids[i], performance.now());
  });
  await pool.waitForCompleted(target);
  const wallMs = pool.lastCompletion - started;
  // CPU is read at the last completion; the commit counters after the workers parked again, so their claims count.
  const { self, serverMs, databaseMs } = cpu.read();
  await pool.allPolling();
  const after = await readEngineCounters(client, options.database);
  const stats = pool.stats;
  const nonEmpty = stats.reduce((sum, s) => sum + s.fetchRequests - s.emptyFetches, 0);
  const instanceLatencies = ids.map((id) => {
    const done = pool.instanceDone.get(id);
    if (done === undefined) throw new Error(`instance ${id}: its ${PARALLEL_BRANCHES} tasks were not all completed`);
    return done - startResponses.get(id)!;
  });
  return {
    instances: options.instances,
    tasks,
    wallMs,
    completedInstancesPerSecond: (options.instances * 1000) / wallMs,
    completedTasksPerSecond: (tasks * 1000) / wallMs,
    tasksPerFetch: nonEmpty <= 0 ? Number.NaN : tasks / nonEmpty,
    latency: { start: summarize(samples.get('start') ?? []), complete: summarize(pool.completeLatenciesMs), instance: summarize(instanceLatencies) },
    serverCpuMsPerInstance: serverMs / options.instances,
    databaseCpuMsPerInstance: databaseMs === null ? null : databaseMs / options.instances,
    loadGeneratorCpuMsPerInstance: (self.user + self.system) / 1000 / options.instances,
    commitBreakdown: breakdown(before, after, pool, options.instances, calibration),
  };
}

export async function runParallelScenario(baseUrl: string, options: ParallelScenarioOptions, log: (message: string) => void): Promise<ParallelScenarioResult> {
  const client = new HttpClient(baseUrl, options.clients);
  const settings: WorkerSettings = { ...WORKER_SETTINGS, maxTasks: options.maxTasks };
  const pool = new InstanceTrackingPool(baseUrl, options.workers, settings);
  try {
    await deployFixture(client, PARALLEL_FIXTURE);
    // Before any worker polls: a parked poll would claim on every start and blur the per-command counts. The first
    // pass only warms the JIT, so the latency by open tasks is not the cold code's.
    await calibrate(client, options.database, options.calibrationInstances);
    const calibration = await calibrate(client, options.database, options.calibrationInstances);
    const first = calibration.completeByWaiting[0].latency.p50Ms;
    const last = calibration.completeByWaiting[PARALLEL_BRANCHES - 1].latency.p50Ms;
    log(`calibration: commits per start ${calibration.commitsPerStart}, per complete ${calibration.commitsPerComplete}; complete alone p50 ${first.toFixed(2)} ms at 10 open, ${last.toFixed(2)} ms at 1 (join + end)`);

    pool.start();
    // Warm-up: the throughput phase in small, so JIT, caches and connection pools are hot.
    const warmTarget = pool.completedCount + options.warmup * PARALLEL_BRANCHES;
    await runConcurrently(options.warmup, options.clients, async () => {
      await startInstance(client);
    });
    await pool.waitForCompleted(warmTarget);
    log(`warm-up: ${options.warmup} instances started and completed`);

    const throughput = await throughputPhase(client, pool, options, calibration);
    log(`throughput: ${throughput.completedInstancesPerSecond.toFixed(1)} completed instances/s (${throughput.completedTasksPerSecond.toFixed(0)} tasks/s)`);

    // Every instance must have ended, or the figures describe a broken run.
    const total = 2 * calibration.instances + options.warmup + options.instances;
    const open = JSON.parse(await client.expect('GET', `${REST}/external-task/count?topicName=${TOPIC}`, 200)) as { count: number };
    const active = JSON.parse(await client.expect('GET', `${REST}/process-instance/count?processDefinitionKey=${PROCESS_KEY}`, 200)) as { count: number };
    const finished = JSON.parse(await client.expect('GET', `${REST}/history/process-instance/count?processDefinitionKey=${PROCESS_KEY}&state=COMPLETED`, 200)) as { count: number };
    if (open.count !== 0) throw new Error(`${open.count} external tasks are still open after the run`);
    if (active.count !== 0) throw new Error(`${active.count} instances are still running after the run`);
    if (finished.count !== total) throw new Error(`${finished.count} completed instances in history, expected ${total}`);
    return { branches: PARALLEL_BRANCHES, workers: options.workers, maxTasks: options.maxTasks, asyncResponseTimeoutMs: settings.asyncResponseTimeoutMs, lockDurationMs: settings.lockDurationMs, calibration, throughput };
  } finally {
    await pool.stop();
    client.close();
  }
}
