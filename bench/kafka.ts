/**
 * `npm run bench:kafka`: start → external task → end with 4 worker-SDK workers, over REST long polling and over Kafka
 * (4 workers in one consumer group on 4 partitions), in the same run on one durable throwaway PostgreSQL and one
 * Kafka 4.1 broker, rounds interleaved. Per transport: instances per second and the server's CPU per instance with 16
 * clients starting as fast as they can (a saturating load), then end-to-end latency (instance start to end, from
 * history) and delivery latency (task created to handler called: outbox lag plus Kafka, or the long poll) at a
 * paced load both sustain. Usage: npm run bench:kafka [-- <instances> [<rounds>]]
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKafkaBroker, stopAllKafkaBrokers } from '../scripts/kafka-broker.mjs';
import { startThrowawayPostgres, stopAllThrowawayPostgres } from '../scripts/throwaway-postgres.mjs';
import { createWorker, type Worker } from '../src/worker/index.js';
import { parseCamundaDate } from './external-workers.js';
import { freshDatabase } from './fresh-database.js';
import { machineInfo } from './machine-info.js';
import { processTreeCpuMs } from './proc-cpu.js';
import { killAllServerChildren, startServerChild } from './server-child.js';
import { call } from './side-by-side.js';
import { summarize, type LatencySummary } from './stats.js';

const INSTANCES = Number(process.argv[2] ?? 2000);
const ROUNDS = Number(process.argv[3] ?? 3);
if (!Number.isInteger(INSTANCES) || INSTANCES < 1 || !Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error('usage: npm run bench:kafka [-- <instances> [<rounds>]]');
const WARMUP = 100;
const WORKERS = 4;
const CLIENTS = 16;
const PARTITIONS = 4;
/** The paced phase: instances started one by one at this rate, well below either transport's capacity. */
const PACED_INSTANCES = 250;
const PACED_PER_SECOND = 25;
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURE = path.join(projectRoot, 'test', 'fixtures', 'bpmn', 'single-external-task.bpmn');
const quiet = { info() {}, warn() {}, error: (m: string) => process.stderr.write(`[worker] ${m}\n`) };
const log = (message: string) => process.stderr.write(`[bench:kafka] ${message}\n`);

type Transport = 'rest' | 'kafka';

interface RoundResult {
  transport: Transport;
  instancesPerSecond: number;
  /** Under the saturating load: mostly time queued behind the server's CPU. */
  saturatedEndToEnd: LatencySummary;
  /** At the paced load. */
  endToEnd: LatencySummary;
  delivery: LatencySummary;
  serverCpuMsPerInstance: number;
  /** The largest outbox lag /metrics reported while the round ran (Kafka only). */
  maxOutboxLagMs: number | null;
}

function cleanup(): void {
  killAllServerChildren();
  stopAllKafkaBrokers();
  stopAllThrowawayPostgres();
}

async function inClients(count: number, work: () => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (next++ < count) await work();
  }));
}

async function finishedCount(restUrl: string): Promise<number> {
  return ((await call('GET', `${restUrl}/history/process-instance/count?finished=true`)) as { count: number }).count;
}

async function waitForFinished(restUrl: string, target: number): Promise<void> {
  const deadline = Date.now() + 600_000;
  while ((await finishedCount(restUrl)) < target) {
    if (Date.now() > deadline) throw new Error(`only ${await finishedCount(restUrl)} of ${target} instances finished within 10 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function outboxLagMs(baseUrl: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  return Number(/^engine_kafka_outbox_lag_milliseconds (\S+)$/m.exec(text)?.[1] ?? 0);
}

async function runRound(transport: Transport, round: number, adminUrl: string, brokers: string[], processesDir: string): Promise<RoundResult> {
  const prefix = `bench${round}`;
  const databaseUrl = await freshDatabase(adminUrl, `bench_kafka_${transport}_${round}`);
  const kafkaEnv: Record<string, string> = transport === 'kafka'
    ? { KAFKA_BROKERS: brokers.join(','), KAFKA_TOPIC_PREFIX: prefix, KAFKA_EXTERNAL_TOPICS: 'work', KAFKA_PARTITIONS: String(PARTITIONS) }
    : {};
  const server = await startServerChild({ DATABASE_URL: databaseUrl, PROCESSES_DIR: processesDir, ...kafkaEnv });
  const restUrl = `${server.baseUrl}/engine-rest`;
  let measuring = false;
  const deliveryMs: number[] = [];
  const latenciesSince = async (since: number, count: number) => {
    const finished = (await call('GET', `${restUrl}/history/process-instance?finished=true&sortBy=startTime&sortOrder=desc&maxResults=${count}`)) as Array<{ startTime: string; endTime: string }>;
    const measured = finished.filter((instance) => parseCamundaDate(instance.startTime) >= since - 1);
    return summarize(measured.map((instance) => parseCamundaDate(instance.endTime) - parseCamundaDate(instance.startTime)));
  };
  const workers: Worker[] = Array.from({ length: WORKERS }, (_, i) => {
    const workerId = `bench-${transport}-${i + 1}`;
    const worker = transport === 'kafka'
      ? createWorker({ transport, brokers, topicPrefix: prefix, workerId, logger: quiet })
      : createWorker({ transport, baseUrl: restUrl, workerId, logger: quiet });
    // Over Kafka the four share one consumer group, so each consumes one of the four partitions.
    return worker.subscribe('work', async (task) => {
      if (measuring) deliveryMs.push(Date.now() - parseCamundaDate(task.raw.createTime));
      return task.complete();
    }, { concurrency: 1, groupId: `${prefix}.bench-workers` });
  });
  let maxOutboxLagMs = 0;
  let sampling: NodeJS.Timeout | undefined;
  try {
    for (const worker of workers) await worker.start();
    const start = () => call('POST', `${restUrl}/process-definition/key/single-external-task/start`, {});
    await inClients(WARMUP, start);
    await waitForFinished(restUrl, WARMUP);

    const cpuBefore = processTreeCpuMs(server.pid);
    const startedAt = new Date();
    const began = performance.now();
    await inClients(INSTANCES, start);
    await waitForFinished(restUrl, WARMUP + INSTANCES);
    const elapsedMs = performance.now() - began;
    const cpuMs = processTreeCpuMs(server.pid) - cpuBefore;
    const saturatedEndToEnd = await latenciesSince(startedAt.getTime(), INSTANCES);

    measuring = true;
    if (transport === 'kafka') sampling = setInterval(() => void outboxLagMs(server.baseUrl).then((lag) => (maxOutboxLagMs = Math.max(maxOutboxLagMs, lag)), () => undefined), 250);
    const pacedFrom = Date.now();
    const starts: Array<Promise<unknown>> = [];
    for (let i = 0; i < PACED_INSTANCES; i++) {
      starts.push(start());
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, pacedFrom + ((i + 1) * 1000) / PACED_PER_SECOND - Date.now())));
    }
    await Promise.all(starts);
    await waitForFinished(restUrl, WARMUP + INSTANCES + PACED_INSTANCES);
    measuring = false;
    clearInterval(sampling);
    return {
      transport,
      instancesPerSecond: INSTANCES / (elapsedMs / 1000),
      saturatedEndToEnd,
      endToEnd: await latenciesSince(pacedFrom, PACED_INSTANCES),
      delivery: summarize(deliveryMs),
      serverCpuMsPerInstance: cpuMs / INSTANCES,
      maxOutboxLagMs: transport === 'kafka' ? maxOutboxLagMs : null,
    };
  } finally {
    clearInterval(sampling);
    await Promise.all(workers.map((worker) => worker.stop()));
    await server.stop();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function formatTable(results: RoundResult[]): string {
  const rows = (['rest', 'kafka'] as const).map((transport) => {
    const rounds = results.filter((result) => result.transport === transport);
    const m = (pick: (result: RoundResult) => number) => median(rounds.map(pick));
    const lag = transport === 'kafka' ? `${m((r) => r.maxOutboxLagMs!).toFixed(0)}` : '–';
    return `| ${transport === 'rest' ? 'REST long polling' : 'Kafka consumer group'} | ${m((r) => r.instancesPerSecond).toFixed(0)} (${rounds.map((r) => r.instancesPerSecond.toFixed(0)).join(', ')}) | ${m((r) => r.serverCpuMsPerInstance).toFixed(1)} | ${m((r) => r.saturatedEndToEnd.p50Ms).toFixed(0)} / ${m((r) => r.saturatedEndToEnd.p99Ms).toFixed(0)} | ${m((r) => r.endToEnd.p50Ms).toFixed(0)} / ${m((r) => r.endToEnd.p99Ms).toFixed(0)} | ${m((r) => r.delivery.p50Ms).toFixed(0)} / ${m((r) => r.delivery.p99Ms).toFixed(0)} | ${lag} |`;
  });
  return [
    `| transport (4 workers) | saturated: instances/s, median (rounds) | saturated: server CPU ms / instance | saturated: end-to-end p50 / p99 ms | ${PACED_PER_SECOND}/s: end-to-end p50 / p99 ms | ${PACED_PER_SECOND}/s: delivery p50 / p99 ms | ${PACED_PER_SECOND}/s: max outbox lag ms |`,
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

async function main(): Promise<void> {
  process.on('exit', cleanup);
  const postgres = await startThrowawayPostgres({ durable: true, onStopError: (m: string) => log(m) });
  log(`PostgreSQL ${postgres.version} on ${postgres.url}`);
  const broker = await startKafkaBroker({ log });
  log(`Kafka on ${broker.brokers.join(',')}`);
  const processesDir = mkdtempSync(path.join(tmpdir(), 'bench-kafka-processes-'));
  copyFileSync(FIXTURE, path.join(processesDir, path.basename(FIXTURE)));
  const results: RoundResult[] = [];
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      // Interleaved, alternating which goes first, so drift on the machine hits both alike.
      const order: Transport[] = round % 2 === 1 ? ['rest', 'kafka'] : ['kafka', 'rest'];
      for (const transport of order) {
        const result = await runRound(transport, round, postgres.url, broker.brokers, processesDir);
        log(`round ${round} ${transport}: saturated ${result.instancesPerSecond.toFixed(0)} instances/s, ${result.serverCpuMsPerInstance.toFixed(1)} ms CPU per instance; at ${PACED_PER_SECOND}/s end-to-end p50 ${result.endToEnd.p50Ms} ms p99 ${result.endToEnd.p99Ms} ms, delivery p50 ${result.delivery.p50Ms} ms p99 ${result.delivery.p99Ms} ms`);
        results.push(result);
      }
    }
    const machine = machineInfo(postgres.version);
    process.stdout.write(`\n${INSTANCES} saturating instances (${CLIENTS} clients) then ${PACED_INSTANCES} at ${PACED_PER_SECOND}/s per round, after ${WARMUP} warm-up, ${ROUNDS} rounds; ${JSON.stringify(machine)}\n\n${formatTable(results)}\n`);
  } finally {
    rmSync(processesDir, { recursive: true, force: true });
    await broker.remove();
    cleanup();
  }
}

await main();
