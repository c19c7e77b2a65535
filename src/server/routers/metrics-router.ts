/** `GET /metrics`: Prometheus text exposition of the engine's in-process counters. */
import { Router } from 'express';
import { deliveryBacklog } from '../../services/external-task-publishing.js';
import type { ServiceContext } from '../../services/service-context.js';

export function metricsRouter(ctx: ServiceContext): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    const lines = [
      '# HELP engine_transactions_committed_total Write transactions committed by engine commands on this node.',
      '# TYPE engine_transactions_committed_total counter',
      `engine_transactions_committed_total ${ctx.metrics.commits}`,
      '# HELP engine_commands_total Commands run on this node.',
      '# TYPE engine_commands_total counter',
      `engine_commands_total ${ctx.metrics.commands}`,
    ];
    if (ctx.options.kafka) {
      const kafka = ctx.kafkaMetrics;
      const backlog = await deliveryBacklog(ctx);
      lines.push(
        '# HELP engine_kafka_outbox_pending Deliveries due in the outbox and not yet published (all nodes).',
        '# TYPE engine_kafka_outbox_pending gauge',
        `engine_kafka_outbox_pending ${backlog.pending}`,
        '# HELP engine_kafka_outbox_oldest_due_seconds How long the oldest due delivery has waited to be published (all nodes).',
        '# TYPE engine_kafka_outbox_oldest_due_seconds gauge',
        `engine_kafka_outbox_oldest_due_seconds ${backlog.oldestDue ? Math.max(0, (ctx.clock.now().getTime() - backlog.oldestDue.getTime()) / 1000) : 0}`,
        '# HELP engine_kafka_deliveries_published_total External task deliveries this node published to Kafka.',
        '# TYPE engine_kafka_deliveries_published_total counter',
        `engine_kafka_deliveries_published_total ${kafka.published}`,
        '# HELP engine_kafka_publish_failures_total Attempts of the outbox relay to publish that Kafka refused or did not answer.',
        '# TYPE engine_kafka_publish_failures_total counter',
        `engine_kafka_publish_failures_total ${kafka.publishFailures}`,
        '# HELP engine_kafka_relay_backoff_milliseconds How long the outbox relay waits before trying Kafka again (0 while Kafka answers).',
        '# TYPE engine_kafka_relay_backoff_milliseconds gauge',
        `engine_kafka_relay_backoff_milliseconds ${kafka.relayBackoffMs}`,
        '# HELP engine_kafka_outbox_lag_milliseconds From a delivery becoming due to Kafka acknowledging it, for the last batch published.',
        '# TYPE engine_kafka_outbox_lag_milliseconds gauge',
        `engine_kafka_outbox_lag_milliseconds ${kafka.lastPublishLagMs}`,
        '# HELP engine_kafka_job_results_total Worker results read from Kafka by outcome.',
        '# TYPE engine_kafka_job_results_total counter',
        `engine_kafka_job_results_total{outcome="applied"} ${kafka.resultsApplied}`,
        `engine_kafka_job_results_total{outcome="ignored"} ${kafka.resultsIgnored}`,
        `engine_kafka_job_results_total{outcome="dead_lettered"} ${kafka.resultsDeadLettered}`,
      );
    }
    res.status(200);
    res.setHeader('Content-Type', 'text/plain; version=0.0.4');
    res.send(`${lines.join('\n')}\n`);
  });
  return router;
}
