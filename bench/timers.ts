/**
 * Timer benchmark: N instances (default 10,000) each wait at a timer; once all wait, every timer is made due at the
 * same moment (one UPDATE of the due dates), and the clock runs until every instance has moved on to its task.
 * Scenarios, one after the other on one durable throwaway PostgreSQL: this engine with one node, with two nodes
 * (two server processes), and Operaton (Camunda 7's fork, default job executor, polling at most every second like
 * ours). It checks that no timer fired twice (one finished timer activity instance and one task per instance).
 * Usage: npm run bench:timers [-- <timers>]
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { buildOperaton, operatonUnavailableReason, startOperaton, stopAllOperaton } from '../scripts/operaton.mjs';
import { startThrowawayPostgres, stopAllThrowawayPostgres } from '../scripts/throwaway-postgres.mjs';
import { freshDatabase } from './fresh-database.js';
import { killAllServerChildren, startServerChild } from './server-child.js';

const TIMERS = Number(process.argv[2] ?? 10_000);
const CLIENTS = 16;
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURE = path.join(projectRoot, 'test', 'fixtures', 'bpmn', 'job-executor-fire-at.bpmn');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The SQL each engine answers the benchmark's questions with. */
interface Schema {
  makeAllDue: string;
  tasks: string;
  firedTimers: string;
}

const OURS: Schema = {
  makeAllDue: `update job set due_date = now()`,
  tasks: `select count(*)::int as n from task where task_definition_key = 'Task_Fired'`,
  firedTimers: `select count(*)::int as n from hist_activity_instance where activity_id = 'Timer_FireAt' and end_time is not null`,
};

const OPERATON: Schema = {
  makeAllDue: `update act_ru_job set duedate_ = now()`,
  tasks: `select count(*)::int as n from act_ru_task where task_def_key_ = 'Task_Fired'`,
  firedTimers: `select count(*)::int as n from act_hi_actinst where act_id_ = 'Timer_FireAt' and end_time_ is not null`,
};

async function post(url: string, body: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
}

async function deploy(restUrl: string): Promise<void> {
  const form = new FormData();
  form.append('deployment-name', 'timer benchmark');
  form.append('data', new Blob([readFileSync(FIXTURE)]), 'job-executor-fire-at.bpmn');
  const res = await fetch(`${restUrl}/deployment/create`, { method: 'POST', body: form });
  if (res.status !== 200) throw new Error(`deployment answered ${res.status}: ${await res.text()}`);
}

/** Starts `count` instances waiting for a day, spread over the nodes, `CLIENTS` at a time. */
async function startWaitingInstances(restUrls: string[], count: number): Promise<number> {
  const fireAt = new Date(Date.now() + 86_400_000).toISOString();
  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: CLIENTS }, async (_, lane) => {
    for (let i = next++; i < count; i = next++) {
      const res = await post(`${restUrls[(lane + i) % restUrls.length]}/process-definition/key/fire-at/start`, { variables: { fireAt: { value: fireAt, type: 'String' } } });
      if (res.status !== 200) throw new Error(`start answered ${res.status}: ${res.text}`);
    }
  }));
  return (performance.now() - started) / 1000;
}

async function count(db: pg.Client, sql: string): Promise<number> {
  return ((await db.query(sql)).rows[0] as { n: number }).n;
}

/** Makes every timer due now and waits until every instance has its task; seconds from the UPDATE's commit. */
async function fireAll(db: pg.Client, schema: Schema): Promise<{ seconds: number; fired: number; tasks: number }> {
  await db.query(schema.makeAllDue);
  const started = performance.now();
  const deadline = started + 30 * 60_000;
  let tasks = 0;
  while (tasks < TIMERS) {
    if (performance.now() > deadline) throw new Error(`only ${tasks} of ${TIMERS} timers fired within 30 minutes`);
    await sleep(100);
    tasks = await count(db, schema.tasks);
  }
  const seconds = (performance.now() - started) / 1000;
  // A timer fired twice would have made a second task or failed its job: wait a moment for stragglers.
  await sleep(2_000);
  return { seconds, fired: await count(db, schema.firedTimers), tasks: await count(db, schema.tasks) };
}


function report(label: string, setupSeconds: number, result: { seconds: number; fired: number; tasks: number }): void {
  const twice = result.fired !== TIMERS || result.tasks !== TIMERS;
  console.log(`${label.padEnd(28)} ${TIMERS} timers started in ${setupSeconds.toFixed(1)} s; all fired ${result.seconds.toFixed(1)} s after they came due: ${Math.round(TIMERS / result.seconds)} timers/s; fired ${result.fired}, tasks ${result.tasks}${twice ? '  <-- NOT EXACTLY ONCE' : ', each exactly once'}`);
}

async function runOurs(adminUrl: string, nodes: number): Promise<void> {
  const databaseUrl = await freshDatabase(adminUrl, `timers_${nodes}`);
  const processesDir = mkdtempSync(path.join(os.tmpdir(), 'bench-timers-'));
  copyFileSync(FIXTURE, path.join(processesDir, 'job-executor-fire-at.bpmn'));
  const servers = await Promise.all(Array.from({ length: nodes }, () => startServerChild({ DATABASE_URL: databaseUrl, PROCESSES_DIR: processesDir })));
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const setup = await startWaitingInstances(servers.map((server) => `${server.baseUrl}/engine-rest`), TIMERS);
    report(`this engine, ${nodes} node${nodes > 1 ? 's' : ''}`, setup, await fireAll(db, OURS));
  } finally {
    await db.end();
    await Promise.all(servers.map((server) => server.stop()));
    rmSync(processesDir, { recursive: true, force: true });
  }
}

async function runOperaton(adminUrl: string): Promise<void> {
  const unavailable = operatonUnavailableReason();
  if (unavailable) {
    console.log(`Operaton: skipped (${unavailable})`);
    return;
  }
  const artifacts = await buildOperaton({ log: (message) => console.log(`Operaton: ${message}`) });
  // Full JIT and the default collector, as one would run it; the job executor's idle wait capped at 1 s, as ours polls.
  const operaton = await startOperaton({
    adminUrl,
    artifacts,
    jvmArgs: ['-Xmx1g'],
    properties: ['--operaton.bpm.job-execution.wait-time-in-millis=1000', '--operaton.bpm.job-execution.max-wait=1000'],
  });
  const url = new URL(adminUrl);
  url.pathname = '/operaton';
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  try {
    await deploy(operaton.url);
    const setup = await startWaitingInstances([operaton.url], TIMERS);
    report('Operaton 1 node', setup, await fireAll(db, OPERATON));
  } finally {
    await db.end();
    operaton.stop();
  }
}

async function main(): Promise<void> {
  const postgres = await startThrowawayPostgres({ durable: true, maxConnections: 200, onStopError: (message: string) => console.error(message) });
  console.log(`${new Date().toISOString()}: ${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} cores), node ${process.version}, ${postgres.version}, load ${os.loadavg()[0].toFixed(1)}`);
  try {
    await runOurs(postgres.url, 1);
    await runOurs(postgres.url, 2);
    await runOperaton(postgres.url);
  } finally {
    killAllServerChildren();
    stopAllOperaton();
    stopAllThrowawayPostgres();
  }
}

await main();
