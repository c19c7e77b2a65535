/** A clock tests move by hand, so timers fire without anyone sleeping. */
import type { Clock } from '../../src/core/clock.js';

export class TestClock implements Clock {
  private current: number;

  constructor(start: Date | string = '2026-03-02T09:00:00.000Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  /** Moves time forward by an ISO-like amount: `{ minutes: 5 }`, `{ days: 2 }`. */
  advance(by: { seconds?: number; minutes?: number; hours?: number; days?: number }): void {
    this.current += ((((by.days ?? 0) * 24 + (by.hours ?? 0)) * 60 + (by.minutes ?? 0)) * 60 + (by.seconds ?? 0)) * 1000;
  }

  set(to: Date | string): void {
    this.current = new Date(to).getTime();
  }
}
