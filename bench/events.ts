/**
 * Messages and signals, this engine against Operaton in the same run, on one durable throwaway PostgreSQL: N instances
 * (default 10,000) wait at a message catch event and N messages are correlated to them by business key (correlations
 * per second, from 4 clients; writing transactions per correlation), then N instances wait at a signal catch event
 * and one signal releases them all (time until POST /signal answered and none waits). Job executors are off.
 * Usage: npm run bench:events [-- <instances>]
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { buildOperaton, operatonUnavailableReason, startOperaton, stopAllOperaton } from '../scripts/operaton.mjs';
import { startThrowawayPostgres, stopAllThrowawayPostgres } from '../scripts/throwaway-postgres.mjs';
import { freshDatabase } from './fresh-database.js';
import { killAllServerChildren, startServerChild } from './server-child.js';
import { processCpuMs } from './proc-cpu.js';

const INSTANCES = Number(process.argv[2] ?? 10_000);
if (!Number.isInteger(INSTANCES) || INSTANCES < 1) throw new Error(`the number of instances must be a positive integer, not ${process.argv[2]}`);
const CLIENTS = 4;
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURE = path.join(projectRoot, 'test', 'fixtures', 'bpmn', 'bench-events.bpmn');

interface Engine {
  label: string;
  restUrl: string;
  pid: number;
  database: pg.Client;
}

async function call(method: string, url: string, body?: unknown): Promise<unknown> {
  const res = await fetch(url, { method, headers: body === undefined ? {} : { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${url} answered ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

async function deploy(restUrl: string): Promise<void> {
  const form = new FormData();
  form.append('deployment-name', 'events benchmark');
  form.append('data', new Blob([readFileSync(FIXTURE)]), 'bench-events.bpmn');
  const res = await fetch(`${restUrl}/deployment/create`, { method: 'POST', body: form });
  if (res.status !== 200) throw new Error(`deployment answered ${res.status}: ${await res.text()}`);
}

/** The next transaction id: every writing transaction since the last reading took one (see multi-instance.ts). */
async function transactionId(db: pg.Client): Promise<number> {
  return Number(((await db.query('select txid_current()::bigint as n')).rows[0] as { n: string }).n);
}

/** Runs `work(i)` for i in 0..count-1 from CLIENTS concurrent clients. */
async function inClients(count: number, work: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    for (let i = next++; i < count; i = next++) await work(i);
  }));
}

async function waitingCount(engine: Engine, eventName: string): Promise<number> {
  return ((await call('GET', `${engine.restUrl}/event-subscription/count?eventName=${eventName}`)) as { count: number }).count;
}

async function messages(engine: Engine): Promise<string> {
  const key = (i: number) => `bench-order-${i}`;
  await inClients(INSTANCES, (i) => call('POST', `${engine.restUrl}/process-definition/key/bench-message-wait/start`, { businessKey: key(i) }));
  if ((await waitingCount(engine, 'bench-paid')) !== INSTANCES) throw new Error(`${engine.label}: not every instance waits for the message`);
  const idBefore = await transactionId(engine.database);
  const cpuBefore = processCpuMs(engine.pid);
  const started = performance.now();
  await inClients(INSTANCES, (i) => call('POST', `${engine.restUrl}/message`, { messageName: 'bench-paid', businessKey: key(i) }));
  const elapsedMs = performance.now() - started;
  const cpuMs = processCpuMs(engine.pid) - cpuBefore;
  const commits = (await transactionId(engine.database)) - idBefore - 1;
  if ((await waitingCount(engine, 'bench-paid')) !== 0) throw new Error(`${engine.label}: instances still wait for the message`);
  return `${engine.label.padEnd(12)} ${INSTANCES} messages correlated by business key from ${CLIENTS} clients: ${(INSTANCES / (elapsedMs / 1000)).toFixed(0)} correlations/s ` +
    `(${(elapsedMs / 1000).toFixed(1)} s), ${(commits / INSTANCES).toFixed(2)} writing transactions and ${(cpuMs / INSTANCES).toFixed(1)} ms server CPU per correlation`;
}

async function signal(engine: Engine): Promise<string> {
  await inClients(INSTANCES, () => call('POST', `${engine.restUrl}/process-definition/key/bench-signal-wait/start`, {}));
  if ((await waitingCount(engine, 'bench-go')) !== INSTANCES) throw new Error(`${engine.label}: not every instance waits for the signal`);
  const idBefore = await transactionId(engine.database);
  const started = performance.now();
  await call('POST', `${engine.restUrl}/signal`, { name: 'bench-go' });
  const answeredMs = performance.now() - started;
  while ((await waitingCount(engine, 'bench-go')) > 0) await new Promise((resolve) => setTimeout(resolve, 100));
  const releasedMs = performance.now() - started;
  const commits = (await transactionId(engine.database)) - idBefore - 1;
  return `${engine.label.padEnd(12)} one signal to ${INSTANCES} waiting instances: POST /signal answered after ${(answeredMs / 1000).toFixed(1)} s, ` +
    `all released after ${(releasedMs / 1000).toFixed(1)} s, ${commits} writing transactions`;
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

async function measure(engine: Engine): Promise<void> {
  await deploy(engine.restUrl);
  console.log(await messages(engine));
  console.log(await signal(engine));
}

async function main(): Promise<void> {
  const postgres = await startThrowawayPostgres({ durable: true, maxConnections: 200, onStopError: (message: string) => console.error(message) });
  console.log(`${new Date().toISOString()}: ${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} cores), node ${process.version}, ${postgres.version}, load ${os.loadavg()[0].toFixed(1)}`);
  try {
    const databaseUrl = await freshDatabase(postgres.url, 'events');
    const server = await startServerChild({ DATABASE_URL: databaseUrl, JOB_EXECUTOR: 'false' });
    const database = await connect(databaseUrl);
    try {
      await measure({ label: 'this engine', restUrl: `${server.baseUrl}/engine-rest`, pid: server.pid, database });
    } finally {
      await database.end();
      await server.stop();
    }
    const unavailable = operatonUnavailableReason();
    if (unavailable) {
      console.log(`Operaton: skipped (${unavailable})`);
      return;
    }
    const operaton = await startOperaton({ adminUrl: postgres.url, artifacts: await buildOperaton({ log: (message: string) => console.log(`Operaton: ${message}`) }), jvmArgs: ['-Xmx1g'], properties: ['--operaton.bpm.job-execution.enabled=false'] });
    const url = new URL(postgres.url);
    url.pathname = '/operaton';
    const operatonDatabase = await connect(url.toString());
    try {
      await measure({ label: 'Operaton', restUrl: operaton.url, pid: operaton.pid, database: operatonDatabase });
    } finally {
      await operatonDatabase.end();
      operaton.stop();
    }
  } finally {
    killAllServerChildren();
    stopAllOperaton();
    stopAllThrowawayPostgres();
  }
}

await main();
