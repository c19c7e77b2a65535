/** The REST transport: long-polls fetchAndLock per subscription, runs up to `concurrency` handlers, and posts their answers. */
import { Backoff, sleep } from '../core/backoff.js';
import { EngineRequestError, EngineRestClient, type FetchAndLockRequest } from './engine-rest-client.js';
import { runJob } from './run-job.js';
import { requestedVariableNames } from './task-variables.js';
import type { RunningSubscription, Transport } from './transport.js';
import type { JobAnswer } from './wire-contract.js';
import { DEFAULTS, type RestWorkerOptions, type Subscription, type WorkerLogger } from './worker-options.js';

const POLL_BACKOFF = { initialMs: 500, maxMs: 10_000 };
/** An answer is tried this often while the engine is unreachable or failing (about 15 s in all), then reported lost. */
const DELIVERY_ATTEMPTS = 6;
const DELIVERY_BACKOFF = { initialMs: 500, maxMs: 4000 };

function isTransient(error: unknown): boolean {
  // fetch rejects with a TypeError when the engine cannot be reached at all.
  return !(error instanceof EngineRequestError) || error.transient;
}

class TopicPoller implements RunningSubscription {
  private readonly running = new Set<Promise<void>>();
  private readonly aborter = new AbortController();
  private wake: (() => void) | undefined;
  private readonly loop: Promise<void>;

  constructor(
    private readonly client: EngineRestClient,
    private readonly options: RestWorkerOptions,
    private readonly subscription: Subscription,
    private readonly logger: WorkerLogger,
  ) {
    this.loop = this.poll();
  }

  async stop(): Promise<void> {
    // Aborting the parked poll ends the request; the engine frees its slot when the connection closes.
    this.aborter.abort();
    this.wake?.();
    await this.loop;
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  private get stopping(): boolean {
    return this.aborter.signal.aborted;
  }

  private slotFreed(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  private request(maxTasks: number): FetchAndLockRequest {
    const { subscription } = this;
    const variables = requestedVariableNames(subscription.variables);
    return {
      workerId: this.options.workerId,
      maxTasks,
      usePriority: true,
      asyncResponseTimeout: this.options.asyncResponseTimeout ?? DEFAULTS.asyncResponseTimeout,
      topics: [{ topicName: subscription.topicName, lockDuration: subscription.lockDuration, ...(variables === null ? {} : { variables }) }],
    };
  }

  private async poll(): Promise<void> {
    const { subscription, logger } = this;
    const backoff = new Backoff(POLL_BACKOFF.initialMs, POLL_BACKOFF.maxMs);
    while (!this.stopping) {
      const free = subscription.concurrency - this.running.size;
      if (free <= 0) {
        await this.slotFreed();
        continue;
      }
      let tasks;
      try {
        tasks = await this.client.fetchAndLock(this.request(Math.min(subscription.maxTasks, free)), this.aborter.signal);
        backoff.reset();
      } catch (error) {
        if (this.stopping) break;
        const wait = backoff.next();
        const problem = `fetchAndLock for topic ${subscription.topicName} failed (${(error as Error).message}); polling again in ${wait} ms`;
        if (isTransient(error)) logger.warn(problem);
        else logger.error(problem);
        await sleep(wait, this.aborter.signal);
        continue;
      }
      for (const { message, traceparent } of tasks) {
        const job = runJob({ message, attempt: 1, traceparent }, subscription, (answer, answerTrace) => this.deliver(message.id, answer, answerTrace), logger);
        this.running.add(job);
        void job.then(() => {
          this.running.delete(job);
          this.wake?.();
        });
      }
    }
  }

  /** Posts an answer, trying again while the engine is unreachable or failing; a refusal (4xx) is final. */
  private async deliver(taskId: string, answer: JobAnswer, traceparent: string | null): Promise<void> {
    const backoff = new Backoff(DELIVERY_BACKOFF.initialMs, DELIVERY_BACKOFF.maxMs);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.client.answer(taskId, this.options.workerId, answer, traceparent);
        return;
      } catch (error) {
        if (!isTransient(error) || attempt >= DELIVERY_ATTEMPTS) throw error;
        const wait = backoff.next();
        this.logger.warn(`the ${answer.action} answer of task ${taskId} failed (${(error as Error).message}); trying again in ${wait} ms`);
        await sleep(wait);
      }
    }
  }
}

export function createRestTransport(options: RestWorkerOptions, logger: WorkerLogger): Transport {
  const client = new EngineRestClient(options.baseUrl, options.auth);
  return {
    consume: (subscription) => new TopicPoller(client, options, subscription, logger),
    close: async () => {},
  };
}
