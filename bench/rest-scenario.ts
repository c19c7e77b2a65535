/** The "single user task" scenario over REST: deploy, warm up, then N starts and N task completions by concurrent clients. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { runConcurrently, type Timer } from './concurrent.js';
import { readEngineCounters } from './engine-metrics.js';
import { HttpClient } from './http-client.js';
import type { PgCounters } from './pg-counters.js';
import { startCpuMeter } from './proc-cpu.js';
import { summarize, type LatencySummary } from './stats.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURE = path.join(projectRoot, 'test', 'fixtures', 'bpmn', 'single-user-task.bpmn');
const PROCESS_KEY = 'single-user-task';
const REST = '/engine-rest';

export interface ScenarioOptions {
  instances: number;
  clients: number;
  warmup: number;
  /** The server child's pid, for its CPU time. */
  serverPid: number;
  /** The PostgreSQL postmaster's pid, for the cluster's CPU time. */
  databasePid: number;
  /** Counts the writing transactions of the server's database cluster. */
  database: PgCounters;
}

export interface PhaseResult {
  instances: number;
  wallMs: number;
  /** Instances per second over the phase's wall time (one command per instance). */
  instancesPerSecond: number;
  /** Per timed step: the command's own request, plus the task query in the complete phase. */
  latency: Record<string, LatencySummary>;
  serverCpuMsPerInstance: number;
  /** PostgreSQL's CPU (postmaster and backends). */
  databaseCpuMsPerInstance: number | null;
  loadGeneratorCpuMsPerInstance: number;
  commands: number;
  commits: number;
  commandsPerInstance: number;
  commitsPerCommand: number;
}

export interface ScenarioResult {
  start: PhaseResult;
  complete: PhaseResult;
}

/** Camunda's deployment/create is multipart, as Camunda Modeler sends it. */
export async function deployFixture(client: HttpClient, file = FIXTURE): Promise<void> {
  const boundary = `----bench${Date.now()}`;
  const xml = readFileSync(file, 'utf8');
  const part = (headers: string, content: string) => `--${boundary}\r\n${headers}\r\n\r\n${content}\r\n`;
  const body =
    part('Content-Disposition: form-data; name="deployment-name"', 'bench') +
    part('Content-Disposition: form-data; name="deploy-changed-only"', 'true') +
    part(`Content-Disposition: form-data; name="data"; filename="${path.basename(file)}"\r\nContent-Type: application/octet-stream`, xml) +
    `--${boundary}--\r\n`;
  const res = await client.request('POST', `${REST}/deployment/create`, body, { 'content-type': `multipart/form-data; boundary=${boundary}` });
  if (res.status !== 200) throw new Error(`deployment failed: HTTP ${res.status}: ${res.body}`);
}

async function startInstance(client: HttpClient, time: Timer): Promise<string> {
  const body = await time('start', () => client.expect('POST', `${REST}/process-definition/key/${PROCESS_KEY}/start`, 200, {}));
  const started = JSON.parse(body) as { id: string; ended: boolean };
  if (started.ended) throw new Error(`instance ${started.id} ended at start; expected it to wait at the user task`);
  return started.id;
}

async function completeTaskOf(client: HttpClient, processInstanceId: string, time: Timer): Promise<void> {
  const body = await time('task query', () => client.expect('GET', `${REST}/task?processInstanceId=${processInstanceId}`, 200));
  const tasks = JSON.parse(body) as Array<{ id: string }>;
  if (tasks.length !== 1) throw new Error(`instance ${processInstanceId} has ${tasks.length} tasks, expected 1`);
  await time('complete', () => client.expect('POST', `${REST}/task/${tasks[0].id}/complete`, 204, {}));
}

/** Measures one phase: wall time, latencies, CPU of server, database and this process, and the server's counters. */
async function measure(client: HttpClient, options: ScenarioOptions, count: number, job: (index: number, time: Timer) => Promise<void>): Promise<PhaseResult> {
  const countersBefore = await readEngineCounters(client, options.database);
  const cpu = startCpuMeter(options);
  const started = performance.now();
  const samples = await runConcurrently(count, options.clients, job);
  const wallMs = performance.now() - started;
  const { self, serverMs, databaseMs } = cpu.read();
  const countersAfter = await readEngineCounters(client, options.database);
  const commands = countersAfter.commands - countersBefore.commands;
  const commits = countersAfter.commits - countersBefore.commits;
  return {
    instances: count,
    wallMs,
    instancesPerSecond: (count * 1000) / wallMs,
    latency: Object.fromEntries([...samples].map(([step, values]) => [step, summarize(values)])),
    serverCpuMsPerInstance: serverMs / count,
    databaseCpuMsPerInstance: databaseMs === null ? null : databaseMs / count,
    loadGeneratorCpuMsPerInstance: (self.user + self.system) / 1000 / count,
    commands,
    commits,
    commandsPerInstance: commands / count,
    commitsPerCommand: commands === 0 ? Number.NaN : commits / commands,
  };
}

export async function runRestScenario(baseUrl: string, options: ScenarioOptions, log: (message: string) => void): Promise<ScenarioResult> {
  const client = new HttpClient(baseUrl, options.clients);
  try {
    await deployFixture(client);

    // Warm-up: the same two phases, so JIT, definition cache, connection pool and PostgreSQL caches are hot.
    const warmIds: string[] = [];
    await runConcurrently(options.warmup, options.clients, async (i, time) => {
      warmIds[i] = await startInstance(client, time);
    });
    await runConcurrently(options.warmup, options.clients, (i, time) => completeTaskOf(client, warmIds[i], time));
    log(`warm-up: ${options.warmup} instances started and completed`);

    const ids: string[] = [];
    const start = await measure(client, options, options.instances, async (i, time) => {
      ids[i] = await startInstance(client, time);
    });
    log(`start: ${start.instancesPerSecond.toFixed(1)} instances/s`);
    const complete = await measure(client, options, options.instances, (i, time) => completeTaskOf(client, ids[i], time));
    log(`complete: ${complete.instancesPerSecond.toFixed(1)} instances/s`);

    // Every instance must have ended, or the figures describe a broken run.
    const open = JSON.parse(await client.expect('GET', `${REST}/task/count?processDefinitionKey=${PROCESS_KEY}`, 200)) as { count: number };
    const finished = JSON.parse(await client.expect('GET', `${REST}/history/process-instance/count?processDefinitionKey=${PROCESS_KEY}&finished=true`, 200)) as { count: number };
    if (open.count !== 0) throw new Error(`${open.count} tasks are still open after the complete phase`);
    if (finished.count !== options.instances + options.warmup) throw new Error(`${finished.count} finished instances, expected ${options.instances + options.warmup}`);
    return { start, complete };
  } finally {
    client.close();
  }
}
