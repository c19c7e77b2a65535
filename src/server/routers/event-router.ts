/**
 * Events from outside: `POST /signal` (to one execution, or broadcast to every signal catch, boundary and start
 * event), `POST /condition` (conditional start events) and `POST /execution/{id}/signal` (a waiting execution).
 */
import { Router } from 'express';
import { InvalidRequestError } from '../../core/errors.js';
import type { ServiceContext } from '../../services/service-context.js';
import { sendSignal } from '../../services/signal-broadcast.js';
import { evaluateConditions } from '../../services/conditional-starts.js';
import { triggerExecution } from '../../services/execution-trigger.js';
import { evaluateConditionBody, throwSignalBody, triggerExecutionBody } from '../body-schemas.js';
import { processInstanceDto } from '../dtos/runtime-dtos.js';
import { readBody } from '../read-body.js';
import { sendJson, sendNoContent } from '../respond.js';

export function eventRouter(ctx: ServiceContext): Router {
  const router = Router();
  router.post('/signal', async (req, res) => {
    const body = readBody(req, throwSignalBody);
    if (!body.name) throw new InvalidRequestError(400, 'No signal name given');
    await sendSignal(ctx, { name: body.name, executionId: body.executionId, variables: body.variables, tenantId: body.tenantId, withoutTenantId: body.withoutTenantId === true });
    sendNoContent(res);
  });
  router.post('/condition', async (req, res) => {
    const body = readBody(req, evaluateConditionBody);
    if (body.tenantId && body.withoutTenantId) throw new InvalidRequestError(400, 'Parameter \'tenantId\' cannot be used together with parameter \'withoutTenantId\'.');
    const started = await evaluateConditions(ctx, { variables: body.variables, businessKey: body.businessKey, processDefinitionId: body.processDefinitionId, tenantId: body.tenantId, withoutTenantId: body.withoutTenantId === true });
    sendJson(res, started.map((instance) => processInstanceDto({
      id: instance.id, definitionId: instance.definition.id, definitionKey: instance.definition.key, businessKey: instance.businessKey, tenantId: instance.tenantId, ended: instance.ended, suspended: instance.suspended,
    })));
  });
  router.post('/execution/:id/signal', async (req, res) => {
    const body = readBody(req, triggerExecutionBody);
    await triggerExecution(ctx, req.params.id, body.variables);
    sendNoContent(res);
  });
  return router;
}
