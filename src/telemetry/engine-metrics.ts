/**
 * A ServiceContext's metrics on its own prom-client Registry (tests run many contexts in one process): counters of
 * committed work, command durations, this node's gauges, cluster gauges read from the database at scrape time, and
 * the counts Camunda's meter log (`/engine-rest/metrics`) has not received yet.
 */
import { AggregatorRegistry, collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type Aggregator } from 'prom-client';
import type { WorkEvent } from './committed-work.js';

/** What this node's Kafka transport did (the relay and the result consumer count; /metrics reads it). */
export interface KafkaMetrics {
  published: number;
  publishFailures: number;
  /** The relay's current wait before it tries Kafka again; 0 while Kafka answers. */
  relayBackoffMs: number;
  /** From a row becoming due to its message being acknowledged by Kafka, for the last batch published. */
  lastPublishLagMs: number;
  resultsApplied: number;
  resultsIgnored: number;
  resultsDeadLettered: number;
}

/** Gauges that describe every node's work, read from the database when /metrics is scraped. */
export interface ClusterGauges {
  activeInstances: ReadonlyArray<{ processDefinitionKey: string; count: number }>;
  openIncidents: ReadonlyArray<{ incidentType: string; count: number }>;
  /** Executable jobs whose due date passed and that no executor holds. */
  dueJobs: number;
  /** Of those, the ones due for longer than JOB_OVERDUE_AFTER_SECONDS. */
  overdueJobs: number;
  /** The due date of the longest waiting of those jobs. */
  oldestDueJob: Date | null;
  /** The Kafka outbox: deliveries due and not published yet (null without Kafka). */
  outbox: { pending: number; oldestDue: Date | null } | null;
}

/** Connections of the database pool (knex/tarn; PGlite's pool holds its one session). */
export interface PoolUsage {
  used: number;
  free: number;
  pending: number;
  max: number;
}

export interface MetricsSources {
  cluster(): Promise<ClusterGauges>;
  pool(): PoolUsage;
  now(): Date;
  /** The Kafka transport's counters; null when Kafka is not configured (its metrics are then not shown). */
  kafka: KafkaMetrics | null;
  /** The engines this node keeps between commands (engine/live-engines.ts). */
  liveEngines: { readonly size: number; readonly lookups: { readonly hits: number; readonly misses: number } };
}

/** Who writes this node's meter counts to the meter log, and how often (METRICS_REPORTER, METRICS_REPORT_INTERVAL). */
export interface MeterReporting {
  reporter: string;
  /** 0: never written (the counts stay in memory; /engine-rest/metrics sums still include them). */
  intervalMs: number;
}

/** One process's metrics as prom-client hands them between processes (`Registry.getMetricsAsJSON`). */
export type NodeMetrics = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

/** The node metrics of the other worker processes of this server (WORKERS > 1), for /metrics to add to this one's. */
export type PeerMetrics = () => Promise<NodeMetrics[]>;

/** A due job nobody ran for this long counts as overdue: far beyond any job executor's poll interval. */
export const JOB_OVERDUE_AFTER_SECONDS = 60;

/** Distinct `topic` label values a node keeps; the rest are counted under OTHER_TOPIC. */
export const MAX_TOPIC_LABELS = 100;
export const OTHER_TOPIC = 'other';

/** Camunda's meter names (ACT_RU_METER_LOG's internal names) this engine counts. */
export const METER_NAMES = [
  'activity-instance-start',
  'activity-instance-end',
  'root-process-instance-start',
  'executed-decision-instances',
  'executed-decision-elements',
  'job-acquisition-attempt',
  'job-acquired-success',
  'job-successful',
  'job-failed',
] as const;
export type MeterName = (typeof METER_NAMES)[number];

const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function secondsSince(since: Date | null, now: Date): number {
  return since ? Math.max(0, (now.getTime() - since.getTime()) / 1000) : 0;
}

export class EngineMetrics {
  readonly registry = new Registry();
  private defaultMetrics = false;
  private unreported = new Map<MeterName, number>();
  /** Gauges read from the database: the scraping worker's fresh values stand for the cluster, never a sum over workers. */
  private readonly clusterGaugeNames = new Set<string>();
  private peers: PeerMetrics | null = null;

  private readonly commands = this.counter('engine_commands_total', 'Commands run on this node, whether they commit or roll back.');
  private readonly commits = this.counter('engine_transactions_committed_total', 'Write transactions committed by engine commands on this node.');
  private readonly commandDuration = new Histogram({
    name: 'engine_command_duration_seconds',
    help: 'How long commands took on this node, from their start to their commit or rollback, by command name.',
    labelNames: ['command', 'outcome'],
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  private readonly instancesStarted = this.counter('engine_process_instances_started_total', 'Process instances started (called ones included) by commands this node committed, by definition key.', ['process_definition_key']);
  private readonly instancesCompleted = this.counter('engine_process_instances_completed_total', 'Process instances that reached their end in commands this node committed, by definition key.', ['process_definition_key']);
  private readonly instancesTerminated = this.counter('engine_process_instances_terminated_total', 'Process instances deleted or cancelled by commands this node committed, by definition key.', ['process_definition_key']);
  private readonly userTasksCreated = this.counter('engine_user_tasks_created_total', 'User tasks created by commands this node committed.');
  private readonly userTasksCompleted = this.counter('engine_user_tasks_completed_total', 'User tasks completed by commands this node committed (cancelled ones not).');
  private readonly externalTasks = {
    created: this.counter('engine_external_tasks_created_total', 'External tasks created by commands this node committed, by topic.', ['topic']),
    locked: this.counter('engine_external_tasks_locked_total', 'External tasks locked for a worker (fetchAndLock, lock, a Kafka delivery) by this node, by topic.', ['topic']),
    completed: this.counter('engine_external_tasks_completed_total', 'External tasks completed by workers through this node, by topic.', ['topic']),
    failed: this.counter('engine_external_tasks_failed_total', 'External task failures reported by workers through this node, by topic.', ['topic']),
  };
  private readonly jobsExecuted = this.counter('engine_jobs_executed_total', 'Jobs (timers, async continuations) this node ran, by outcome.', ['outcome']);
  private readonly parkedFetches = new Gauge({ name: 'engine_fetch_and_lock_parked', help: 'Long-polling fetchAndLock requests parked on this node.', registers: [this.registry] });
  private readonly cluster = {
    activeInstances: this.clusterGauge('engine_process_instances_active', 'Running process instances (all nodes), by definition key.', ['process_definition_key']),
    openIncidents: this.clusterGauge('engine_incidents_open', 'Open incidents (all nodes), by incident type.', ['incident_type']),
    dueJobs: this.clusterGauge('engine_jobs_due', 'Executable jobs whose due date passed and that no job executor holds (all nodes).'),
    overdueJobs: this.clusterGauge('engine_jobs_overdue', `Due jobs no job executor took for more than ${JOB_OVERDUE_AFTER_SECONDS} s (all nodes).`),
    jobLag: this.clusterGauge('engine_job_executor_lag_seconds', 'How long the longest waiting due job has waited for a job executor (all nodes; 0 when none waits).'),
  };
  private readonly pool = this.gauge('engine_database_pool_connections', 'Database pool connections of this node: used, free, pending (requests waiting for one) and max.', ['state']);

  /** The Kafka outbox (all nodes); only with Kafka configured. */
  private readonly outbox: { pending: Gauge; oldestDue: Gauge } | null = null;

  private readonly topics = new Set<string>();

  constructor(private readonly sources: MetricsSources, readonly reporting: MeterReporting) {
    const live = sources.liveEngines;
    this.counter('engine_live_engine_lookups_total', 'Commands on running instances by whether they continued the engine this node kept (hit) or recovered it from the stored state (miss).', ['result'], function () {
      this.reset();
      this.inc({ result: 'hit' }, live.lookups.hits);
      this.inc({ result: 'miss' }, live.lookups.misses);
    });
    this.gauge('engine_live_engines', 'Engines this node keeps between commands (at most ENGINE_CACHE_SIZE).', [], function () {
      this.set(live.size);
    });
    const kafka = sources.kafka;
    if (!kafka) return;
    this.outbox = {
      pending: this.clusterGauge('engine_kafka_outbox_pending', 'Deliveries due in the outbox and not yet published (all nodes).'),
      oldestDue: this.clusterGauge('engine_kafka_outbox_oldest_due_seconds', 'How long the oldest due delivery has waited to be published (all nodes): the outbox lag.'),
    };
    this.mirrored('engine_kafka_deliveries_published_total', 'External task deliveries this node published to Kafka.', () => kafka.published);
    this.mirrored('engine_kafka_publish_failures_total', 'Attempts of the outbox relay to publish that Kafka refused or did not answer.', () => kafka.publishFailures);
    this.gauge('engine_kafka_relay_backoff_milliseconds', 'How long the outbox relay waits before trying Kafka again (0 while Kafka answers).', [], function () {
      this.set(kafka.relayBackoffMs);
    }, 'max');
    this.gauge('engine_kafka_outbox_lag_milliseconds', 'From a delivery becoming due to Kafka acknowledging it, for the last batch published.', [], function () {
      this.set(kafka.lastPublishLagMs);
    }, 'max');
    this.counter('engine_kafka_job_results_total', 'Worker results read from Kafka by outcome.', ['outcome'], function () {
      this.reset();
      this.inc({ outcome: 'applied' }, kafka.resultsApplied);
      this.inc({ outcome: 'ignored' }, kafka.resultsIgnored);
      this.inc({ outcome: 'dead_lettered' }, kafka.resultsDeadLettered);
    });
  }

  private counter(name: string, help: string, labelNames: string[] = [], collect?: (this: Counter) => void): Counter {
    return new Counter({ name, help, labelNames, registers: [this.registry], collect });
  }

  private gauge(name: string, help: string, labelNames: string[] = [], collect?: (this: Gauge) => void, aggregator?: Aggregator): Gauge {
    return new Gauge({ name, help, labelNames, registers: [this.registry], collect, aggregator: aggregator ?? 'sum' });
  }

  private clusterGauge(name: string, help: string, labelNames: string[] = []): Gauge {
    this.clusterGaugeNames.add(name);
    return this.gauge(name, help, labelNames, undefined, 'first');
  }

  /** A counter kept by the Kafka transport as a plain number, shown as a Prometheus counter. */
  private mirrored(name: string, help: string, read: () => number): void {
    this.counter(name, help, [], function () {
      this.reset();
      this.inc(read());
    });
  }

  /** Called by runCommand when a command ends: its duration, and what it did if it committed. */
  commandFinished(command: string, seconds: number, committed: boolean, work: readonly WorkEvent[]): void {
    this.commands.inc();
    this.commandDuration.observe({ command, outcome: committed ? 'committed' : 'rolled_back' }, seconds);
    if (!committed) return;
    this.commits.inc();
    for (const event of work) this.count(event);
  }

  /**
   * A topic may be an expression evaluated per instance, so its values are not bounded by the models: past
   * MAX_TOPIC_LABELS distinct topics, further ones count as `other` (prom-client keeps every label set forever).
   */
  private topicLabel(topic: string): string {
    if (this.topics.has(topic) || this.topics.size < MAX_TOPIC_LABELS) {
      this.topics.add(topic);
      return topic;
    }
    return OTHER_TOPIC;
  }

  private count(event: WorkEvent): void {
    switch (event.kind) {
      case 'processInstanceStarted':
        this.instancesStarted.inc({ process_definition_key: event.processDefinitionKey });
        if (event.root) this.meter('root-process-instance-start', 1);
        return;
      case 'processInstanceEnded':
        (event.outcome === 'completed' ? this.instancesCompleted : this.instancesTerminated).inc({ process_definition_key: event.processDefinitionKey });
        return;
      case 'activityInstances':
        this.meter('activity-instance-start', event.started);
        this.meter('activity-instance-end', event.ended);
        return;
      case 'userTasks':
        if (event.created > 0) this.userTasksCreated.inc(event.created);
        if (event.completed > 0) this.userTasksCompleted.inc(event.completed);
        return;
      case 'externalTasks':
        if (event.count > 0) this.externalTasks[event.event].inc({ topic: this.topicLabel(event.topicName) }, event.count);
        return;
      case 'decisionInstances':
        this.meter('executed-decision-instances', event.count);
        return;
      case 'decisionElements':
        this.meter('executed-decision-elements', event.count);
        return;
      case 'jobAcquisition':
        this.meter('job-acquisition-attempt', 1);
        this.meter('job-acquired-success', event.acquired);
        return;
      case 'jobExecution':
        this.jobsExecuted.inc({ outcome: event.outcome });
        this.meter(event.outcome === 'successful' ? 'job-successful' : 'job-failed', 1);
        return;
    }
  }

  private meter(name: MeterName, count: number): void {
    if (count > 0) this.unreported.set(name, (this.unreported.get(name) ?? 0) + count);
  }

  /** A long poll parked (+1) or answered (-1) on this node. */
  parkedFetchesChanged(delta: 1 | -1): void {
    this.parkedFetches.inc(delta);
  }

  /** This node's meter counts not yet written to the meter log, handed to the reporter (which gives them back on failure). */
  takeUnreported(): Map<MeterName, number> {
    const taken = this.unreported;
    this.unreported = new Map();
    return taken;
  }

  /** Gives back counts a failed report could not write, so the next report carries them. */
  restoreUnreported(counts: ReadonlyMap<MeterName, number>): void {
    for (const [name, count] of counts) this.meter(name, count);
  }

  unreportedCount(name: string): number {
    return this.unreported.get(name as MeterName) ?? 0;
  }

  /** With WORKERS > 1, /metrics adds the other workers' node metrics to this one's, so any worker describes the server. */
  aggregateWith(peers: PeerMetrics): void {
    this.peers = peers;
  }

  /** This process's metrics for another worker's /metrics: everything but the cluster gauges, which the scraping worker reads fresh. */
  async nodeMetrics(): Promise<NodeMetrics> {
    this.startDefaultMetrics();
    this.readPool();
    return (await this.registry.getMetricsAsJSON()).filter((metric) => !this.clusterGaugeNames.has(metric.name));
  }

  private startDefaultMetrics(): void {
    if (this.defaultMetrics) return;
    // On the first scrape, not per context: each call starts its own event-loop and GC observers.
    this.defaultMetrics = true;
    collectDefaultMetrics({ register: this.registry });
  }

  private readPool(): void {
    const pool = this.sources.pool();
    for (const state of ['used', 'free', 'pending', 'max'] as const) this.pool.set({ state }, pool[state]);
  }

  /** The Prometheus text exposition: cluster gauges and pool usage are read now. */
  async scrape(): Promise<{ contentType: string; text: string }> {
    this.startDefaultMetrics();
    const cluster = await this.sources.cluster();
    const now = this.sources.now();
    this.cluster.activeInstances.reset();
    for (const row of cluster.activeInstances) this.cluster.activeInstances.set({ process_definition_key: row.processDefinitionKey }, row.count);
    this.cluster.openIncidents.reset();
    for (const row of cluster.openIncidents) this.cluster.openIncidents.set({ incident_type: row.incidentType }, row.count);
    this.cluster.dueJobs.set(cluster.dueJobs);
    this.cluster.overdueJobs.set(cluster.overdueJobs);
    this.cluster.jobLag.set(secondsSince(cluster.oldestDueJob, now));
    this.readPool();
    if (this.outbox && cluster.outbox) {
      this.outbox.pending.set(cluster.outbox.pending);
      this.outbox.oldestDue.set(secondsSince(cluster.outbox.oldestDue, now));
    }
    if (!this.peers) return { contentType: this.registry.contentType, text: await this.registry.metrics() };
    // This worker's metrics first: a cluster gauge's aggregator takes the first (fresh) value.
    const [own, peers] = await Promise.all([this.registry.getMetricsAsJSON(), this.peers()]);
    return { contentType: this.registry.contentType, text: await AggregatorRegistry.aggregate([own, ...peers]).metrics() };
  }
}
