/** `/execution/{id}/localVariables/{name}/data`: where camunda-external-task-client-js downloads File variables. */
import { Router } from 'express';
import { getInstanceVariable } from '../../services/runtime-service.js';
import type { ServiceContext } from '../../services/service-context.js';
import { sendBinaryVariable } from './binary-variable.js';

export function executionRouter(ctx: ServiceContext): Router {
  const router = Router();
  // The client passes the process instance id as the execution id; the instance is its only execution here.
  router.get('/execution/:id/localVariables/:name/data', async (req, res) => {
    sendBinaryVariable(res, req.params.name, await getInstanceVariable(ctx, req.params.id, req.params.name));
  });
  return router;
}
