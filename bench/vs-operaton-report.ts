/** Formats `npm run bench -- --vs-operaton`: per scenario the median ratios over the rounds, latencies, memory and commits of both engines. */
import type { GrowthResult } from './history-growth.js';
import type { MachineInfo } from './machine-info.js';
import { table } from './report.js';
import type { LatencySummary } from './stats.js';

export type EngineKey = 'ours' | 'operaton';

export interface RoundMeasurement {
  engine: EngineKey;
  round: number;
  instances: number;
  tasks: number;
  wallMs: number;
  instancesPerSecond: number;
  tasksPerSecond: number;
  /** CPU of the server's whole process tree (a cluster primary and its workers; the JVM) per completed instance. */
  serverCpuMsPerInstance: number;
  /** CPU of PostgreSQL's process tree; both engines share it, only this one was under load. */
  databaseCpuMsPerInstance: number;
  /** Peak resident memory of the server's process tree, sampled every 250 ms. */
  peakRssMiB: number;
  /** Writing transactions (transaction ids taken in the cluster) per instance. */
  writesPerInstance: number;
  /** pg_stat_database.xact_commit of the engine's database per instance (read-only transactions too). */
  commitsPerInstance: number;
  /** xact_commit of the idle engine's database during the round: its background work, which also takes transaction ids when it writes. */
  idleEngineCommits: number;
  latency: Record<string, LatencySummary>;
  /** Completes sent again after an OptimisticLockingException, per instance. */
  retriesPerInstance: number;
  phases: Array<{ name: string; instancesPerSecond: number; serverCpuMsPerInstance: number; databaseCpuMsPerInstance: number; latency: Record<string, LatencySummary> }>;
  /** This engine only: the share of commands on running instances that continued an engine a worker kept (ENGINE_CACHE_SIZE). */
  liveEngineHitRate?: number;
}

export interface ScenarioComparison {
  key: string;
  title: string;
  description: string;
  rounds: RoundMeasurement[];
}

export interface VsOperatonResults {
  startedAt: string;
  machine: MachineInfo;
  config: Record<string, unknown>;
  scenarios: ScenarioComparison[];
  growth: { instancesAdded: number; filled: Record<EngineKey, GrowthResult>; rounds: RoundMeasurement[] } | null;
}

const LABEL: Record<EngineKey, string> = { ours: 'this engine', operaton: 'Operaton' };

const num = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const of = (rounds: readonly RoundMeasurement[], engine: EngineKey) => rounds.filter((r) => r.engine === engine);
const med = (rounds: readonly RoundMeasurement[], pick: (r: RoundMeasurement) => number) => median(rounds.map(pick));

/** Ours / Operaton per round (rounds paired by number), then the median of those ratios. */
function medianRatio(rounds: readonly RoundMeasurement[], pick: (r: RoundMeasurement) => number): { median: number; perRound: number[] } {
  const ours = of(rounds, 'ours');
  const perRound = ours.map((o) => {
    const theirs = rounds.find((r) => r.engine === 'operaton' && r.round === o.round);
    return theirs ? pick(o) / pick(theirs) : Number.NaN;
  });
  return { median: median(perRound), perRound };
}

function latencyLine(rounds: readonly RoundMeasurement[], steps: readonly string[]): string {
  return steps
    .filter((step) => rounds.some((r) => r.latency[step]))
    .map((step) => `${step} ${num(med(rounds, (r) => r.latency[step]?.p50Ms ?? Number.NaN), 1)} / ${num(med(rounds, (r) => r.latency[step]?.p99Ms ?? Number.NaN), 1)}`)
    .join(', ');
}

const STEPS = ['start', 'task query', 'complete', 'instance'];

function engineRows(rounds: readonly RoundMeasurement[], withTasks: boolean): string[][] {
  const header = ['engine (median of rounds)', 'inst/s', ...(withTasks ? ['tasks/s'] : []), 'server CPU ms/inst', 'PG CPU ms/inst', 'peak RSS MiB', 'writes/inst', 'commits/inst'];
  const rows = [header];
  for (const engine of ['ours', 'operaton'] as const) {
    const mine = of(rounds, engine);
    if (mine.length === 0) continue;
    rows.push([
      LABEL[engine],
      num(med(mine, (r) => r.instancesPerSecond)),
      ...(withTasks ? [num(med(mine, (r) => r.tasksPerSecond), 0)] : []),
      num(med(mine, (r) => r.serverCpuMsPerInstance), 2),
      num(med(mine, (r) => r.databaseCpuMsPerInstance), 2),
      num(Math.max(...mine.map((r) => r.peakRssMiB)), 0),
      num(med(mine, (r) => r.writesPerInstance), 2),
      num(med(mine, (r) => r.commitsPerInstance), 2),
    ]);
  }
  return rows;
}

function formatScenario(scenario: ScenarioComparison): string[] {
  const { rounds } = scenario;
  const withTasks = rounds.some((r) => r.tasks !== r.instances);
  const lines = [`Scenario ${scenario.title}: ${scenario.description}; ${of(rounds, 'ours').length} interleaved round(s) after a discarded warm-up round on each`, ''];
  lines.push(table(engineRows(rounds, withTasks)));
  const throughput = medianRatio(rounds, (r) => r.instancesPerSecond);
  const cpu = medianRatio(rounds, (r) => r.serverCpuMsPerInstance);
  const perRound = (values: number[]) => values.map((v) => num(v, 2)).join(', ');
  lines.push(`Ours / Operaton, median over rounds: throughput ${num(throughput.median, 2)}× (rounds ${perRound(throughput.perRound)}), server CPU per instance ${num(cpu.median, 2)}× (rounds ${perRound(cpu.perRound)})`);
  lines.push('p50 / p99 ms (median over rounds):');
  for (const engine of ['ours', 'operaton'] as const) lines.push(`  ${LABEL[engine].padEnd(11)} ${latencyLine(of(rounds, engine), STEPS)}`);
  const phases = [...new Set(rounds.flatMap((r) => r.phases.map((p) => p.name)))];
  for (const phase of phases) {
    const pick = (engine: EngineKey, f: (p: RoundMeasurement['phases'][number]) => number) => median(of(rounds, engine).map((r) => r.phases.find((p) => p.name === phase)).filter((p) => p !== undefined).map(f));
    const cells = (['ours', 'operaton'] as const).map((engine) => `${LABEL[engine]} ${num(pick(engine, (p) => p.instancesPerSecond))} inst/s, ${num(pick(engine, (p) => p.serverCpuMsPerInstance), 2)} server CPU ms/inst`);
    const ratio = median(of(rounds, 'ours').map((o) => {
      const mine = o.phases.find((p) => p.name === phase);
      const theirs = rounds.find((r) => r.engine === 'operaton' && r.round === o.round)?.phases.find((p) => p.name === phase);
      return mine && theirs ? mine.instancesPerSecond / theirs.instancesPerSecond : Number.NaN;
    }));
    lines.push(`  ${phase} phase: ${cells.join('; ')}; throughput ratio ${num(ratio, 2)}×`);
  }
  for (const engine of ['ours', 'operaton'] as const) {
    const retries = med(of(rounds, engine), (r) => r.retriesPerInstance);
    if (retries > 0) lines.push(`  ${LABEL[engine]}: ${num(retries, 2)} requests per instance failed and were sent again: completes answered OptimisticLockingException (their retries are in the complete latency), polls answered 500`);
  }
  const hitRate = med(of(rounds, 'ours'), (r) => r.liveEngineHitRate ?? Number.NaN);
  if (Number.isFinite(hitRate)) lines.push(`  ${LABEL.ours}: ${num(100 * hitRate, 0)}% of the commands on running instances continued an engine its server process kept (the rest recovered it)`);
  const idle = Math.max(...rounds.map((r) => r.idleEngineCommits));
  if (idle > 0) lines.push(`  (the idle engine committed up to ${idle} transactions during a round: background work, also in the cluster-wide writes if it wrote)`);
  return lines;
}

function formatGrowth(results: VsOperatonResults): string[] {
  const growth = results.growth!;
  const before = results.scenarios.find((s) => s.key === 'user-task')!.rounds;
  const lines = [`Growth: scenario (a) again after ${growth.instancesAdded.toLocaleString('en-US')} completed instances were added to each engine's history (one round after a warm-up)`];
  for (const engine of ['ours', 'operaton'] as const) {
    const filled = growth.filled[engine];
    const rows = Object.entries(filled.rows).map(([table, count]) => `${table} ${count}`).join(', ');
    lines.push(`  ${LABEL[engine]}: ${filled.sourceInstances} real completed instances × ${filled.copiesPerSource} copies, ${(filled.ms / 1000).toFixed(1)} s; rows: ${rows}`);
  }
  lines.push('  Filled by INSERT … SELECT over generate_series: every history row (ours hist_*, Operaton ACT_HI_*) of the source instances copied,');
  lines.push('  primary-key and process-instance-id columns replaced by md5(old value, copy number) uuids, every other column kept; then ANALYZE.');
  lines.push('');
  const rows = [['engine', 'inst/s before', 'inst/s after', 'after/before', 'server CPU ms/inst before', 'after', 'after/before', 'PG CPU ms/inst before', 'after']];
  for (const engine of ['ours', 'operaton'] as const) {
    const b = of(before, engine);
    const a = of(growth.rounds, engine);
    const ips = [med(b, (r) => r.instancesPerSecond), med(a, (r) => r.instancesPerSecond)];
    const cpu = [med(b, (r) => r.serverCpuMsPerInstance), med(a, (r) => r.serverCpuMsPerInstance)];
    const pgCpu = [med(b, (r) => r.databaseCpuMsPerInstance), med(a, (r) => r.databaseCpuMsPerInstance)];
    rows.push([LABEL[engine], num(ips[0]), num(ips[1]), `${num(ips[1] / ips[0], 2)}×`, num(cpu[0], 2), num(cpu[1], 2), `${num(cpu[1] / cpu[0], 2)}×`, num(pgCpu[0], 2), num(pgCpu[1], 2)]);
  }
  lines.push(table(rows));
  lines.push(`  p50 / p99 ms after: ${(['ours', 'operaton'] as const).map((engine) => `${LABEL[engine]}: ${latencyLine(of(growth.rounds, engine), STEPS)}`).join('; ')}`);
  return lines;
}

export function formatVsOperaton(results: VsOperatonResults): string {
  const { machine } = results;
  const lines = [
    `Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.totalMemoryGiB} GiB, load ${machine.loadAverage1m.toFixed(2)} at start; Node ${machine.node}; ${machine.postgres ?? 'no PostgreSQL'} (fsync=on, synchronous_commit=on)`,
    'This engine against Operaton (full JIT, -Xmx1g), both running throughout on one PostgreSQL cluster, job executors off, one under load at a time.',
    'Server CPU and RSS: the server\'s whole process tree from /proc; PG CPU: the postmaster\'s tree. Writes: transaction ids the cluster handed out;',
    'commits: the engine database\'s pg_stat_database.xact_commit (read-only transactions too), read after the statistics flush. Measurement queries excluded.',
  ];
  for (const scenario of results.scenarios) lines.push('', ...formatScenario(scenario));
  if (results.growth) lines.push('', ...formatGrowth(results));
  return lines.join('\n');
}
