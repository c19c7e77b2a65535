/**
 * Multi-instance and call-activity benchmark, this engine against Operaton in the same run, on one durable throwaway
 * PostgreSQL: a parallel multi-instance of N user tasks (default 200; time and commits to create them and to complete
 * them all one by one, and server CPU per completion at the start, middle and end), and a chain of five call
 * activities (start: six instances; completing the innermost task ends all six). Job executors are off. Writing
 * transactions are counted by PostgreSQL's transaction ids (a read-only transaction takes none; pg_stat_database's
 * counters are flushed too lazily to count one command).
 * Usage: npm run bench:multi-instance [-- <iterations> <chain rounds>]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { processTreeCpuMs } from './proc-cpu.js';
import { transactionId, writesSince } from './pg-counters.js';
import { call, deployFile, measureSideBySide, type BenchEngine } from './side-by-side.js';

const ITERATIONS = Number(process.argv[2] ?? 200);
const CHAIN_ROUNDS = Number(process.argv[3] ?? 20);
/** CPU ticks are 10 ms: each figure is the mean over a window of this many completions. */
const CPU_WINDOW = 10;
if (!Number.isInteger(ITERATIONS) || ITERATIONS < 3 * CPU_WINDOW) throw new Error(`the multi-instance needs at least ${3 * CPU_WINDOW} iterations (three CPU windows of ${CPU_WINDOW}), not ${process.argv[2]}`);
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURE = path.join(projectRoot, 'test', 'fixtures', 'bpmn', 'bench-multi-instance.bpmn');

const reviewers = (n: number) => ({ value: JSON.stringify(Array.from({ length: n }, (_, i) => `reviewer-${i}`)), type: 'Object', valueInfo: { objectTypeName: 'java.util.ArrayList<java.lang.String>', serializationDataFormat: 'application/json' } });

async function parallelMultiInstance(engine: BenchEngine): Promise<string> {
  const idBefore = await transactionId(engine.database);
  let started = performance.now();
  const instance = (await call('POST', `${engine.restUrl}/process-definition/key/bench-parallel-reviews/start`, { variables: { reviewers: reviewers(ITERATIONS) } })) as { id: string };
  const createMs = performance.now() - started;
  const createCommits = await writesSince(engine.database, idBefore);
  const tasks = (await call('GET', `${engine.restUrl}/task?processInstanceId=${instance.id}&maxResults=${ITERATIONS + 10}`)) as Array<{ id: string }>;
  if (tasks.length !== ITERATIONS) throw new Error(`${engine.label}: ${tasks.length} tasks instead of ${ITERATIONS}`);
  const idBeforeCompletions = await transactionId(engine.database);
  const cpuWindows: Record<string, number> = {};
  const windows = [{ label: 'first', from: 0 }, { label: 'middle', from: Math.floor(ITERATIONS / 2) - CPU_WINDOW / 2 }, { label: 'last', from: ITERATIONS - CPU_WINDOW }];
  started = performance.now();
  for (let i = 0; i < tasks.length; i++) {
    const window = windows.find((each) => each.from === i);
    const cpuBefore = window ? processTreeCpuMs(engine.pid) : 0;
    for (let j = i; j < (window ? i + CPU_WINDOW : i + 1); j++) await call('POST', `${engine.restUrl}/task/${tasks[j].id}/complete`, {});
    if (window) {
      cpuWindows[window.label] = (processTreeCpuMs(engine.pid) - cpuBefore) / CPU_WINDOW;
      i += CPU_WINDOW - 1;
    }
  }
  const completeMs = performance.now() - started;
  const completeCommits = await writesSince(engine.database, idBeforeCompletions);
  const history = (await call('GET', `${engine.restUrl}/history/process-instance/${instance.id}`)) as { state: string };
  if (history.state !== 'COMPLETED') throw new Error(`${engine.label}: the instance is ${history.state} after every task was completed`);
  return `${engine.label.padEnd(12)} parallel multi-instance of ${ITERATIONS}: created in ${createMs.toFixed(0)} ms, ${createCommits} writing transaction${createCommits === 1 ? '' : 's'}; ` +
    `all completed in ${(completeMs / 1000).toFixed(1)} s (${(completeMs / ITERATIONS).toFixed(1)} ms each, ${completeCommits} writing transactions); ` +
    `server CPU per completion ${cpuWindows.first.toFixed(1)} / ${cpuWindows.middle.toFixed(1)} / ${cpuWindows.last.toFixed(1)} ms (completions 1–${CPU_WINDOW}, middle ${CPU_WINDOW}, last ${CPU_WINDOW})`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function callChain(engine: BenchEngine): Promise<string> {
  const starts: number[] = [];
  const completions: number[] = [];
  const cpu: number[] = [];
  for (let round = 0; round < CHAIN_ROUNDS; round++) {
    const cpuBefore = processTreeCpuMs(engine.pid);
    let started = performance.now();
    const root = (await call('POST', `${engine.restUrl}/process-definition/key/bench-call-0/start`, { variables: { round: { value: round, type: 'Integer' } } })) as { id: string };
    starts.push(performance.now() - started);
    const [work] = (await call('GET', `${engine.restUrl}/task?processDefinitionKey=bench-call-5&maxResults=1`)) as Array<{ id: string }>;
    started = performance.now();
    await call('POST', `${engine.restUrl}/task/${work.id}/complete`, {});
    completions.push(performance.now() - started);
    cpu.push(processTreeCpuMs(engine.pid) - cpuBefore);
    const history = (await call('GET', `${engine.restUrl}/history/process-instance/${root.id}`)) as { state: string };
    if (history.state !== 'COMPLETED') throw new Error(`${engine.label}: the chain's root is ${history.state} after its innermost task was completed`);
  }
  return `${engine.label.padEnd(12)} call chain of depth 5 (${CHAIN_ROUNDS} rounds, medians): start (6 instances) ${median(starts).toFixed(1)} ms, ` +
    `completing the innermost task (ends all 6) ${median(completions).toFixed(1)} ms; server CPU per round ${median(cpu).toFixed(0)} ms`;
}


async function measure(engine: BenchEngine): Promise<void> {
  await deployFile(engine.restUrl, FIXTURE, 'multi-instance benchmark');
  // A warm-up round of each, as a running server would be.
  await callChain({ ...engine, label: `${engine.label} (warm-up)` }).catch((error: Error) => console.log(error.message));
  console.log(await parallelMultiInstance(engine));
  console.log(await callChain(engine));
}

await measureSideBySide('multi_instance', measure);
