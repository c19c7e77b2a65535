/** Remembers the jobs handled lately, by task id and attempt, so a redelivered job message does not run its side effect twice. */

export const HANDLED_JOBS_CAPACITY = 10_000;

export class HandledJobs {
  private readonly jobs = new Map<string, Promise<void>>();

  constructor(private readonly capacity = HANDLED_JOBS_CAPACITY) {}

  /**
   * Runs `work` unless this attempt of the task ran, or is running, already. A duplicate waits for the first run to end, so
   * its offset is committed only after the answer went out. Resolves true when `work` ran.
   */
  async runOnce(taskId: string, attempt: number, work: () => Promise<void>): Promise<boolean> {
    const key = `${attempt}:${taskId}`;
    const earlier = this.jobs.get(key);
    if (earlier !== undefined) {
      await earlier;
      return false;
    }
    const run = Promise.resolve().then(work);
    this.jobs.set(key, run.then(() => undefined, () => undefined));
    // A Map keeps insertion order, so the first key is the oldest.
    while (this.jobs.size > this.capacity) this.jobs.delete(this.jobs.keys().next().value as string);
    await run;
    return true;
  }

  get size(): number {
    return this.jobs.size;
  }
}
