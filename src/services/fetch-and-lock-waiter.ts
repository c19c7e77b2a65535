/** Long polling for fetchAndLock: answer at once when work exists, else park the request until NOTIFY or timeout. */
import { AsyncResource } from 'node:async_hooks';
import { tracingEnabled } from '../telemetry/trace-context.js';
import { InvalidRequestError } from '../core/errors.js';
import { nextAvailability } from '../persistence/external-task-repository.js';
import { claimTasks, ensureStorableLockDurations, type ClaimRequest, type LockedExternalTask, type TopicVariables } from './external-task-service.js';
import { EXTERNAL_TASK_CHANNEL, parseExternalTaskAvailable } from './external-task-notifications.js';
import type { ServiceContext } from './service-context.js';

export const MAX_ASYNC_RESPONSE_TIMEOUT_MS = 1_800_000;

export interface FetchRequest {
  claim: Omit<ClaimRequest, 'now'>;
  topics: TopicVariables[];
  asyncResponseTimeout: number;
  /** Aborted when the client disconnects: its parked slot is freed at once. */
  signal?: AbortSignal;
}

type ClaimOutcome = 'busy' | 'some' | 'full' | 'none';

interface ParkedFetch {
  request: FetchRequest;
  /** Runs a claim in the request's async context, so its spans (and trace context) belong to the request. */
  inRequest: (work: () => Promise<LockedExternalTask[]>) => Promise<LockedExternalTask[]>;
  topicNames: Set<string>;
  resolve(tasks: LockedExternalTask[]): void;
  reject(error: unknown): void;
  deadline: NodeJS.Timeout;
  wake: NodeJS.Timeout | null;
  wakeAt: number | null;
  attempting: boolean;
  /** A wake-up arrived while a claim was running: claim again after it. */
  again: boolean;
  /** The timeout (or shutdown) came while a claim was running: that claim answers, with whatever it locked. */
  timedOut: boolean;
}

/**
 * Holds parked fetchAndLock requests of this node. They cost no database polling: they wake on the NOTIFY sent when
 * a matching task is created, unlocked or failed with retries (from any node), or at the moment a lock or retry
 * timeout of a matching task runs out (read once when parking), and answer `[]` at their timeout.
 */
export class FetchAndLockWaiter {
  private readonly parked = new Set<ParkedFetch>();
  /** Claims in progress for parked requests; shutdown waits for them while the database is still open. */
  private readonly running = new Set<Promise<unknown>>();
  private unlisten: (() => Promise<void>) | null = null;
  private listening: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly ctx: ServiceContext, private readonly maxPending: number) {}

  get pending(): number {
    return this.parked.size;
  }

  async fetchAndLock(request: FetchRequest): Promise<LockedExternalTask[]> {
    if (request.asyncResponseTimeout > MAX_ASYNC_RESPONSE_TIMEOUT_MS) {
      throw new InvalidRequestError(400, `The asynchronous response timeout cannot be set to a value greater than ${MAX_ASYNC_RESPONSE_TIMEOUT_MS} milliseconds`);
    }
    ensureStorableLockDurations(this.ctx, request.claim);
    if (request.asyncResponseTimeout <= 0 || this.closed) return claimTasks(this.ctx, request.claim, request.topics);
    if (this.parked.size >= this.maxPending) {
      throw new InvalidRequestError(500, 'At the moment the server has to handle too many requests at the same time. Please try again later.');
    }
    await this.listen();
    return new Promise<LockedExternalTask[]>((resolve, reject) => {
      const parked: ParkedFetch = {
        request,
        inRequest: tracingEnabled() ? AsyncResource.bind((work: () => Promise<LockedExternalTask[]>) => work()) : (work) => work(),
        topicNames: new Set(request.claim.topics.map((topic) => topic.topicName)),
        resolve,
        reject,
        deadline: setTimeout(() => this.timeOut(parked), request.asyncResponseTimeout),
        wake: null,
        wakeAt: null,
        attempting: false,
        again: false,
        timedOut: false,
      };
      // Registered before the first claim, so a NOTIFY arriving during it triggers another attempt.
      this.parked.add(parked);
      this.ctx.metrics.parkedFetchesChanged(1);
      request.signal?.addEventListener('abort', () => this.release(parked, []), { once: true });
      void this.attempt(parked, true);
    });
  }

  /** Answers every parked request (`[]`, or what a claim still running locked for it) and stops listening. */
  async close(): Promise<void> {
    this.closed = true;
    for (const parked of [...this.parked]) this.timeOut(parked);
    await Promise.all([...this.running]);
    await this.listening?.catch(() => undefined);
    await this.unlisten?.();
    this.unlisten = null;
  }

  private listen(): Promise<void> {
    this.listening ??= this.ctx.database.notifier
      .listen(EXTERNAL_TASK_CHANNEL, (payload) => this.onNotification(payload))
      .then((unlisten) => {
        this.unlisten = unlisten;
      });
    return this.listening;
  }

  private onNotification(payload: string): void {
    const available = parseExternalTaskAvailable(payload);
    if (!available) {
      // Notifications may have been lost (the listener reconnected): every parked request looks again once.
      for (const parked of this.parked) void this.attempt(parked, false);
      return;
    }
    const at = available.availableAt ? new Date(available.availableAt).getTime() : null;
    if (at !== null && at > this.now()) {
      for (const parked of this.parked) if (parked.topicNames.has(available.topic)) this.wakeAt(parked, at);
      return;
    }
    void this.cascade(available.topic);
  }

  /**
   * New work on a topic wakes one parked request at a time, oldest first, instead of all of them (which would run a
   * claim each for one task). The next one is woken when the previous found nothing it may take (its filters did
   * not match, or another node was quicker), or took as many tasks as it could and more may be left.
   */
  private async cascade(topic: string): Promise<void> {
    const tried = new Set<ParkedFetch>();
    for (;;) {
      const next = [...this.parked].find((parked) => parked.topicNames.has(topic) && !tried.has(parked));
      if (!next) return;
      tried.add(next);
      const outcome = await this.attempt(next, false);
      if (outcome === 'busy' || outcome === 'some') return;
    }
  }

  private wakeAt(parked: ParkedFetch, at: number): void {
    if (parked.wakeAt !== null && parked.wakeAt <= at) return;
    if (parked.wake) clearTimeout(parked.wake);
    parked.wakeAt = at;
    parked.wake = setTimeout(() => {
      parked.wake = null;
      parked.wakeAt = null;
      // Timers may fire a little before the clock the claim reads reaches `at`; a claim then would find nothing.
      if (at > this.now()) this.wakeAt(parked, at);
      else void this.attempt(parked, false);
    }, Math.max(0, at - this.now()));
  }

  private now(): number {
    return this.ctx.clock.now().getTime();
  }

  /**
   * Answers `[]` at the timeout, unless a claim is running: tasks it locks must reach the worker, or they would stay
   * locked for nobody until their lock expires.
   */
  private timeOut(parked: ParkedFetch): void {
    if (parked.attempting) parked.timedOut = true;
    else this.release(parked, []);
  }

  /**
   * Claims for a parked request. 'busy': a claim for it was already running (it will look again); 'some': it took
   * tasks but not as many as it may (nothing left); 'full' or 'none': another parked request may still find work.
   */
  private attempt(parked: ParkedFetch, first: boolean): Promise<ClaimOutcome> {
    if (!this.parked.has(parked)) return Promise.resolve('none');
    if (parked.attempting) {
      parked.again = true;
      return Promise.resolve('busy');
    }
    parked.attempting = true;
    const running = this.claimFor(parked, first);
    this.running.add(running);
    return running.finally(() => this.running.delete(running));
  }

  private async claimFor(parked: ParkedFetch, first: boolean): Promise<ClaimOutcome> {
    try {
      let claimedAsOf: Date;
      do {
        parked.again = false;
        // Not later than the claim's own clock reading: see scheduleNextAvailability.
        claimedAsOf = this.ctx.clock.now();
        const tasks = await parked.inRequest(() => claimTasks(this.ctx, parked.request.claim, parked.request.topics));
        if (tasks.length > 0 || parked.timedOut) {
          // The client may have gone while the claim ran; its tasks come back when their locks expire.
          this.release(parked, tasks);
          return tasks.length >= parked.request.claim.maxTasks ? 'full' : tasks.length > 0 ? 'some' : 'none';
        }
      } while (parked.again && this.parked.has(parked));
      if (first || parked.wakeAt === null) await this.scheduleNextAvailability(parked, claimedAsOf);
      return 'none';
    } catch (error) {
      if (this.parked.delete(parked)) this.ctx.metrics.parkedFetchesChanged(-1);
      this.clearTimers(parked);
      parked.reject(error);
      return 'none';
    } finally {
      parked.attempting = false;
      if (parked.timedOut) this.release(parked, []);
    }
  }

  /**
   * Tasks locked by other workers or waiting out a retry timeout become claimable without any NOTIFY. Read as of the
   * empty claim's time, not now: a lock that ran out in between would otherwise be neither claimed nor waited for.
   */
  private async scheduleNextAvailability(parked: ParkedFetch, claimedAsOf: Date): Promise<void> {
    const next = await nextAvailability(this.ctx.database.knex, [...parked.topicNames], claimedAsOf);
    if (next && this.parked.has(parked)) this.wakeAt(parked, next.getTime() + 1);
  }

  private clearTimers(parked: ParkedFetch): void {
    clearTimeout(parked.deadline);
    if (parked.wake) clearTimeout(parked.wake);
  }

  private release(parked: ParkedFetch, tasks: LockedExternalTask[]): void {
    if (!this.parked.delete(parked)) return;
    this.ctx.metrics.parkedFetchesChanged(-1);
    this.clearTimers(parked);
    parked.resolve(tasks);
  }
}
