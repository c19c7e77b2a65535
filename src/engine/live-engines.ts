/**
 * Engines kept between commands on this node (DESIGN §4): a runner that wrote version N of an instance serves the
 * instance's next command only if the row still holds version N, which the command reads under the row lock. A
 * command takes its runner out, so no other command can use it meanwhile, and returns it only after its commit.
 */
import type { InstanceRunner } from './process-runner.js';

export class LiveEngines {
  /** By instance id; the Map's order is the order of use, least recent first. */
  private readonly entries = new Map<string, { version: number; runner: InstanceRunner }>();

  /** Commands that continued a kept engine, and commands on a running instance that recovered theirs. */
  readonly lookups = { hits: 0, misses: 0 };

  /** At most `capacity` runners are kept; 0 keeps none. */
  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** The runner that wrote `version` of the instance, taken out; undefined when none did on this node. */
  take(processInstanceId: string, version: number): InstanceRunner | undefined {
    const entry = this.entries.get(processInstanceId);
    this.entries.delete(processInstanceId);
    const runner = entry?.version === version ? entry.runner : undefined;
    if (runner) this.lookups.hits++;
    else this.lookups.misses++;
    return runner;
  }

  /** Keeps a runner whose command committed `version`; an older version than the one kept is dropped. */
  keep(processInstanceId: string, version: number, runner: InstanceRunner): void {
    if (this.capacity === 0 || !runner.reusable) return;
    const kept = this.entries.get(processInstanceId);
    if (kept && kept.version > version) return;
    this.entries.delete(processInstanceId);
    this.entries.set(processInstanceId, { version, runner });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}
