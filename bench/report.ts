/** Formats the benchmark's results as readable tables and writes them as JSON under bench/results/. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BareEngineResult } from './bare-engine.js';
import type { ExternalScenarioResult } from './external-task-scenario.js';
import type { MachineInfo } from './machine-info.js';
import type { ParallelScenarioResult } from './parallel-scenario.js';
import type { PhaseResult, ScenarioResult } from './rest-scenario.js';

export interface BenchResults {
  startedAt: string;
  config: { instances: number; clients: number; warmup: number };
  machine: MachineInfo;
  persisted: (ScenarioResult & { database: string }) | null;
  bareEngine: BareEngineResult | null;
  /** The "single external task" scenario; null when none of its parts was selected. */
  externalTask: ExternalTaskResults | null;
  /** The "10-way parallel fork and join" scenario; null when none of its parts was selected. */
  parallel: ParallelResults | null;
}

export interface ParallelResults {
  config: { instances: number; startClients: number; warmup: number; workers: number; maxTasks: number; calibrationInstances: number };
  persisted: (ParallelScenarioResult & { database: string }) | null;
}

export interface ExternalTaskResults {
  config: { instances: number; startClients: number; warmup: number; workers: number; maxTasks: number; lowLoadInstances: number; lowLoadIntervalMs: number };
  persisted: (ExternalScenarioResult & { database: string }) | null;
  bareEngine: BareEngineResult | null;
}

/** p99 of creation → delivery to a parked poll at low load must stay below this. */
export const PARKED_DELIVERY_P99_TARGET_MS = 50;

/** Where the commit counts come from: PostgreSQL, never the engine's own counters. */
const COMMITS_NOTE = 'Commits are writing transactions counted by PostgreSQL (transaction ids taken, minus the measurement\'s own); commands come from engine_commands_total.';

const resultsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');

const num = (value: number | null, digits = 1) => (value === null || Number.isNaN(value) ? '–' : value.toFixed(digits));

function phaseRow(label: string, phase: PhaseResult, step: string): string[] {
  const latency = phase.latency[step];
  return [
    label,
    num(phase.instancesPerSecond),
    num(latency?.p50Ms ?? null, 2),
    num(latency?.p99Ms ?? null, 2),
    num(phase.serverCpuMsPerInstance, 2),
    num(phase.databaseCpuMsPerInstance, 2),
    num(phase.loadGeneratorCpuMsPerInstance, 2),
    num(phase.commandsPerInstance, 3),
    num(phase.commits / phase.instances, 3),
  ];
}

/** A plain-text table: the first row is the header, the first column left-aligned, the others right-aligned. */
export function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row, i) => {
    const line = row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
    return i === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
  }).join('\n');
}

export function formatResults(results: BenchResults): string {
  const { machine } = results;
  const lines: string[] = [];
  lines.push(`Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.totalMemoryGiB} GiB, load ${machine.loadAverage1m.toFixed(2)} at start; Node ${machine.node}; ${machine.postgres ?? 'no PostgreSQL'}`);
  lines.push(COMMITS_NOTE, '');
  if (results.persisted || results.bareEngine) lines.push(...formatUserTask(results));
  if (results.externalTask) lines.push('', ...formatExternalTask(results.externalTask));
  if (results.parallel) lines.push('', ...formatParallel(results.parallel, results));
  return lines.join('\n');
}

function formatUserTask(results: BenchResults): string[] {
  const { config } = results;
  const lines: string[] = [];
  lines.push(`Scenario "single user task": ${config.instances} instances, ${config.clients} concurrent clients, ${config.warmup} warm-up instances`);
  lines.push('');
  const header = ['phase', 'inst/s', 'p50 ms', 'p99 ms', 'server CPU ms/inst', 'PG CPU ms/inst', 'client CPU ms/inst', 'cmds/inst', 'commits/inst'];
  const rows = [header];
  const scenarios: Array<[string, ScenarioResult]> = [];
  if (results.persisted) scenarios.push(['persisted (PostgreSQL, durable)', results.persisted]);
  for (const [name, scenario] of scenarios) {
    rows.push(phaseRow(`${name}: start`, scenario.start, 'start'));
    rows.push(phaseRow(`${name}: complete`, scenario.complete, 'complete'));
  }
  if (scenarios.length > 0) lines.push(table(rows));
  lines.push('');
  lines.push('Latency is the command request alone; the complete phase also queries the task first (task query latency below) and its inst/s and CPU include that query.');
  for (const [name, scenario] of scenarios) {
    const query = scenario.complete.latency['task query'];
    if (query) lines.push(`  ${name}: task query p50 ${num(query.p50Ms, 2)} ms, p99 ${num(query.p99Ms, 2)} ms`);
  }
  const commitChecks = scenarios.flatMap(([name, s]) => [[`${name} start`, s.start], [`${name} complete`, s.complete]] as Array<[string, PhaseResult]>);
  // Per instance, not per command: engine_commands_total also counts the job executor's background commands.
  const off = commitChecks.filter(([, phase]) => phase.commits !== phase.instances);
  lines.push(off.length === 0 ? 'Commits per instance: exactly 1.000 in every phase (one command per instance).' : `Commit target (one per instance, one command each) missed in: ${off.map(([n]) => n).join(', ')}`);
  if (results.bareEngine) {
    const bare = results.bareEngine;
    lines.push('');
    lines.push(`Reference: bare bpmn-engine in this process (execute → getState → recover → resume → signal → completed, sequential):`);
    lines.push(`  ${num(bare.instancesPerSecond)} instances/s (full lifecycle, i.e. start + complete), ${num(bare.cpuMsPerInstance, 3)} CPU ms per instance`);
  }
  return lines;
}

const isOne = (value: number) => Math.abs(value - 1) < 1e-9;

function formatExternalTask(external: ExternalTaskResults): string[] {
  const { config } = external;
  const lines: string[] = [];
  lines.push(`Scenario "single external task": ${config.instances} instances started by ${config.startClients} concurrent clients, ${config.workers} REST workers`);
  lines.push(`long-polling fetchAndLock (maxTasks ${config.maxTasks}, usePriority, asyncResponseTimeout 10 s, lockDuration 60 s) and completing each task; ${config.warmup} warm-up instances`);
  lines.push('');
  const scenarios: Array<[string, ExternalScenarioResult]> = [];
  if (external.persisted) scenarios.push(['persisted (PostgreSQL, durable)', external.persisted]);
  if (scenarios.length > 0) {
    const rows = [['run', 'completed inst/s', 'tasks/s/worker (min–max)', 'server CPU ms/inst', 'PG CPU ms/inst', 'client CPU ms/inst', 'commits/inst', 'commits/complete', 'commits/fetch req', 'tasks/fetch']];
    for (const [name, s] of scenarios) {
      const t = s.throughput;
      const perWorker = t.tasksPerSecondPerWorker;
      rows.push([
        name,
        num(t.completedInstancesPerSecond),
        `${num(perWorker.mean)} (${num(perWorker.min)}–${num(perWorker.max)})`,
        num(t.serverCpuMsPerInstance, 2),
        num(t.databaseCpuMsPerInstance, 2),
        num(t.loadGeneratorCpuMsPerInstance, 2),
        num(t.commitBreakdown.commitsPerInstance, 3),
        num(s.calibration.commitsPerComplete, 3),
        num(t.commitBreakdown.commitsPerFetchRequest, 3),
        num(t.tasksPerFetch, 2),
      ]);
    }
    lines.push(table(rows));
    lines.push('');
    lines.push('Under load (throughput phase), p50 / p99 ms:');
    for (const [name, s] of scenarios) {
      const l = s.throughput.latency;
      const b = s.throughput.commitBreakdown;
      lines.push(`  ${name}: start ${num(l.start.p50Ms, 2)} / ${num(l.start.p99Ms, 2)}, complete ${num(l.complete.p50Ms, 2)} / ${num(l.complete.p99Ms, 2)}, creation → delivery ${num(l.deliveryFromCreate.p50Ms, 2)} / ${num(l.deliveryFromCreate.p99Ms, 2)}`);
      lines.push(`    ${b.commits} commits = ${b.starts} starts + ${b.completes} completes + ${b.fetchRequests} fetchAndLock requests (${b.emptyFetches} answered [] ) at ${num(b.commitsPerFetchRequest, 3)} commits each; ${num(s.throughput.wallMs / 1000, 2)} s wall`);
    }
    lines.push('');
    lines.push(`Low load: ${config.lowLoadInstances} instances started one at a time, ${config.lowLoadIntervalMs} ms apart, all workers parked; delivery = fetchAndLock response arrival minus`);
    lines.push(`the task's createTime (same machine clock), and minus the start response's arrival (negative when the task arrives first).`);
    for (const [name, s] of scenarios) {
      const low = s.lowLoad;
      const met = low.deliveryFromCreate.p99Ms < PARKED_DELIVERY_P99_TARGET_MS;
      lines.push(
        `  ${name}: from createTime p50 ${num(low.deliveryFromCreate.p50Ms, 2)} ms, p99 ${num(low.deliveryFromCreate.p99Ms, 2)} ms, max ${num(low.deliveryFromCreate.maxMs, 2)} ms ` +
          `(${met ? 'meets' : 'MISSES'} p99 < ${PARKED_DELIVERY_P99_TARGET_MS} ms)`,
      );
      lines.push(`    from the start response p50 ${num(low.deliveryFromStartResponse.p50Ms, 2)} ms, p99 ${num(low.deliveryFromStartResponse.p99Ms, 2)} ms; the start request itself p50 ${num(low.start.p50Ms, 2)} ms, p99 ${num(low.start.p99Ms, 2)} ms`);
      const b = low.commitBreakdown;
      lines.push(`    ${b.commits} commits for ${b.starts} instances: ${num(b.commitsPerInstance, 3)} per instance; ${b.fetchRequests} fetchAndLock requests at ${num(b.commitsPerFetchRequest, 3)} commits each`);
      lines.push(`    server CPU ${num(low.serverCpuMsPerInstance, 2)} ms/inst, PG CPU ${num(low.databaseCpuMsPerInstance, 2)} ms/inst`);
    }
    lines.push('');
    lines.push('Commits per command, measured alone with no poll parked (calibration), and per fetchAndLock request in the phases:');
    for (const [name, s] of scenarios) {
      const c = s.calibration;
      // A fetchAndLock commits once when it locks tasks and not at all when it finds nothing (no transaction).
      const checks: Array<[string, number, (value: number) => boolean]> = [
        ['complete', c.commitsPerComplete, isOne],
        ['fetchAndLock (immediate, locking tasks)', c.commitsPerImmediateFetch, isOne],
        ['fetchAndLock (immediate, empty)', c.commitsPerEmptyImmediateFetch, (value) => value === 0],
        ['fetchAndLock request, low load', s.lowLoad.commitBreakdown.commitsPerFetchRequest, (value) => value <= 1.0005],
        ['fetchAndLock request, throughput', s.throughput.commitBreakdown.commitsPerFetchRequest, (value) => value <= 1.0005],
      ];
      const off = checks.filter(([, value, ok]) => !ok(value));
      lines.push(`  ${name}: start ${num(c.commitsPerStart, 3)}, ${checks.map(([label, value]) => `${label} ${num(value, 3)}`).join(', ')}`);
      lines.push(`    ${off.length === 0 ? 'target met: one commit per complete and per fetchAndLock that locks tasks, none for an empty one' : `target MISSED (one commit per complete and per locking fetchAndLock, none for an empty one) in: ${off.map(([label]) => label).join('; ')}`}`);
    }
  }
  if (external.bareEngine) {
    const bare = external.bareEngine;
    lines.push(`Reference: bare bpmn-engine, external-task lifecycle (execute → getState → recover → resume → signal → completed, sequential):`);
    lines.push(`  ${num(bare.instancesPerSecond)} instances/s, ${num(bare.cpuMsPerInstance, 3)} CPU ms per instance`);
  }
  return lines;
}

/** One instance's cost, whatever the scenario: the rows of the side-by-side table. */
interface PerInstance {
  instancesPerSecond: number;
  serverCpuMs: number;
  databaseCpuMs: number | null;
  commands: number;
  commits: number;
}

/** The user-task lifecycle is measured as two phases (all starts, then all completes); an instance costs both. */
function userTaskPerInstance(scenario: ScenarioResult): PerInstance {
  const { start, complete } = scenario;
  const pg = start.databaseCpuMsPerInstance === null || complete.databaseCpuMsPerInstance === null ? null : start.databaseCpuMsPerInstance + complete.databaseCpuMsPerInstance;
  return {
    instancesPerSecond: (start.instances * 1000) / (start.wallMs + complete.wallMs),
    serverCpuMs: start.serverCpuMsPerInstance + complete.serverCpuMsPerInstance,
    databaseCpuMs: pg,
    commands: start.commandsPerInstance + complete.commandsPerInstance,
    commits: (start.commits + complete.commits) / start.instances,
  };
}

function externalPerInstance(scenario: ExternalScenarioResult): PerInstance {
  const t = scenario.throughput;
  return {
    instancesPerSecond: t.completedInstancesPerSecond,
    serverCpuMs: t.serverCpuMsPerInstance,
    databaseCpuMs: t.databaseCpuMsPerInstance,
    commands: t.commitBreakdown.commands / t.instances,
    commits: t.commitBreakdown.commitsPerInstance,
  };
}

function parallelPerInstance(scenario: ParallelScenarioResult): PerInstance {
  const t = scenario.throughput;
  return {
    instancesPerSecond: t.completedInstancesPerSecond,
    serverCpuMs: t.serverCpuMsPerInstance,
    databaseCpuMs: t.databaseCpuMsPerInstance,
    commands: t.commitBreakdown.commandsPerInstance,
    commits: t.commitBreakdown.commitsPerInstance,
  };
}

const times = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? '–' : `${num(a / b, 1)}×`);

function formatParallel(parallel: ParallelResults, results: BenchResults): string[] {
  const { config } = parallel;
  const lines: string[] = [];
  lines.push(`Scenario "10-way parallel fork and join": ${config.instances} instances of start → fork → 10 external tasks (topic fan-out) → join → end,`);
  lines.push(`started by ${config.startClients} concurrent clients while ${config.workers} REST workers long-poll fetchAndLock (maxTasks ${config.maxTasks}, asyncResponseTimeout 10 s) and`);
  lines.push(`complete every task, until all instances are COMPLETED; ${config.warmup} warm-up instances; ${config.calibrationInstances} calibration instances (after as many for warm-up) before the workers poll`);
  lines.push('');
  const scenarios: Array<[string, ParallelScenarioResult]> = [];
  if (parallel.persisted) scenarios.push(['persisted (PostgreSQL, durable)', parallel.persisted]);
  const rows = [['run', 'completed inst/s', 'tasks/s', 'server CPU ms/inst', 'PG CPU ms/inst', 'client CPU ms/inst', 'cmds/inst', 'commits/inst', 'claims/inst', 'tasks/fetch']];
  for (const [name, s] of scenarios) {
    const t = s.throughput;
    const b = t.commitBreakdown;
    rows.push([
      name,
      num(t.completedInstancesPerSecond),
      num(t.completedTasksPerSecond, 0),
      num(t.serverCpuMsPerInstance, 2),
      num(t.databaseCpuMsPerInstance, 2),
      num(t.loadGeneratorCpuMsPerInstance, 2),
      num(b.commandsPerInstance, 2),
      num(b.commitsPerInstance, 2),
      num(b.claimCommitsPerInstance, 2),
      num(t.tasksPerFetch, 2),
    ]);
  }
  lines.push(table(rows));
  lines.push('');
  lines.push('Commits: starts and completes at their calibrated rates, the rest are fetchAndLock claims (a poll that finds nothing commits nothing).');
  for (const [name, s] of scenarios) {
    const t = s.throughput;
    const b = t.commitBreakdown;
    const c = s.calibration;
    lines.push(`  ${name}: ${b.commits} commits = ${b.starts} starts × ${num(c.commitsPerStart, 3)} + ${b.completes} completes × ${num(c.commitsPerComplete, 3)} + ${num(b.claimCommits, 0)} claims;`);
    lines.push(`    ${b.fetchRequests} fetchAndLock requests, ${b.lockingFetches} returned tasks, ${b.emptyFetches} answered []; ${b.commands} commands; ${num(t.wallMs / 1000, 2)} s wall`);
    lines.push(`    p50 / p99 ms: start ${num(t.latency.start.p50Ms, 2)} / ${num(t.latency.start.p99Ms, 2)}, complete ${num(t.latency.complete.p50Ms, 2)} / ${num(t.latency.complete.p99Ms, 2)}, instance (start response → last complete) ${num(t.latency.instance.p50Ms, 1)} / ${num(t.latency.instance.p99Ms, 1)}`);
  }
  lines.push('');
  lines.push('Each command alone (calibration, no worker polling), p50 ms: start (creates 10 tasks), then complete by tasks of the instance still open');
  lines.push('(the complete at 1 open also passes the join and ends the instance):');
  for (const [name, s] of scenarios) {
    const c = s.calibration;
    const byWaiting = c.completeByWaiting.map((step) => `${step.waiting}: ${num(step.latency.p50Ms, 2)}`).join(', ');
    lines.push(`  ${name}: start ${num(c.start.p50Ms, 2)}; complete at ${byWaiting}`);
  }
  lines.push('');
  lines.push('Beside the other scenarios of this run, per completed instance (user task: start + complete phases, including the complete phase\'s task query):');
  const side = [['scenario', 'inst/s', 'server CPU ms/inst', 'PG CPU ms/inst', 'cmds/inst', 'commits/inst']];
  const sideRow = (name: string, p: PerInstance) => side.push([name, num(p.instancesPerSecond), num(p.serverCpuMs, 2), num(p.databaseCpuMs, 2), num(p.commands, 2), num(p.commits, 2)]);
  const baselines: Array<[string, PerInstance, PerInstance | null]> = [];
  const pairs: Array<[string, (ScenarioResult & { database: string }) | null, (ExternalScenarioResult & { database: string }) | null | undefined, (ParallelScenarioResult & { database: string }) | null]> = [
    ['persisted', results.persisted, results.externalTask?.persisted, parallel.persisted],
  ];
  for (const [label, userTask, external, par] of pairs) {
    const parallelCost = par ? parallelPerInstance(par) : null;
    if (userTask) {
      const cost = userTaskPerInstance(userTask);
      sideRow(`${label}: single user task`, cost);
      baselines.push([`${label} single user task`, cost, parallelCost]);
    }
    if (external) {
      const cost = externalPerInstance(external);
      sideRow(`${label}: single external task`, cost);
      baselines.push([`${label} single external task`, cost, parallelCost]);
    }
    if (parallelCost) sideRow(`${label}: 10-way parallel`, parallelCost);
  }
  if (side.length > 1) lines.push(table(side));
  for (const [name, base, par] of baselines) {
    if (!par) continue;
    lines.push(`  10-way parallel / ${name}: server CPU ${times(par.serverCpuMs, base.serverCpuMs)}, PG CPU ${times(par.databaseCpuMs, base.databaseCpuMs)}, commits ${times(par.commits, base.commits)}, throughput ${times(par.instancesPerSecond, base.instancesPerSecond)}`);
  }
  if (baselines.length === 0) lines.push('  (no single-task scenario in this run: add persisted or external to BENCH_ONLY to compare)');
  return lines;
}

/** Writes any run's results as bench/results/<start time><suffix>.json; returns the file. */
export function writeResults(results: { startedAt: string }, suffix = ''): string {
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${results.startedAt.replace(/[:.]/g, '-')}${suffix}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}
