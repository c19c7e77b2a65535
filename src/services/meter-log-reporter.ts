/**
 * Writes this node's meter counts (committed work only) to the meter log every METRICS_REPORT_INTERVAL and on
 * shutdown, as Camunda's DbMetricsReporter does: one row per metric that moved, under this node's reporter name.
 */
import { insertMeterLog } from '../persistence/meter-log-repository.js';
import { runCommand } from './run-command.js';
import type { ServiceContext } from './service-context.js';
import { errorFields } from '../telemetry/error-fields.js';

export class MeterLogReporter {
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly ctx: ServiceContext) {}

  /** Reports periodically; with an interval of 0 the counts stay in memory (the REST sums still include them). */
  start(): void {
    const { intervalMs } = this.ctx.metrics.reporting;
    if (intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => {
      this.flush().catch((error: unknown) => this.ctx.logger.warn('Metrics: could not write the meter log, the counts wait for the next report', { err: errorFields(error) }));
    }, intervalMs);
    this.timer.unref();
  }

  /** Writes what was counted since the last report; counts a failed write could not store stay for the next one. */
  flush(): Promise<void> {
    this.flushing = this.flushing.catch(() => undefined).then(() => this.write());
    return this.flushing;
  }

  /** Stops reporting and writes what is left (shutdown). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  private async write(): Promise<void> {
    const counts = this.ctx.metrics.takeUnreported();
    if (counts.size === 0) return;
    const timestamp = this.ctx.clock.now();
    const reporter = this.ctx.metrics.reporting.reporter;
    try {
      await runCommand(this.ctx, 'report metrics', ({ tx }) => insertMeterLog(tx, [...counts].map(([name, value]) => ({ name, reporter, value, timestamp }))));
    } catch (error) {
      this.ctx.metrics.restoreUnreported(counts);
      throw error;
    }
  }
}
