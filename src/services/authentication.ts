/** Who the current command runs for (Camunda's authenticated user and groups), carried from the request that runs it. */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface Authentication {
  readonly userId: string;
  readonly groupIds: readonly string[];
}

const current = new AsyncLocalStorage<Authentication>();

/** Runs `work` on behalf of `authentication`: commands it runs record that user in the audit trail. */
export function withAuthentication<T>(authentication: Authentication, work: () => T): T {
  return current.run(authentication, work);
}

/** The authenticated user of the running request, or null for the engine itself (jobs, Kafka results, an open API). */
export function currentAuthentication(): Authentication | null {
  return current.getStore() ?? null;
}
