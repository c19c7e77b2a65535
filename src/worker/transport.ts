/** What a worker needs of a transport: run a subscription's jobs until told to stop, then close what the subscriptions shared. */
import type { Subscription } from './worker-options.js';

export interface RunningSubscription {
  /** Stops taking jobs, then resolves once every running handler ended and its answers were delivered. */
  stop(): Promise<void>;
}

export interface Transport {
  /** Starts taking the subscription's jobs in the background; connection problems are retried and logged, never thrown. */
  consume(subscription: Subscription): RunningSubscription;
  /** Closes shared connections; called once every subscription has stopped. */
  close(): Promise<void>;
}
