/**
 * A runnable worker for the `check-eligibility` topic of examples/eligibility.bpmn, over REST or Kafka:
 *   ENGINE_URL=http://localhost:8080/engine-rest npx tsx examples/eligibility-worker.ts   (deploys the process, then polls)
 *   KAFKA_BROKERS=127.0.0.1:9092 KAFKA_TOPIC_PREFIX=engine npx tsx examples/eligibility-worker.ts
 * Optional: ENGINE_USER / ENGINE_PASSWORD (Basic auth), WORKER_ID. Ctrl-C stops it gracefully.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
// Elsewhere: import { createWorker, type WorkerOptions } from 'camunda7-compatible-engine/worker';
import { createWorker, type WorkerOptions } from '../src/worker/index.js';

const env = process.env;
const workerId = env.WORKER_ID ?? 'eligibility-1';
const auth = env.ENGINE_USER ? { username: env.ENGINE_USER, password: env.ENGINE_PASSWORD ?? '' } : undefined;

function workerOptions(): WorkerOptions {
  if (env.ENGINE_URL) return { transport: 'rest', baseUrl: env.ENGINE_URL, workerId, auth };
  if (env.KAFKA_BROKERS) {
    return { transport: 'kafka', brokers: env.KAFKA_BROKERS.split(','), topicPrefix: env.KAFKA_TOPIC_PREFIX ?? 'engine', workerId };
  }
  throw new Error('Set ENGINE_URL (REST) or KAFKA_BROKERS (Kafka) to say where the engine is');
}

/** Deploys examples/eligibility.bpmn unless the engine has it already. */
async function deployProcess(baseUrl: string): Promise<void> {
  const form = new FormData();
  form.set('deployment-name', 'eligibility');
  form.set('deploy-changed-only', 'true');
  form.set('eligibility.bpmn', new Blob([await readFile(new URL('./eligibility.bpmn', import.meta.url))]), 'eligibility.bpmn');
  const headers: Record<string, string> = auth ? { Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` } : {};
  const response = await fetch(`${baseUrl}/deployment/create`, { method: 'POST', body: form, headers });
  if (!response.ok) throw new Error(`deploying eligibility.bpmn failed: ${response.status} ${await response.text()}`);
  console.log(`deployed eligibility.bpmn; start an instance with:
  curl -X POST ${baseUrl}/process-definition/key/eligibility/start -H 'Content-Type: application/json' \\
    -d '{"variables":{"memberId":{"value":"M-1001","type":"String"},"plan":{"value":"premium","type":"String"}}}'`);
}

const input = z.object({
  memberId: z.string().nullish(),
  plan: z.enum(['basic', 'premium']).default('basic'),
});

const output = z.object({
  eligible: z.boolean(),
  checkedAt: z.date(),
});

const options = workerOptions();
if (options.transport === 'rest') await deployProcess(options.baseUrl);

const worker = createWorker({ ...options, logger: { info: console.log, warn: console.warn, error: console.error } });

worker.subscribe(
  'check-eligibility',
  async (task) => {
    const { memberId, plan } = task.variables;
    // An unknown member is a business outcome, modelled as the BPMN error the boundary event catches.
    if (!memberId) return task.bpmnError('NOT_ELIGIBLE', 'no member id', { reason: 'unknown member' });
    if (memberId.startsWith('X-')) throw new Error('the membership register is unavailable'); // a technical failure: retried
    return task.complete({ eligible: plan === 'premium' || memberId.startsWith('M-'), checkedAt: new Date() });
  },
  { variables: input, output, lockDuration: 30_000, concurrency: 4 },
);

await worker.start();
console.log(`worker ${workerId} is polling check-eligibility over ${options.transport}; Ctrl-C stops it`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`${signal}: finishing the running tasks…`);
    worker.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
