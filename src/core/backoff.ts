/** Waiting between retries: a doubling delay with a ceiling, and a sleep that a stop cuts short. */

export class Backoff {
  private current: number;
  private failures = 0;

  constructor(private readonly initialMs: number, private readonly maxMs: number) {
    this.current = initialMs;
  }

  /** The delay to wait now; each call doubles the next one, up to the ceiling. */
  next(): number {
    this.failures += 1;
    const delay = this.current;
    this.current = Math.min(this.current * 2, this.maxMs);
    return delay;
  }

  /** Back to the first delay; returns how many waits in a row this ends (0 when there were none). */
  reset(): number {
    const ended = this.failures;
    this.failures = 0;
    this.current = this.initialMs;
    return ended;
  }

  /** How many waits were asked for since the last reset. */
  get consecutive(): number {
    return this.failures;
  }
}

/** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
