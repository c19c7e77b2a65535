/** Runs jobs 0..n-1 from a fixed number of concurrent workers (closed-loop clients), timing each with a recorder. */
import { performance } from 'node:perf_hooks';

/** Times named steps of one job; each step's samples are summarized separately. */
export type Timer = <T>(step: string, work: () => Promise<T>) => Promise<T>;

export async function runConcurrently(count: number, workers: number, job: (index: number, time: Timer) => Promise<void>): Promise<Map<string, number[]>> {
  const samples = new Map<string, number[]>();
  const time: Timer = async (step, work) => {
    const started = performance.now();
    const result = await work();
    const elapsed = performance.now() - started;
    let list = samples.get(step);
    if (!list) samples.set(step, (list = []));
    list.push(elapsed);
    return result;
  };
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    // Stop taking work after the first failure, so the error surfaces quickly.
    while (failure === undefined && next < count) {
      const index = next++;
      try {
        await job(index, time);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(workers, count) }, worker));
  if (failure !== undefined) throw failure;
  return samples;
}
