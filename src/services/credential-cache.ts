/** Remembers recent successful password checks on this node, so HTTP Basic does not pay scrypt on every request. */
import { createHmac, randomBytes } from 'node:crypto';

/** Bounds the memory the cache takes; the oldest entries go first. */
const MAX_ENTRIES = 10_000;

/**
 * Entries are keyed by an HMAC of user and password under a key that lives only in this process, so the cache never
 * holds a password or a digest that could be checked against guesses elsewhere. A password change or the deletion of
 * the user on this node forgets that user's entries at once; other nodes forget them when `ttlMs` has passed.
 */
export class CredentialCache {
  private readonly key = randomBytes(32);
  private readonly entries = new Map<string, { userId: string; expiresAt: number }>();

  constructor(private readonly ttlMs: number, private readonly now: () => number = Date.now) {}

  private digest(userId: string, password: string): string {
    return createHmac('sha256', this.key).update(userId).update('\u0000').update(password).digest('base64');
  }

  has(userId: string, password: string): boolean {
    if (this.ttlMs <= 0) return false;
    const key = this.digest(userId, password);
    const entry = this.entries.get(key);
    if (!entry) return false;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return false;
    }
    return true;
  }

  remember(userId: string, password: string): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(this.digest(userId, password), { userId, expiresAt: this.now() + this.ttlMs });
  }

  forget(userId: string): void {
    for (const [key, entry] of this.entries) if (entry.userId === userId) this.entries.delete(key);
  }
}
