/**
 * Runs a node's shutdown steps within a grace period: the steps of one stage at once, the stages in order. Past the
 * period it reports which steps had not finished, so the operator's log says what was cut off.
 */
import type { Logger } from '../services/service-context.js';
import { errorFields } from '../telemetry/error-fields.js';

export interface ShutdownStep {
  readonly name: string;
  run(): Promise<void>;
}

export type ShutdownOutcome = { clean: true } | { clean: false; unfinished: string[] };

/**
 * `stages` run one after the other, the steps of a stage together; a step that fails is logged and counts as done
 * (the rest must still run: a failed Kafka stop must not keep the database open).
 */
export async function runShutdown(stages: ReadonlyArray<readonly ShutdownStep[]>, gracePeriodMs: number, logger: Logger): Promise<ShutdownOutcome> {
  const done = new Set<ShutdownStep>();
  const work = (async () => {
    for (const stage of stages) {
      await Promise.all(stage.map(async (step) => {
        try {
          await step.run();
        } catch (error) {
          logger.error(`Shutdown: ${step.name} failed`, { step: step.name, err: errorFields(error) });
        } finally {
          done.add(step);
        }
      }));
    }
  })();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'expired'>((resolve) => {
    timer = setTimeout(() => resolve('expired'), gracePeriodMs);
  });
  const outcome = await Promise.race([work.then(() => 'done' as const), expired]);
  clearTimeout(timer);
  if (outcome === 'done') return { clean: true };
  return { clean: false, unfinished: stages.flat().filter((step) => !done.has(step)).map((step) => step.name) };
}
