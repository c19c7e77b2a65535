/** `POST /message`: Camunda's message correlation, to waiting executions or message start events. */
import { Router } from 'express';
import { BadUserRequestError, InvalidRequestError } from '../../core/errors.js';
import { correlateMessage, type CorrelationResult } from '../../services/message-correlation.js';
import type { ServiceContext } from '../../services/service-context.js';
import { correlateMessageBody } from '../body-schemas.js';
import { processInstanceDto } from '../dtos/runtime-dtos.js';
import { variablesDto } from '../dtos/variable-dtos.js';
import { readBody } from '../read-body.js';
import { sendJson, sendNoContent } from '../respond.js';

/** Every declared property, `variables` null unless asked for (Camunda leaves it out then; see the README's differences). */
function resultDto(result: CorrelationResult, withVariables: boolean) {
  const variables = withVariables && result.variables ? variablesDto(result.variables, false) : null;
  if (result.resultType === 'Execution') {
    return {
      resultType: result.resultType,
      execution: { id: result.executionId, processInstanceId: result.processInstanceId, ended: result.ended, tenantId: result.tenantId },
      processInstance: null,
      variables,
    };
  }
  const { started } = result;
  return {
    resultType: result.resultType,
    execution: null,
    processInstance: processInstanceDto({
      id: started.id, definitionId: started.definition.id, definitionKey: started.definition.key, businessKey: started.businessKey, tenantId: started.tenantId, ended: started.ended, suspended: started.suspended,
    }),
    variables,
  };
}

export function messageRouter(ctx: ServiceContext): Router {
  const router = Router();
  router.post('/message', async (req, res) => {
    const body = readBody(req, correlateMessageBody);
    if (!body.messageName) throw new InvalidRequestError(400, 'No message name supplied');
    if (body.tenantId && body.withoutTenantId) throw new InvalidRequestError(400, 'Parameter \'tenantId\' cannot be used together with parameter \'withoutTenantId\'.');
    if (body.tenantId && body.processInstanceId) throw new BadUserRequestError('ENGINE-13028 Cannot specify a tenant-id when correlate a message to a single process instance.');
    const withVariables = body.variablesInResultEnabled === true;
    const results = await correlateMessage(ctx, {
      messageName: body.messageName,
      businessKey: body.businessKey,
      tenantId: body.tenantId,
      withoutTenantId: body.withoutTenantId === true,
      processInstanceId: body.processInstanceId,
      correlationKeys: body.correlationKeys,
      localCorrelationKeys: body.localCorrelationKeys,
      processVariables: body.processVariables,
      processVariablesLocal: body.processVariablesLocal,
      processVariablesToTriggeredScope: body.processVariablesToTriggeredScope,
      all: body.all === true,
      variablesInResultEnabled: withVariables,
    });
    if (body.resultEnabled || withVariables) sendJson(res, results.map((result) => resultDto(result, withVariables)));
    else sendNoContent(res);
  });
  return router;
}
