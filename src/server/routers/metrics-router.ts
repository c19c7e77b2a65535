/** `GET /metrics`: Prometheus text exposition of the engine's in-process counters. */
import { Router } from 'express';
import type { ServiceContext } from '../../services/service-context.js';

export function metricsRouter(ctx: ServiceContext): Router {
  const router = Router();
  router.get('/metrics', (_req, res) => {
    const lines = [
      '# HELP engine_transactions_committed_total Write transactions committed by engine commands on this node.',
      '# TYPE engine_transactions_committed_total counter',
      `engine_transactions_committed_total ${ctx.metrics.commits}`,
      '# HELP engine_commands_total Commands run on this node.',
      '# TYPE engine_commands_total counter',
      `engine_commands_total ${ctx.metrics.commands}`,
    ];
    res.status(200);
    res.setHeader('Content-Type', 'text/plain; version=0.0.4');
    res.send(`${lines.join('\n')}\n`);
  });
  return router;
}
