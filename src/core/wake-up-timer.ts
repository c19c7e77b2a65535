/**
 * The one pending wake-up of a polling loop (job executor, outbox relay): the earliest moment asked for wins, it never
 * sleeps longer than the poll interval, and never wakes before `notBefore` (a back-off).
 */
export class WakeUpTimer {
  private timer: NodeJS.Timeout | null = null;
  private wakeAt = Number.POSITIVE_INFINITY;
  private stopped = false;
  /** Epoch ms before which no wake-up happens, however soon one is asked for. */
  notBefore = 0;

  constructor(private readonly wake: () => void, private readonly pollIntervalMs: number) {}

  /** Wakes at `at` (epoch ms), capped by the poll interval, unless a wake-up is already due sooner. */
  schedule(at: number): void {
    if (this.stopped) return;
    const when = Math.max(this.notBefore, Math.min(at, Date.now() + this.pollIntervalMs));
    if (this.timer && when >= this.wakeAt) return;
    this.clear();
    this.wakeAt = when;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.wakeAt = Number.POSITIVE_INFINITY;
      this.wake();
    }, Math.max(0, when - Date.now()));
    this.timer.unref();
  }

  /** Drops the pending wake-up, if any. */
  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.wakeAt = Number.POSITIVE_INFINITY;
  }

  stop(): void {
    this.stopped = true;
    this.clear();
  }
}
