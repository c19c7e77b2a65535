/** Exponential back-off between attempts to reach Kafka: doubles from `initialMs` up to `maxMs`, reset by a success. */
export class Backoff {
  private failures = 0;

  constructor(private readonly initialMs: number, private readonly maxMs: number) {}

  /** Records a failure; returns how long to wait before the next attempt. */
  fail(): number {
    this.failures += 1;
    return this.currentDelay();
  }

  /** Records a success; returns how many failures in a row it ended. */
  succeed(): number {
    const ended = this.failures;
    this.failures = 0;
    return ended;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  currentDelay(): number {
    return this.failures === 0 ? 0 : Math.min(this.maxMs, this.initialMs * 2 ** (this.failures - 1));
  }
}
