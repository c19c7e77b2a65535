/** `GET /health/live` (the process answers) and `GET /health/ready` (each readiness check UP), outside /engine-rest and its authentication. */
import express, { type Router } from 'express';
import { checkReadiness, type ReadinessCheck } from '../services/readiness.js';
import { sendJson } from './respond.js';

export const HEALTH_BASE = '/health';

export function healthRouter(checks: readonly ReadinessCheck[]): Router {
  const router = express.Router();
  router.get(`${HEALTH_BASE}/live`, (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    sendJson(res, { status: 'UP' });
  });
  router.get(`${HEALTH_BASE}/ready`, async (_req, res) => {
    const readiness = await checkReadiness(checks);
    res.setHeader('Cache-Control', 'no-store');
    sendJson(res, readiness, readiness.status === 'UP' ? 200 : 503);
  });
  return router;
}
