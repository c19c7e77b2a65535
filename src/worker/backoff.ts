/** Waiting between retries: a doubling delay with a ceiling, and a sleep that a stop cuts short. */

export class Backoff {
  private current: number;

  constructor(private readonly initialMs: number, private readonly maxMs: number) {
    this.current = initialMs;
  }

  /** The delay to wait now; each call doubles the next one, up to the ceiling. */
  next(): number {
    const delay = this.current;
    this.current = Math.min(this.current * 2, this.maxMs);
    return delay;
  }

  reset(): void {
    this.current = this.initialMs;
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
