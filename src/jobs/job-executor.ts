/**
 * A node's job executor: acquires due jobs with SKIP LOCKED and a lock expiry, runs each as its own command, and
 * records failures. It looks again when the earliest job is due, at the latest every poll interval, and at once when
 * a NOTIFY announces a job due sooner (DESIGN §4). Each look also resumes signal broadcasts a dead node left.
 */
import { WakeUpTimer } from '../core/wake-up-timer.js';
import { JOB_CHANNEL } from '../services/job-notifications.js';
import { acquireJobs, executeJob, nextJobDueDate, recordJobFailure, releaseJobs, type JobRow } from '../services/job-service.js';
import type { ServiceContext } from '../services/service-context.js';
import { deliverPendingBroadcasts } from '../services/signal-broadcast.js';
import { errorFields } from '../telemetry/error-fields.js';
import { untraced } from '../telemetry/engine-spans.js';

export interface JobExecutorOptions {
  /** This node's name in `lock_owner`: unique per process. */
  lockOwner: string;
  /** How long an acquired job stays this node's; a node that dies holding it loses it then. */
  lockDurationMs: number;
  /** The longest time between two looks for due jobs. */
  pollIntervalMs: number;
  /** Jobs acquired per statement. */
  batchSize?: number;
  /** Jobs run at once (each its own command, on its own instance lock and connection). */
  concurrency?: number;
}

/** The fields of a job's log lines: the command that runs it and what it belongs to. */
function jobFields(job: JobRow): Record<string, unknown> {
  return { command: 'execute job', jobId: job.id, jobType: job.handler_type, activityId: job.activity_id, processInstanceId: job.process_instance_id ?? undefined, processDefinitionId: job.process_definition_id ?? undefined };
}

export class JobExecutor {
  private readonly wakeUps: WakeUpTimer;
  private running: Promise<number> | null = null;
  private stopped = false;
  private unlisten: (() => Promise<void>) | null = null;
  private readonly runningJobs = new Set<string>();

  constructor(private readonly ctx: ServiceContext, private readonly options: JobExecutorOptions) {
    // Looking for due jobs is untraced, so an idle node sends no traces; each job it runs starts its own trace.
    this.wakeUps = new WakeUpTimer(() => void untraced(() => this.tick()), options.pollIntervalMs);
  }

  async start(): Promise<void> {
    this.unlisten = await this.ctx.database.notifier.listen(JOB_CHANNEL, (payload) => {
      const due = Date.parse(payload);
      // A missed notification (empty payload) or an unreadable one: look now.
      this.wakeUps.schedule(Number.isNaN(due) ? Date.now() : due);
    });
    this.wakeUps.schedule(Date.now());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUps.stop();
    await this.unlisten?.();
    await this.running?.catch(() => 0);
    // Jobs acquired but not run go back at once, instead of when their locks expire.
    await releaseJobs(this.ctx, this.options.lockOwner).catch((error: unknown) => this.ctx.logger.warn('Job executor: could not release its jobs', { command: 'release jobs', lockOwner: this.options.lockOwner, err: errorFields(error) }));
  }

  /**
   * Acquires and runs due jobs until none is due; returns how many ran. The executor's own loop calls it, and tests
   * call it directly after moving their clock.
   */
  runDueJobs(): Promise<number> {
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async drain(): Promise<number> {
    const batchSize = this.options.batchSize ?? 16;
    let ran = 0;
    for (;;) {
      const jobs = await acquireJobs(this.ctx, this.options.lockOwner, this.options.lockDurationMs, batchSize);
      // A few at a time: while one waits for the database, another runs; jobs of one instance queue on its lock.
      let next = 0;
      const lanes = Array.from({ length: Math.min(this.options.concurrency ?? 4, jobs.length) }, async () => {
        for (let i = next++; i < jobs.length && !this.stopped; i = next++) if (await this.run(jobs[i]!)) ran++;
      });
      await Promise.all(lanes);
      if (this.stopped || jobs.length < batchSize) return ran;
    }
  }

  /** The jobs running right now (a shutdown cut off by its grace period names them). */
  get runningJobIds(): string[] {
    return [...this.runningJobs];
  }

  /** Runs one acquired job; a failure is recorded on the job (retries, exception, incident), never thrown. */
  private async run(job: JobRow): Promise<boolean> {
    this.runningJobs.add(job.id);
    try {
      return (await executeJob(this.ctx, job, this.options.lockOwner)) === 'executed';
    } catch (error) {
      // The error's message (stored on the job for the REST API) may quote the value an expression failed on.
      this.ctx.logger.warn(`Job ${job.id} (${job.handler_type} '${job.activity_id}' of ${job.process_instance_id ?? job.process_definition_id}) failed`, { ...jobFields(job), err: errorFields(error) });
      await recordJobFailure(this.ctx, job.id, error);
      return false;
    } finally {
      this.runningJobs.delete(job.id);
    }
  }

  private async tick(): Promise<void> {
    try {
      // Signal broadcasts whose delivering node died are resumed here (signal-broadcast.ts).
      await deliverPendingBroadcasts(this.ctx);
      await this.runDueJobs();
      const next = await nextJobDueDate(this.ctx);
      this.wakeUps.schedule(next ? next.getTime() - this.ctx.clock.now().getTime() + Date.now() : Number.POSITIVE_INFINITY);
    } catch (error) {
      this.ctx.logger.error('Job executor: looking for due jobs failed', { err: errorFields(error) });
      this.wakeUps.schedule(Date.now() + this.options.pollIntervalMs);
    }
  }
}
