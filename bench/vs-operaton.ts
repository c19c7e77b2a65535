/**
 * `npm run bench -- --vs-operaton`: this engine against Operaton on one durable throwaway PostgreSQL, both running
 * throughout and only one under load at a time; per scenario a discarded warm-up round on each, then interleaved
 * rounds; then the user-task scenario again after filling both histories with completed instances.
 */
import { buildOperaton, operatonUnavailableReason, startOperaton } from '../scripts/operaton.mjs';
import { startThrowawayPostgres } from '../scripts/throwaway-postgres.mjs';
import { nonNegativeInteger, positiveInteger } from './bench-env.js';
import { freshDatabase } from './fresh-database.js';
import { growHistory, OPERATON_HISTORY, OUR_HISTORY, type GrowthResult, type HistorySchema } from './history-growth.js';
import { HttpClient } from './http-client.js';
import { readLiveEngineLookups } from './engine-metrics.js';
import { machineInfo } from './machine-info.js';
import { PgCounters, STATS_FLUSH_WAIT_MS, waitForStatsFlush } from './pg-counters.js';
import { startCpuMeter, startRssSampler } from './proc-cpu.js';
import { writeResults } from './report.js';
import { deployFixture } from './rest-scenario.js';
import { startServerChild } from './server-child.js';
import type { LatencySummary } from './stats.js';
import { formatVsOperaton, type EngineKey, type RoundMeasurement, type ScenarioComparison, type VsOperatonResults } from './vs-operaton-report.js';
import { vsScenarios, type VsScenario, type VsSettings } from './vs-operaton-scenarios.js';

/** One engine under test: its REST origin, the root of its process tree and its database. */
interface Contender {
  key: EngineKey;
  baseUrl: string;
  pid: number;
  datname: string;
  history: HistorySchema;
  databaseUrl: string;
}

const REST = '/engine-rest';
const OUR_DATABASE = 'engine';
const OPERATON_DATABASE = 'operaton';
/**
 * Job executor off, as ours; a default history time to live, since Operaton refuses to deploy a process without one
 * and some fixtures have none (ours does not enforce it).
 */
const OPERATON_PROPERTIES = ['--operaton.bpm.job-execution.enabled=false', '--operaton.bpm.generic-properties.properties.history-time-to-live=P1D'];

/** Runs one round on one engine and measures it: wall time, CPU of both process trees, peak RSS, commits by PostgreSQL. */
async function measureRound(engine: Contender, other: Contender, scenario: VsScenario, round: number, counters: PgCounters, databasePid: number): Promise<RoundMeasurement> {
  // Each round's readings start from flushed statistics: the previous round of this database ended with a flush wait.
  const commitsBefore = await counters.commits();
  const writesBefore = await counters.writes();
  const meter = startCpuMeter({ serverPid: engine.pid, databasePid });
  const rss = startRssSampler(engine.pid);
  const cpu = () => {
    const reading = meter.read();
    return { serverMs: reading.serverMs, databaseMs: reading.databaseMs ?? 0 };
  };
  const metrics = engine.key === 'ours' ? new HttpClient(engine.baseUrl, 1) : null;
  const lookupsBefore = metrics ? await readLiveEngineLookups(metrics) : null;
  const outcome = await scenario.run(engine.baseUrl, cpu);
  const peakRssBytes = rss.stop();
  const lookupsAfter = metrics ? await readLiveEngineLookups(metrics) : null;
  metrics?.close();
  const hits = lookupsBefore && lookupsAfter ? lookupsAfter.hits - lookupsBefore.hits : 0;
  const lookups = lookupsBefore && lookupsAfter ? hits + lookupsAfter.misses - lookupsBefore.misses : 0;
  const writes = (await counters.writes()) - writesBefore;
  await waitForStatsFlush();
  const commitsAfter = await counters.commits();
  const delta = (datname: string) => (commitsAfter.get(datname) ?? 0) - (commitsBefore.get(datname) ?? 0);
  const perInstance = (value: number) => value / outcome.instances;
  return {
    engine: engine.key,
    round,
    instances: outcome.instances,
    tasks: outcome.tasks,
    wallMs: outcome.wallMs,
    instancesPerSecond: (outcome.instances * 1000) / outcome.wallMs,
    tasksPerSecond: (outcome.tasks * 1000) / outcome.wallMs,
    serverCpuMsPerInstance: perInstance(outcome.cpu.serverMs),
    databaseCpuMsPerInstance: perInstance(outcome.cpu.databaseMs),
    peakRssMiB: peakRssBytes / 2 ** 20,
    writesPerInstance: perInstance(writes),
    commitsPerInstance: perInstance(delta(engine.datname)),
    idleEngineCommits: delta(other.datname),
    latency: outcome.latency,
    retriesPerInstance: perInstance(outcome.retries),
    ...(lookups > 0 ? { liveEngineHitRate: hits / lookups } : {}),
    phases: outcome.phases.map((phase) => ({
      name: phase.name,
      instancesPerSecond: (phase.instances * 1000) / phase.wallMs,
      serverCpuMsPerInstance: phase.cpu.serverMs / phase.instances,
      databaseCpuMsPerInstance: phase.cpu.databaseMs / phase.instances,
      latency: phase.latency as Record<string, LatencySummary>,
    })),
  };
}

async function checkHistory(engine: Contender, scenario: VsScenario, expected: number): Promise<void> {
  const client = new HttpClient(engine.baseUrl, 1);
  try {
    const finished = JSON.parse(await client.expect('GET', `${REST}/history/process-instance/count?processDefinitionKey=${scenario.processKey}&finished=true`, 200)) as { count: number };
    const running = JSON.parse(await client.expect('GET', `${REST}/process-instance/count?processDefinitionKey=${scenario.processKey}`, 200)) as { count: number };
    if (running.count !== 0) throw new Error(`${engine.key}: ${running.count} instances of ${scenario.processKey} still running after the rounds`);
    if (finished.count !== expected) throw new Error(`${engine.key}: ${finished.count} finished instances of ${scenario.processKey} in history, expected ${expected}`);
  } finally {
    client.close();
  }
}

/** A discarded warm-up round on each engine, then `rounds` interleaved rounds, the first engine alternating. */
async function compare(scenario: VsScenario, engines: [Contender, Contender], rounds: number, counters: PgCounters, databasePid: number, log: (message: string) => void): Promise<RoundMeasurement[]> {
  for (const engine of engines) {
    await scenario.run(engine.baseUrl, () => ({ serverMs: 0, databaseMs: 0 }));
    log(`${scenario.key}: warm-up round on ${engine.key} done`);
  }
  await waitForStatsFlush();
  const measurements: RoundMeasurement[] = [];
  for (let round = 1; round <= rounds; round++) {
    const order = round % 2 === 1 ? engines : ([engines[1], engines[0]] as const);
    for (const [i, engine] of order.entries()) {
      const m = await measureRound(engine, order[1 - i], scenario, round, counters, databasePid);
      log(`${scenario.key} round ${round} on ${engine.key}: ${m.instancesPerSecond.toFixed(1)} inst/s, server CPU ${m.serverCpuMsPerInstance.toFixed(2)} ms/inst, ${m.writesPerInstance.toFixed(2)} writes/inst`);
      measurements.push(m);
    }
  }
  return measurements;
}

function settingsFromEnv(): VsSettings & { rounds: number; growthInstances: number; only: Set<string>; workersPerServer: string | undefined } {
  return {
    instances: positiveInteger('BENCH_INSTANCES', 1000),
    clients: positiveInteger('BENCH_CLIENTS', 16),
    workers: positiveInteger('BENCH_WORKERS', 4),
    maxTasks: positiveInteger('BENCH_MAX_TASKS', 10),
    parallelInstances: positiveInteger('BENCH_PARALLEL_INSTANCES', 200),
    multiInstances: positiveInteger('BENCH_MI_INSTANCES', 4),
    reviewers: positiveInteger('BENCH_MI_REVIEWERS', 200),
    rounds: positiveInteger('BENCH_ROUNDS', 3),
    growthInstances: nonNegativeInteger('BENCH_GROWTH_INSTANCES', 100_000),
    only: new Set((process.env.BENCH_ONLY || 'user-task,external,parallel,multi-instance').split(',').map((s) => s.trim())),
    workersPerServer: process.env.BENCH_WORKERS_PER_SERVER || undefined,
  };
}

export async function runVsOperaton({ processesDir, log }: { processesDir: string; log: (message: string) => void }): Promise<void> {
  const settings = settingsFromEnv();
  const scenarios = vsScenarios(settings).filter((scenario) => settings.only.has(scenario.key));
  if (scenarios.length === 0) throw new Error(`BENCH_ONLY selects none of user-task, external, parallel, multi-instance`);
  const unavailable = operatonUnavailableReason();
  if (unavailable) throw new Error(`Operaton cannot run here: ${unavailable}`);
  const artifacts = await buildOperaton({ log: (message: string) => log(`Operaton: ${message}`) });
  const startedAt = new Date().toISOString();

  const postgres = await startThrowawayPostgres({ durable: true, maxConnections: 200, onStopError: (m: string) => log(m) });
  log(`durable PostgreSQL on port ${postgres.port} (${postgres.version})`);
  try {
    const counters = await PgCounters.connect(postgres.url);
    const ourUrl = await freshDatabase(postgres.url, OUR_DATABASE);
    const server = await startServerChild({ DATABASE_URL: ourUrl, JOB_EXECUTOR: 'false', PROCESSES_DIR: processesDir, ...(settings.workersPerServer ? { WORKERS: settings.workersPerServer } : {}) });
    log(`this engine: pid ${server.pid} at ${server.baseUrl}`);
    const operaton = await startOperaton({ adminUrl: postgres.url, artifacts, log: (m: string) => log(`Operaton: ${m}`), jvmArgs: ['-Xmx1g'], properties: OPERATON_PROPERTIES });
    const operatonUrl = new URL(postgres.url);
    operatonUrl.pathname = `/${OPERATON_DATABASE}`;
    const engines: [Contender, Contender] = [
      { key: 'ours', baseUrl: server.baseUrl, pid: server.pid, datname: OUR_DATABASE, history: OUR_HISTORY, databaseUrl: ourUrl },
      { key: 'operaton', baseUrl: new URL(operaton.url).origin, pid: operaton.pid!, datname: OPERATON_DATABASE, history: OPERATON_HISTORY, databaseUrl: operatonUrl.toString() },
    ];
    try {
      const comparisons: ScenarioComparison[] = [];
      for (const scenario of scenarios) {
        for (const engine of engines) {
          const client = new HttpClient(engine.baseUrl, 1);
          await deployFixture(client, scenario.fixture).finally(() => client.close());
        }
        const rounds = await compare(scenario, engines, settings.rounds, counters, postgres.pid, log);
        for (const engine of engines) await checkHistory(engine, scenario, (settings.rounds + 1) * scenario.instancesPerRound);
        comparisons.push({ key: scenario.key, title: scenario.title, description: scenario.description, rounds });
      }

      let growth: VsOperatonResults['growth'] = null;
      const userTask = scenarios.find((scenario) => scenario.key === 'user-task');
      if (settings.growthInstances > 0 && userTask) {
        const filled: Partial<Record<EngineKey, GrowthResult>> = {};
        for (const engine of engines) {
          filled[engine.key] = await growHistory(engine.databaseUrl, engine.history, userTask.processKey, settings.growthInstances);
          log(`growth: ${settings.growthInstances} completed instances copied into ${engine.key}'s history in ${(filled[engine.key]!.ms / 1000).toFixed(1)} s (${JSON.stringify(filled[engine.key]!.rows)})`);
        }
        const rounds = await compare(userTask, engines, 1, counters, postgres.pid, (m) => log(`growth: ${m}`));
        growth = { instancesAdded: settings.growthInstances, filled: filled as Record<EngineKey, GrowthResult>, rounds };
      }

      const results: VsOperatonResults = {
        startedAt,
        machine: machineInfo(postgres.version),
        config: { ...settings, only: [...settings.only], workersPerServer: settings.workersPerServer ?? null, statsFlushWaitMs: STATS_FLUSH_WAIT_MS, operatonJvmArgs: ['-Xmx1g'], operatonProperties: OPERATON_PROPERTIES },
        scenarios: comparisons,
        growth,
      };
      process.stdout.write(`\n${formatVsOperaton(results)}\n`);
      log(`results written to ${writeResults(results, '-vs-operaton')}`);
    } finally {
      await counters.close();
      await server.stop();
      operaton.stop();
    }
  } finally {
    postgres.stop();
  }
}
