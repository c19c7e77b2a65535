/**
 * Messages and signals, this engine against Operaton in the same run, on one durable throwaway PostgreSQL: N instances
 * (default 10,000) wait at a message catch event and N messages are correlated to them by business key (correlations
 * per second, from 4 clients; writing transactions per correlation), then N instances wait at a signal catch event
 * and one signal releases them all (time until POST /signal answered and none waits). Job executors are off.
 * Usage: npm run bench:events [-- <instances>]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { transactionId, writesSince } from './pg-counters.js';
import { call, deployFile, measureSideBySide, type BenchEngine } from './side-by-side.js';
import { processTreeCpuMs } from './proc-cpu.js';

const INSTANCES = Number(process.argv[2] ?? 10_000);
if (!Number.isInteger(INSTANCES) || INSTANCES < 1) throw new Error(`the number of instances must be a positive integer, not ${process.argv[2]}`);
const CLIENTS = 4;
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURE = path.join(projectRoot, 'test', 'fixtures', 'bpmn', 'bench-events.bpmn');

/** Runs `work(i)` for i in 0..count-1 from CLIENTS concurrent clients. */
async function inClients(count: number, work: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    for (let i = next++; i < count; i = next++) await work(i);
  }));
}

async function waitingCount(engine: BenchEngine, eventName: string): Promise<number> {
  return ((await call('GET', `${engine.restUrl}/event-subscription/count?eventName=${eventName}`)) as { count: number }).count;
}

async function messages(engine: BenchEngine): Promise<string> {
  const key = (i: number) => `bench-order-${i}`;
  await inClients(INSTANCES, (i) => call('POST', `${engine.restUrl}/process-definition/key/bench-message-wait/start`, { businessKey: key(i) }));
  if ((await waitingCount(engine, 'bench-paid')) !== INSTANCES) throw new Error(`${engine.label}: not every instance waits for the message`);
  const idBefore = await transactionId(engine.database);
  const cpuBefore = processTreeCpuMs(engine.pid);
  const started = performance.now();
  await inClients(INSTANCES, (i) => call('POST', `${engine.restUrl}/message`, { messageName: 'bench-paid', businessKey: key(i) }));
  const elapsedMs = performance.now() - started;
  const cpuMs = processTreeCpuMs(engine.pid) - cpuBefore;
  const commits = await writesSince(engine.database, idBefore);
  if ((await waitingCount(engine, 'bench-paid')) !== 0) throw new Error(`${engine.label}: instances still wait for the message`);
  return `${engine.label.padEnd(12)} ${INSTANCES} messages correlated by business key from ${CLIENTS} clients: ${(INSTANCES / (elapsedMs / 1000)).toFixed(0)} correlations/s ` +
    `(${(elapsedMs / 1000).toFixed(1)} s), ${(commits / INSTANCES).toFixed(2)} writing transactions and ${(cpuMs / INSTANCES).toFixed(1)} ms server CPU per correlation`;
}

async function signal(engine: BenchEngine): Promise<string> {
  await inClients(INSTANCES, () => call('POST', `${engine.restUrl}/process-definition/key/bench-signal-wait/start`, {}));
  if ((await waitingCount(engine, 'bench-go')) !== INSTANCES) throw new Error(`${engine.label}: not every instance waits for the signal`);
  const idBefore = await transactionId(engine.database);
  const started = performance.now();
  await call('POST', `${engine.restUrl}/signal`, { name: 'bench-go' });
  const answeredMs = performance.now() - started;
  while ((await waitingCount(engine, 'bench-go')) > 0) await new Promise((resolve) => setTimeout(resolve, 100));
  const releasedMs = performance.now() - started;
  const commits = await writesSince(engine.database, idBefore);
  return `${engine.label.padEnd(12)} one signal to ${INSTANCES} waiting instances: POST /signal answered after ${(answeredMs / 1000).toFixed(1)} s, ` +
    `all released after ${(releasedMs / 1000).toFixed(1)} s, ${commits} writing transactions`;
}

await measureSideBySide('events', async (engine) => {
  await deployFile(engine.restUrl, FIXTURE, 'events benchmark');
  console.log(await messages(engine));
  console.log(await signal(engine));
});
