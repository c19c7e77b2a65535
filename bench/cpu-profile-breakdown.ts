/**
 * `npm run bench:profile -- [--instances N] <file.cpuprofile>…`: where a server's CPU went, from V8 CPU profiles
 * (`BENCH_CPU_PROF_DIR`; one per cluster worker, summed), grouped into the parts of a command: SQL, the engine's recover, resume, run and snapshot,
 * variables, history, HTTP, logging and garbage collection. Idle time is left out.
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const inPackage = (frame: CallFrame, ...names: string[]) => names.some((name) => frame.url.includes(`/node_modules/${name}/`));
const inSource = (frame: CallFrame, ...files: string[]) => files.some((file) => frame.url.includes(`/src/${file}`));
const named = (frame: CallFrame, ...names: string[]) => names.includes(frame.functionName);
const inEngineLibrary = (frame: CallFrame) => inPackage(frame, 'bpmn-engine', 'bpmn-elements', 'smqp');

/** The first rule any frame of a sample's stack matches names its category; the order decides overlaps. */
const RULES: Array<{ category: string; matches(frame: CallFrame): boolean }> = [
  { category: 'garbage collection', matches: (frame) => frame.functionName === '(garbage collector)' },
  { category: 'SQL: building queries, the pg protocol, socket writes, parsing rows', matches: (frame) => inPackage(frame, 'knex', 'pg', 'pg-protocol', 'pg-pool', 'pg-types', '@electric-sql/pglite', 'knex-pglite') },
  { category: 'engine: recover the instance from its state', matches: (frame) => inEngineLibrary(frame) && named(frame, 'recover') },
  { category: 'engine: resume (re-announce what waits)', matches: (frame) => inEngineLibrary(frame) && named(frame, 'resume') },
  { category: 'engine: serialize the state', matches: (frame) => inEngineLibrary(frame) && named(frame, 'getState') },
  { category: 'engine: run the command (execute, signal, hooks, expressions)', matches: (frame) => named(frame, 'runProcessCommand') || inSource(frame, 'engine/', 'expressions/') || inEngineLibrary(frame) },
  { category: 'variables: load, convert, write', matches: (frame) => named(frame, 'loadInstanceVariables', 'persistVariableChanges', 'writeVariable') || inSource(frame, 'core/typed-value') },
  { category: 'history writes', matches: (frame) => named(frame, 'writeActivityHistory') || inSource(frame, 'persistence/history', 'persistence/historic-', 'services/decision-history', 'services/history-') },
  { category: 'logging', matches: (frame) => inPackage(frame, 'pino', 'pino-std-serializers', 'sonic-boom') || inSource(frame, 'telemetry/logger', 'server/request-log') },
  { category: 'HTTP, routing and JSON', matches: (frame) => inPackage(frame, 'express', 'router', 'body-parser', 'raw-body', 'finalhandler', 'send') || frame.url.startsWith('node:_http') || frame.url.startsWith('node:net') || inSource(frame, 'server/') },
];
const OTHER = 'other: services, Node internals';
const IGNORED = new Set(['(idle)', '(program)']);

export interface Breakdown {
  totalMs: number;
  categories: Array<{ category: string; ms: number; share: number }>;
}

/** Sums the profiles' samples per category; `(idle)` and `(program)` samples are left out of the total. */
export function breakDown(profiles: CpuProfile[]): Breakdown {
  const micros = new Map<string, number>();
  for (const profile of profiles) {
    for (const [category, time] of microsByCategory(profile)) micros.set(category, (micros.get(category) ?? 0) + time);
  }
  const total = [...micros.values()].reduce((sum, each) => sum + each, 0);
  return {
    totalMs: total / 1000,
    categories: [...micros].sort((a, b) => b[1] - a[1]).map(([category, time]) => ({ category, ms: time / 1000, share: time / total })),
  };
}

function microsByCategory(profile: CpuProfile): Map<string, number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const microsByNode = new Map<number, number>();
  profile.samples.forEach((id, index) => microsByNode.set(id, (microsByNode.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const micros = new Map<string, number>();
  for (const [id, time] of microsByNode) {
    if (IGNORED.has(byId.get(id)!.callFrame.functionName)) continue;
    const stack: CallFrame[] = [];
    for (let current: number | undefined = id; current !== undefined; current = parentOf.get(current)) stack.push(byId.get(current)!.callFrame);
    const category = RULES.find((rule) => stack.some((frame) => rule.matches(frame)))?.category ?? OTHER;
    micros.set(category, (micros.get(category) ?? 0) + time);
  }
  return micros;
}

function main(): void {
  const args = process.argv.slice(2);
  const at = args.indexOf('--instances');
  const instances = at >= 0 ? Number(args.splice(at, 2)[1]) : undefined;
  if (args.length === 0 || (instances !== undefined && !(instances > 0))) throw new Error('usage: npm run bench:profile -- [--instances N] <file.cpuprofile>...');
  const { totalMs, categories } = breakDown(args.map((file) => JSON.parse(readFileSync(file, 'utf8')) as CpuProfile));
  console.log(`${totalMs.toFixed(0)} ms of CPU in ${args.length} profile(s), idle left out${instances ? `; ${(totalMs / instances).toFixed(2)} ms per instance over ${instances}` : ''}`);
  for (const { category, ms, share } of categories) {
    console.log(`${(share * 100).toFixed(1).padStart(5)}%  ${instances ? `${(ms / instances).toFixed(2).padStart(6)} ms  ` : ''}${category}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
