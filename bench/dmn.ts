/**
 * DMN benchmark: a 20-rule, 3-input UNIQUE table parsed once, 100,000 evaluations, ours against dmn-eval-js; then
 * REST `POST /decision-definition/key/risk/evaluate` requests per second against the server in-process on in-memory PGlite.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { evaluateDecision, parseDmn } from '../src/index.js';
import { deploy } from '../src/services/deployment-service.js';
import { HttpClient } from './http-client.js';
import { startInProcessServer } from './in-process-server.js';

// dmn-eval-js is CommonJS with an object export that ESM cannot destructure by name.
const { decisionTable: dmnEvalJs } = createRequire(import.meta.url)('@hbtgmbh/dmn-eval-js') as typeof import('@hbtgmbh/dmn-eval-js');

const EVALUATIONS = Number(process.argv[2] ?? 100_000);
const WARM_UP = 5_000;
const REST_REQUESTS = Number(process.argv[3] ?? 5_000);
const REST_CONCURRENCY = 8;
const fixture = (name: string) => readFileSync(new URL(`../test/fixtures/dmn/${name}`, import.meta.url), 'utf8');

/** Deterministic varied inputs (a small LCG), including ages outside every rule (no match). */
function inputs(count: number): Array<{ age: number; category: string; amount: number }> {
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: count }, () => ({
    age: 10 + Math.floor(next() * 110),
    category: 'ABCDEFGHIJ'[Math.floor(next() * 10)],
    amount: Math.floor(next() * 2_000_000),
  }));
}

/** The score the table gives, computed in plain JS, to check both engines before timing them. */
function oracle({ age, category, amount }: { age: number; category: string; amount: number }): number | null {
  const ageBin = age >= 18 && age < 30 ? 0 : age >= 30 && age < 45 ? 1 : age >= 45 && age < 60 ? 2 : age >= 60 && age <= 120 ? 3 : -1;
  const categoryBin = Math.floor('ABCDEFGHIJ'.indexOf(category) / 2);
  if (ageBin < 0) return null;
  const rule = ageBin * 5 + categoryBin + 1;
  const amountTest = (ageBin + categoryBin) % 3;
  if (amountTest === 0 && !(amount < 1_000_000)) return null;
  if (amountTest === 1 && !(amount >= 0)) return null;
  return rule * 10;
}

function time(label: string, run: (input: ReturnType<typeof inputs>[number]) => unknown, data: ReturnType<typeof inputs>): number {
  for (let i = 0; i < WARM_UP; i++) run(data[i % data.length]);
  const start = process.hrtime.bigint();
  for (let i = 0; i < EVALUATIONS; i++) run(data[i % data.length]);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const rate = EVALUATIONS / seconds;
  console.log(`${label.padEnd(28)} ${EVALUATIONS} evaluations in ${seconds.toFixed(2)} s: ${Math.round(rate).toLocaleString('en')} evaluations/s`);
  return rate;
}

async function main(): Promise<void> {
  // Only inputs some rule matches: dmn-eval-js logs every miss to the console, which would time its logging.
  const data = inputs(3_000).filter((input) => oracle(input) !== null).slice(0, 1_000);
  const parseStart = process.hrtime.bigint();
  const model = await parseDmn(fixture('bench-table.dmn'), 'bench-table.dmn');
  const ourParse = Number(process.hrtime.bigint() - parseStart) / 1e6;
  const theirStart = process.hrtime.bigint();
  const decisions = await dmnEvalJs.parseDmnXml(fixture('bench-table-dmn11.dmn'));
  const theirParse = Number(process.hrtime.bigint() - theirStart) / 1e6;

  const ours = (input: ReturnType<typeof inputs>[number]) => {
    const { resultList } = evaluateDecision(model, 'risk', input);
    return resultList.length === 0 ? null : resultList[0].score;
  };
  const theirs = (input: ReturnType<typeof inputs>[number]) => {
    const result = dmnEvalJs.evaluateDecision('risk', decisions, input) as { score?: number } | undefined;
    return result?.score ?? null;
  };
  for (const input of data) {
    const expected = oracle(input);
    if (ours(input) !== expected) throw new Error(`ours disagrees with the oracle on ${JSON.stringify(input)}`);
    if (theirs(input) !== expected) throw new Error(`dmn-eval-js disagrees with the oracle on ${JSON.stringify(input)}`);
  }
  console.log(`node ${process.version}; both engines agree with the oracle on ${data.length} inputs; parse: ours ${ourParse.toFixed(1)} ms, dmn-eval-js ${theirParse.toFixed(1)} ms (first parse, cold)`);
  const theirRate = time('dmn-eval-js 1.5.0 (DMN 1.1)', theirs, data);
  const ourRate = time('ours (DMN 1.3)', ours, data);
  console.log(`ratio: ${(ourRate / theirRate).toFixed(1)}x (target >= 10x)`);
  await restEvaluate(data);
}

/** REST evaluate over HTTP on loopback: the server and this load generator share the process (and its cores). */
async function restEvaluate(data: ReturnType<typeof inputs>): Promise<void> {
  const server = await startInProcessServer({ maxUploadBytes: 1 << 20 });
  await deploy(server.ctx, { name: 'bench', source: null, tenantId: null, enableDuplicateFiltering: false, deployChangedOnly: false, resources: [{ name: 'bench-table.dmn', content: Buffer.from(fixture('bench-table.dmn')) }] });
  const client = new HttpClient(server.restUrl, REST_CONCURRENCY);
  const body = (input: ReturnType<typeof inputs>[number]) => ({
    variables: { age: { value: input.age, type: 'Integer' }, category: { value: input.category, type: 'String' }, amount: { value: input.amount, type: 'Integer' } },
  });
  const check = JSON.parse(await client.expect('POST', '/decision-definition/key/risk/evaluate', 200, body(data[0]))) as Array<{ score: { value: number } }>;
  if (check[0]?.score.value !== oracle(data[0])) throw new Error(`REST evaluate disagrees with the oracle: ${JSON.stringify(check)}`);
  const run = async (count: number) => {
    let next = 0;
    await Promise.all(Array.from({ length: REST_CONCURRENCY }, async () => {
      while (next < count) {
        const input = data[next++ % data.length];
        await client.expect('POST', '/decision-definition/key/risk/evaluate', 200, body(input));
      }
    }));
  };
  await run(500);
  const start = process.hrtime.bigint();
  await run(REST_REQUESTS);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(`REST evaluate (in-process server, PGlite in memory, ${REST_CONCURRENCY} concurrent keep-alive clients): ${REST_REQUESTS} requests in ${seconds.toFixed(2)} s: ${Math.round(REST_REQUESTS / seconds).toLocaleString('en')} requests/s`);
  client.close();
  await server.close();
}

await main();
