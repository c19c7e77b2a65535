/** `GET /engine` and `GET /version`: what Camunda Modeler probes before it deploys. */
import { Router } from 'express';
import { sendJson } from '../respond.js';

export const CAMUNDA_REST_VERSION = '7.24.0';

export function engineRouter(): Router {
  const router = Router();
  router.get('/engine', (_req, res) => sendJson(res, [{ name: 'default' }]));
  router.get('/version', (_req, res) => sendJson(res, { version: CAMUNDA_REST_VERSION }));
  return router;
}
