/** Counts failed sign-in attempts per key (a user name, a client address) in a fixed window, to throttle guessing. */

/** Failed attempts per key within the window before that key is locked out. */
export const MAX_FAILED_ATTEMPTS = 10;
export const FAILURE_WINDOW_MS = 60_000;
/** Bounds the memory that failures under random user names can take; the oldest entries go first. */
const MAX_TRACKED_KEYS = 10_000;

/** The key HTTP Basic sign-in failures of a user name count under (`POST /user/{id}/unlock` clears it). */
export function userFailureKey(userId: string): string {
  return `user:${userId}`;
}

/** Counts failures per key within a fixed window that starts with the first failure. */
export class FailureCounter {
  private readonly failures = new Map<string, { count: number; since: number }>();

  constructor(private readonly now: () => number) {}

  isLocked(key: string): boolean {
    const entry = this.current(key);
    return entry !== undefined && entry.count >= MAX_FAILED_ATTEMPTS;
  }

  record(key: string): void {
    const entry = this.current(key);
    if (entry) {
      entry.count += 1;
      return;
    }
    if (this.failures.size >= MAX_TRACKED_KEYS) this.failures.delete(this.failures.keys().next().value as string);
    this.failures.set(key, { count: 1, since: this.now() });
  }

  clear(key: string): void {
    this.failures.delete(key);
  }

  private current(key: string): { count: number; since: number } | undefined {
    const entry = this.failures.get(key);
    if (entry && this.now() - entry.since >= FAILURE_WINDOW_MS) {
      this.failures.delete(key);
      return undefined;
    }
    return entry;
  }
}
