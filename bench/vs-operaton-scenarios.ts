/**
 * The scenarios of `npm run bench -- --vs-operaton`: one round of each on one engine, through the same REST calls
 * whichever engine answers (Camunda 7's API under /engine-rest).
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { runConcurrently } from './concurrent.js';
import { ExternalWorkerPool, type DeliveredTask } from './external-workers.js';
import { HttpClient } from './http-client.js';
import { summarize, type LatencySummary } from './stats.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixture = (name: string) => path.join(projectRoot, 'test', 'fixtures', 'bpmn', name);
const REST = '/engine-rest';

/** Server and PostgreSQL CPU since the round started, in ms. */
export interface CpuSoFar {
  serverMs: number;
  databaseMs: number;
}

export interface PhaseOutcome {
  name: string;
  instances: number;
  wallMs: number;
  cpu: CpuSoFar;
  latency: Record<string, LatencySummary>;
}

export interface RoundOutcome {
  /** Completed instances. */
  instances: number;
  /** Tasks completed (user or external), for tasks/s. */
  tasks: number;
  wallMs: number;
  /** CPU when the last instance completed, before the round's teardown (e.g. aborting parked polls). */
  cpu: CpuSoFar;
  latency: Record<string, LatencySummary>;
  /** Completes sent again after an OptimisticLockingException (Operaton, two completes joining at once). */
  retries: number;
  /** Parts of the round measured on their own (the user-task scenario's start and complete phases). */
  phases: PhaseOutcome[];
}

export interface VsScenario {
  key: 'user-task' | 'external' | 'parallel' | 'multi-instance';
  title: string;
  description: string;
  fixture: string;
  processKey: string;
  /** Completed instances a round leaves in history, for the check after the rounds. */
  instancesPerRound: number;
  run(baseUrl: string, cpu: () => CpuSoFar): Promise<RoundOutcome>;
}

export interface VsSettings {
  instances: number;
  clients: number;
  workers: number;
  maxTasks: number;
  parallelInstances: number;
  multiInstances: number;
  reviewers: number;
}

const WORKER_TIMEOUTS = { asyncResponseTimeoutMs: 10_000, lockDurationMs: 60_000 };

async function startInstance(client: HttpClient, processKey: string, body: unknown = {}): Promise<string> {
  const started = JSON.parse(await client.expect('POST', `${REST}/process-definition/key/${processKey}/start`, 200, body)) as { id: string; ended: boolean };
  if (started.ended) throw new Error(`instance ${started.id} of ${processKey} ended at start; expected it to wait`);
  return started.id;
}

const latencies = (samples: Map<string, number[]>) => Object.fromEntries([...samples].map(([step, values]) => [step, summarize(values)]));

/** (a) start → user task → end: all starts by concurrent clients, then each task queried and completed. */
function userTask(settings: VsSettings): VsScenario {
  const processKey = 'single-user-task';
  return {
    key: 'user-task',
    title: '(a) start → user task → end',
    description: `${settings.instances} instances started by ${settings.clients} concurrent clients, then each task found (GET /task?processInstanceId=) and completed by ${settings.clients} clients`,
    fixture: fixture('single-user-task.bpmn'),
    processKey,
    instancesPerRound: settings.instances,
    async run(baseUrl, cpu) {
      const client = new HttpClient(baseUrl, settings.clients);
      try {
        const ids: string[] = [];
        let began = performance.now();
        const startSamples = await runConcurrently(settings.instances, settings.clients, async (i, time) => {
          ids[i] = await time('start', () => startInstance(client, processKey));
        });
        const startWall = performance.now() - began;
        const startCpu = cpu();
        began = performance.now();
        const completeSamples = await runConcurrently(settings.instances, settings.clients, async (i, time) => {
          const tasks = JSON.parse(await time('task query', () => client.expect('GET', `${REST}/task?processInstanceId=${ids[i]}`, 200))) as Array<{ id: string }>;
          if (tasks.length !== 1) throw new Error(`instance ${ids[i]} has ${tasks.length} tasks, expected 1`);
          await time('complete', () => client.expect('POST', `${REST}/task/${tasks[0].id}/complete`, 204, {}));
        });
        const completeWall = performance.now() - began;
        const endCpu = cpu();
        const start: PhaseOutcome = { name: 'start', instances: settings.instances, wallMs: startWall, cpu: startCpu, latency: latencies(startSamples) };
        const complete: PhaseOutcome = {
          name: 'complete',
          instances: settings.instances,
          wallMs: completeWall,
          cpu: { serverMs: endCpu.serverMs - startCpu.serverMs, databaseMs: endCpu.databaseMs - startCpu.databaseMs },
          latency: latencies(completeSamples),
        };
        return { instances: settings.instances, tasks: settings.instances, wallMs: startWall + completeWall, cpu: endCpu, latency: { ...start.latency, ...complete.latency }, retries: 0, phases: [start, complete] };
      } finally {
        client.close();
      }
    },
  };
}

/** The workers' pool, noting when each instance's last task was completed; createTime is not read (not every engine sends it). */
class TrackingPool extends ExternalWorkerPool {
  private readonly perInstance = new Map<string, number>();
  readonly instanceDone = new Map<string, number>();

  constructor(baseUrl: string, workers: number, topic: string, maxTasks: number, private readonly tasksPerInstance: number) {
    super(baseUrl, workers, { topic, maxTasks, ...WORKER_TIMEOUTS });
  }

  override delivered(): void {}

  override completed(task: DeliveredTask, latencyMs: number): void {
    const done = (this.perInstance.get(task.processInstanceId) ?? 0) + 1;
    this.perInstance.set(task.processInstanceId, done);
    if (done === this.tasksPerInstance) this.instanceDone.set(task.processInstanceId, performance.now());
    super.completed(task, latencyMs);
  }
}

/**
 * Instances started by concurrent clients while long-polling REST workers fetch, lock and complete their external
 * tasks; the workers start with the round and stop after the last completion.
 */
function withWorkers(settings: VsSettings, spec: { key: 'external' | 'parallel'; title: string; file: string; processKey: string; topic: string; instances: number; tasksPerInstance: number }): VsScenario {
  return {
    key: spec.key,
    title: spec.title,
    description: `${spec.instances} instances started by ${settings.clients} concurrent clients while ${settings.workers} REST workers long-poll fetchAndLock (maxTasks ${settings.maxTasks}, asyncResponseTimeout 10 s) and complete every task`,
    fixture: fixture(spec.file),
    processKey: spec.processKey,
    instancesPerRound: spec.instances,
    async run(baseUrl, cpu) {
      const client = new HttpClient(baseUrl, settings.clients);
      const pool = new TrackingPool(baseUrl, settings.workers, spec.topic, settings.maxTasks, spec.tasksPerInstance);
      try {
        const tasks = spec.instances * spec.tasksPerInstance;
        const began = performance.now();
        pool.start();
        const ids: string[] = [];
        const startedAt = new Map<string, number>();
        const samples = await runConcurrently(spec.instances, settings.clients, async (i, time) => {
          ids[i] = await time('start', () => startInstance(client, spec.processKey));
          startedAt.set(ids[i], performance.now());
        });
        await pool.waitForCompleted(tasks);
        const wallMs = pool.lastCompletion - began;
        const endCpu = cpu();
        const instanceLatencies = ids.map((id) => {
          const done = pool.instanceDone.get(id);
          if (done === undefined) throw new Error(`instance ${id}: its ${spec.tasksPerInstance} tasks were not all completed`);
          return done - startedAt.get(id)!;
        });
        const latency = { start: summarize(samples.get('start') ?? []), complete: summarize(pool.completeLatenciesMs), instance: summarize(instanceLatencies) };
        const retries = pool.stats.reduce((sum, s) => sum + s.completeRetries + s.fetchErrors, 0);
        return { instances: spec.instances, tasks, wallMs, cpu: endCpu, latency, retries, phases: [] };
      } finally {
        await pool.stop();
        client.close();
      }
    },
  };
}

/** A Java list of strings, as a REST client sends it to Camunda 7 (serialized JSON). */
const reviewerList = (n: number) => ({
  value: JSON.stringify(Array.from({ length: n }, (_, i) => `reviewer-${i}`)),
  type: 'Object',
  valueInfo: { objectTypeName: 'java.util.ArrayList<java.lang.String>', serializationDataFormat: 'application/json' },
});

/** (d) A parallel multi-instance user task: a few instances at once, each one's tasks completed one by one by its own client. */
function multiInstance(settings: VsSettings): VsScenario {
  const processKey = 'bench-parallel-reviews';
  return {
    key: 'multi-instance',
    title: `(d) ${settings.reviewers}-iteration parallel multi-instance`,
    description: `${settings.multiInstances} instances started concurrently, each with ${settings.reviewers} reviewers (a parallel multi-instance user task); each instance's client queries its tasks and completes them one by one, so no two completes race on one instance`,
    fixture: fixture('bench-multi-instance.bpmn'),
    processKey,
    instancesPerRound: settings.multiInstances,
    async run(baseUrl, cpu) {
      const client = new HttpClient(baseUrl, settings.multiInstances);
      try {
        const instanceLatencies: number[] = [];
        const began = performance.now();
        const samples = await runConcurrently(settings.multiInstances, settings.multiInstances, async (i, time) => {
          const instanceBegan = performance.now();
          const id = await time('start', () => startInstance(client, processKey, { variables: { reviewers: reviewerList(settings.reviewers) } }));
          const tasks = JSON.parse(await time('task query', () => client.expect('GET', `${REST}/task?processInstanceId=${id}&maxResults=${settings.reviewers + 10}`, 200))) as Array<{ id: string }>;
          if (tasks.length !== settings.reviewers) throw new Error(`instance ${id} has ${tasks.length} tasks, expected ${settings.reviewers}`);
          for (const task of tasks) await time('complete', () => client.expect('POST', `${REST}/task/${task.id}/complete`, 204, {}));
          instanceLatencies.push(performance.now() - instanceBegan);
        });
        const wallMs = performance.now() - began;
        const endCpu = cpu();
        return { instances: settings.multiInstances, tasks: settings.multiInstances * settings.reviewers, wallMs, cpu: endCpu, latency: { ...latencies(samples), instance: summarize(instanceLatencies) }, retries: 0, phases: [] };
      } finally {
        client.close();
      }
    },
  };
}

export function vsScenarios(settings: VsSettings): VsScenario[] {
  return [
    userTask(settings),
    withWorkers(settings, { key: 'external', title: '(b) start → external task → end', file: 'single-external-task.bpmn', processKey: 'single-external-task', topic: 'work', instances: settings.instances, tasksPerInstance: 1 }),
    withWorkers(settings, { key: 'parallel', title: '(c) 10-way parallel fork/join of external tasks', file: 'parallel-ten-external.bpmn', processKey: 'parallel-ten-external', topic: 'fan-out', instances: settings.parallelInstances, tasksPerInstance: 10 }),
    multiInstance(settings),
  ];
}
