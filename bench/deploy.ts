/**
 * Deployment benchmark: one BPMN file of N trivial processes (default 1,000) and one DMN table of R rules
 * (default 30,000) deployed over REST to the server in-process, on in-memory PGlite and then on a throwaway durable
 * PostgreSQL started from the machine's binaries, while `GET /engine` is polled
 * every 10 ms; prints each deployment's duration, the slowest `GET /engine` answer, and the longest time without an
 * answer (the poller shares the server's event loop, so a stalled loop shows as a gap rather than a slow answer).
 * Usage: npm run bench:deploy [-- <processes> <rules>]
 */
import os from 'node:os';
import { startThrowawayPostgres, stopAllThrowawayPostgres } from '../scripts/throwaway-postgres.mjs';
import { manyProcessesBpmn, manyRulesDmn } from '../test/support/large-models.js';
import { startInProcessServer } from './in-process-server.js';

const PROCESSES = Number(process.argv[2] ?? 1_000);
const RULES = Number(process.argv[3] ?? 30_000);
const POLL_INTERVAL_MS = 10;

/** Polls `GET /engine` one request at a time until stopped; resolves with every answer's latency and end time in ms. */
function pollEngine(baseUrl: string): { stop(): Promise<Array<{ latency: number; at: number }>> } {
  const latencies: Array<{ latency: number; at: number }> = [];
  let running = true;
  const done = (async () => {
    while (running) {
      const start = performance.now();
      const res = await fetch(`${baseUrl}/engine`);
      await res.text();
      if (res.status !== 200) throw new Error(`GET /engine answered ${res.status}`);
      latencies.push({ latency: performance.now() - start, at: performance.now() });
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
  })();
  return { stop: async () => { running = false; await done; return latencies; } };
}

async function timedDeployment(baseUrl: string, label: string, fileName: string, content: string, check: (body: Record<string, unknown>) => number): Promise<void> {
  const form = new FormData();
  form.append('deployment-name', label);
  form.append('data', new Blob([content], { type: 'application/octet-stream' }), fileName);
  const poller = pollEngine(baseUrl);
  const start = performance.now();
  const res = await fetch(`${baseUrl}/deployment/create`, { method: 'POST', body: form });
  const body = (await res.json()) as Record<string, unknown>;
  const seconds = (performance.now() - start) / 1000;
  const latencies = await poller.stop();
  if (res.status !== 200) throw new Error(`${label}: deployment answered ${res.status}: ${JSON.stringify(body)}`);
  const deployed = check(body);
  const end = performance.now();
  const slowest = Math.max(...latencies.map((answer) => answer.latency));
  const times = [start, ...latencies.map((answer) => answer.at).filter((at) => at < end), end];
  const longestGap = Math.max(...times.slice(1).map((at, i) => at - times[i]));
  console.log(`${label.padEnd(34)} ${(content.length / 1024).toFixed(0).padStart(5)} KiB, ${deployed} definitions in ${seconds.toFixed(2)} s; GET /engine: ${latencies.length} answers, slowest ${slowest.toFixed(0)} ms, longest without an answer ${longestGap.toFixed(0)} ms`);
}

async function run(label: string, url: string | undefined): Promise<void> {
  const server = await startInProcessServer({ databaseUrl: url, maxUploadBytes: 64 << 20 });
  const baseUrl = server.restUrl;
  console.log(`${label}: node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} cores), load ${os.loadavg()[0].toFixed(1)}`);

  const count = (field: string) => (body: Record<string, unknown>) => Object.keys((body[field] as Record<string, unknown> | null) ?? {}).length;
  await timedDeployment(baseUrl, 'warm-up (10 processes)', 'warm-up.bpmn', manyProcessesBpmn(10), count('deployedProcessDefinitions'));
  await timedDeployment(baseUrl, `BPMN, ${PROCESSES} processes`, 'many-processes.bpmn', manyProcessesBpmn(PROCESSES), count('deployedProcessDefinitions'));
  await timedDeployment(baseUrl, `BPMN, ${PROCESSES} processes, version 2`, 'many-processes.bpmn', manyProcessesBpmn(PROCESSES), count('deployedProcessDefinitions'));
  await timedDeployment(baseUrl, `DMN, ${RULES} rules`, 'many-rules.dmn', manyRulesDmn(RULES), count('deployedDecisionDefinitions'));

  await server.close();
}

async function main(): Promise<void> {
  await run('PGlite in memory', undefined);
  try {
    const postgres = await startThrowawayPostgres({ durable: true, onStopError: (message: string) => console.error(message) });
    await run('PostgreSQL 15, durable', postgres.url);
  } finally {
    stopAllThrowawayPostgres();
  }
}

await main();
