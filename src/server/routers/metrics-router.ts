/** `GET /metrics`: the Prometheus text exposition of this context's registry (outside /engine-rest, open like it). */
import { Router } from 'express';
import type { ServiceContext } from '../../services/service-context.js';

export function metricsRouter(ctx: ServiceContext): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    const { contentType, text } = await ctx.metrics.scrape();
    res.status(200);
    res.setHeader('Content-Type', contentType);
    res.send(text);
  });
  return router;
}
