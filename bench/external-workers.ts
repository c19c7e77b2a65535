/** REST external-task workers for the benchmark: long-poll fetchAndLock on plain keep-alive HTTP and complete every task. */
import { performance } from 'node:perf_hooks';
import { HttpClient } from './http-client.js';

const REST = '/engine-rest';
const MAX_COMPLETE_ATTEMPTS = 20;
/** Failed polls a worker sends again within one phase before the phase fails. */
const MAX_FETCH_ERRORS = 100;

export interface WorkerSettings {
  topic: string;
  maxTasks: number;
  asyncResponseTimeoutMs: number;
  lockDurationMs: number;
}

/** The fields of a locked task the benchmark reads. */
export interface DeliveredTask {
  id: string;
  processInstanceId: string;
  /** Camunda format, e.g. 2024-05-01T10:00:00.123+0000. */
  createTime: string;
}

/** Per-worker counts since the last resetStats(). */
export interface WorkerStats {
  fetchRequests: number;
  emptyFetches: number;
  tasksCompleted: number;
  /** Completes answered with an OptimisticLockingException (Camunda 7: two completes joining at once) and sent again. */
  completeRetries: number;
  /** Polls answered with a 500 (they locked nothing) and sent again. */
  fetchErrors: number;
}

/** Sub-millisecond wall-clock time in epoch ms: the server stamps createTime with the same machine clock. */
export function epochNowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Camunda's `+0000` offset is not ISO 8601 (`+00:00`), which Date.parse requires. */
export function parseCamundaDate(text: string): number {
  const value = Date.parse(text.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  if (Number.isNaN(value)) throw new Error(`cannot parse date '${text}'`);
  return value;
}

class Worker {
  readonly stats: WorkerStats = { fetchRequests: 0, emptyFetches: 0, tasksCompleted: 0, completeRetries: 0, fetchErrors: 0 };
  /** True while a fetchAndLock request is outstanding (parked or being answered). */
  polling = false;
  private readonly client: HttpClient;

  constructor(baseUrl: string, readonly workerId: string) {
    // One socket per worker, as a real worker process holds one keep-alive connection.
    this.client = new HttpClient(baseUrl, 1);
  }

  /**
   * Completes one task. A Camunda 7 engine answers a complete that conflicts with a concurrent one on the same
   * instance (e.g. two branches reaching a parallel join) with an OptimisticLockingException and expects the client
   * to retry, as a worker of its external-task client would; the latency then includes the retries.
   */
  private async complete(taskId: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const res = await this.client.request('POST', `${REST}/external-task/${taskId}/complete`, { workerId: this.workerId });
      if (res.status === 204) return;
      if (res.status === 500 && res.body.includes('"OptimisticLockingException"') && attempt < MAX_COMPLETE_ATTEMPTS) {
        this.stats.completeRetries += 1;
        continue;
      }
      throw new Error(`complete of external task ${taskId}: HTTP ${res.status}: ${res.body.slice(0, 500)}`);
    }
  }

  async run(pool: ExternalWorkerPool, settings: WorkerSettings, signal: AbortSignal): Promise<void> {
    const fetchBody = {
      workerId: this.workerId,
      maxTasks: settings.maxTasks,
      usePriority: true,
      asyncResponseTimeout: settings.asyncResponseTimeoutMs,
      topics: [{ topicName: settings.topic, lockDuration: settings.lockDurationMs }],
    };
    try {
      while (!signal.aborted) {
        this.stats.fetchRequests += 1;
        this.polling = true;
        let body: string;
        try {
          const res = await this.client.request('POST', `${REST}/external-task/fetchAndLock`, fetchBody, {}, signal);
          // A failed poll locked nothing (its transaction rolled back): a worker polls again, as Camunda's client does.
          // Operaton answers some polls that meet an ending instance with a NullPointerException.
          if (res.status === 500 && this.stats.fetchErrors < MAX_FETCH_ERRORS) {
            this.stats.fetchErrors += 1;
            continue;
          }
          if (res.status !== 200) throw new Error(`fetchAndLock: HTTP ${res.status}: ${res.body.slice(0, 500)}`);
          body = res.body;
        } catch (error) {
          if (signal.aborted) return;
          throw error;
        } finally {
          this.polling = false;
        }
        const arrivedAt = epochNowMs();
        const tasks = JSON.parse(body) as DeliveredTask[];
        if (tasks.length === 0) this.stats.emptyFetches += 1;
        for (const task of tasks) pool.delivered(task, arrivedAt);
        // Sequentially, as one worker with one connection would; 8 workers give 8 concurrent completes.
        for (const task of tasks) {
          const started = performance.now();
          await this.complete(task.id);
          this.stats.tasksCompleted += 1;
          pool.completed(task, performance.now() - started);
        }
      }
    } finally {
      this.client.close();
    }
  }
}

/**
 * N workers on one topic. Phases read and reset the counters; the workers keep polling across phases, so each
 * phase starts with every worker parked, as a long-running worker fleet would be.
 */
export class ExternalWorkerPool {
  private readonly workers: Worker[];
  private readonly abort = new AbortController();
  private running: Promise<void> | null = null;
  private failure: unknown;
  private completedTotal = 0;
  private lastCompletionAt = 0;
  private waiters: Array<{ target: number; resolve(): void; reject(error: unknown): void }> = [];
  /** Delivery times (epoch ms) per process instance since the last resetStats(). */
  readonly deliveries = new Map<string, { arrivedAt: number; createTime: number }>();
  completeLatenciesMs: number[] = [];

  constructor(baseUrl: string, count: number, private readonly settings: WorkerSettings) {
    this.workers = Array.from({ length: count }, (_, i) => new Worker(baseUrl, `bench-worker-${i + 1}`));
  }

  start(): void {
    this.running = Promise.all(
      this.workers.map((worker) =>
        worker.run(this, this.settings, this.abort.signal).catch((error: unknown) => {
          this.failure ??= error;
          for (const waiter of this.waiters) waiter.reject(error);
          this.waiters = [];
        }),
      ),
    ).then(() => undefined);
  }

  /** Aborts the parked polls and waits for every worker to return. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  get completedCount(): number {
    return this.completedTotal;
  }

  /** performance.now() of the latest completion. */
  get lastCompletion(): number {
    return this.lastCompletionAt;
  }

  get stats(): WorkerStats[] {
    return this.workers.map((worker) => ({ ...worker.stats }));
  }

  resetStats(): void {
    for (const worker of this.workers) Object.assign(worker.stats, { fetchRequests: 0, emptyFetches: 0, tasksCompleted: 0, completeRetries: 0, fetchErrors: 0 });
    this.deliveries.clear();
    this.completeLatenciesMs = [];
  }

  delivered(task: DeliveredTask, arrivedAt: number): void {
    this.deliveries.set(task.processInstanceId, { arrivedAt, createTime: parseCamundaDate(task.createTime) });
  }

  completed(_task: DeliveredTask, latencyMs: number): void {
    this.completedTotal += 1;
    this.lastCompletionAt = performance.now();
    this.completeLatenciesMs.push(latencyMs);
    this.waiters = this.waiters.filter((waiter) => {
      if (this.completedTotal < waiter.target) return true;
      waiter.resolve();
      return false;
    });
  }

  /** Resolves once `target` tasks have been completed since start(); rejects on a worker failure or a stall. */
  async waitForCompleted(target: number, stallMs = 30_000): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    if (this.completedTotal >= target) return;
    let lastSeen = this.completedTotal;
    let watchdog: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        this.waiters.push({ target, resolve, reject });
        // No progress for stallMs means lost tasks (e.g. a lock held by a vanished poll): fail instead of hanging.
        watchdog = setInterval(() => {
          if (this.completedTotal === lastSeen) reject(new Error(`workers stalled at ${this.completedTotal} of ${target} completed tasks`));
          lastSeen = this.completedTotal;
        }, stallMs);
      });
    } finally {
      clearInterval(watchdog);
    }
  }

  /** Resolves once every worker has a poll outstanding again (parked, since no work is left), then lets it settle. */
  async allPolling(settleMs = 100): Promise<void> {
    const deadline = performance.now() + 10_000;
    while (!this.workers.every((worker) => worker.polling)) {
      if (performance.now() > deadline) throw new Error('workers did not return to polling within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await new Promise((resolve) => setTimeout(resolve, settleMs));
  }
}
