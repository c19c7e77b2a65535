/** The clock the engine reads; injected so tests and timers never depend on the wall clock directly. */

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
