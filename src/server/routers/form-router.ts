/** Forms of user tasks and start events: form variables, submit-form, form keys, rendered (generated) and deployed forms. */
import { Router, type Request, type Response } from 'express';
import type { DefinitionReference } from '../../services/process-definition-service.js';
import type { ServiceContext } from '../../services/service-context.js';
import {
  getDeployedStartForm, getDeployedTaskForm, getStartForm, getStartFormVariables, getTaskForm, getTaskFormVariables,
  renderStartForm, renderTaskForm, submitStartForm, submitTaskForm, type DeployedForm,
} from '../../services/form-service.js';
import { processInstanceDto } from '../dtos/runtime-dtos.js';
import { selfLink } from '../dtos/links.js';
import { variablesDto } from '../dtos/variable-dtos.js';
import { completeTaskBody, startInstanceBody } from '../body-schemas.js';
import { QueryReader } from '../query-reader.js';
import { readBody } from '../read-body.js';
import { sendJson, sendNoContent } from '../respond.js';

/** Camunda answers forms as XHTML (or JSON for Camunda Forms), set on the Node response so no charset is appended. */
function sendContent(res: Response, content: Buffer | string, contentType: string): void {
  res.status(200);
  res.setHeader('Content-Type', contentType);
  res.send(typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
}

function sendDeployedForm(res: Response, form: DeployedForm): void {
  sendContent(res, form.content, form.contentType);
}

function formVariableQuery(req: Request): { names: string[] | undefined; deserialize: boolean } {
  const query = new QueryReader(req.query as Record<string, unknown>);
  return { names: query.list('variableNames'), deserialize: query.boolean('deserializeValues') ?? true };
}

export function formRouter(ctx: ServiceContext): Router {
  const router = Router();

  router.get('/task/:id/form', async (req, res) => sendJson(res, await getTaskForm(ctx, req.params.id)));
  router.get('/task/:id/rendered-form', async (req, res) => sendContent(res, await renderTaskForm(ctx, req.params.id), 'application/xhtml+xml'));
  router.get('/task/:id/deployed-form', async (req, res) => sendDeployedForm(res, await getDeployedTaskForm(ctx, req.params.id)));
  router.get('/task/:id/form-variables', async (req, res) => {
    const { names, deserialize } = formVariableQuery(req);
    sendJson(res, variablesDto(await getTaskFormVariables(ctx, req.params.id, names), deserialize));
  });
  router.post('/task/:id/submit-form', async (req, res) => {
    const body = readBody(req, completeTaskBody);
    const variables = await submitTaskForm(ctx, req.params.id, body.variables, body.withVariablesInReturn === true);
    if (variables) sendJson(res, variablesDto(variables, false));
    else sendNoContent(res);
  });

  // Each start form route exists by id, by key, and by key for a tenant, as Camunda's.
  const references: Array<[string, (req: Request) => DefinitionReference]> = [
    ['/process-definition/key/:key/tenant-id/:tenantId', (req) => ({ key: String(req.params.key), tenantId: String(req.params.tenantId) })],
    ['/process-definition/key/:key', (req) => ({ key: String(req.params.key) })],
    ['/process-definition/:id', (req) => ({ id: String(req.params.id) })],
  ];
  for (const [path, referenceOf] of references) {
    router.get(`${path}/startForm`, async (req, res) => sendJson(res, await getStartForm(ctx, referenceOf(req))));
    router.get(`${path}/rendered-form`, async (req, res) => sendContent(res, await renderStartForm(ctx, referenceOf(req)), 'application/xhtml+xml'));
    router.get(`${path}/deployed-start-form`, async (req, res) => sendDeployedForm(res, await getDeployedStartForm(ctx, referenceOf(req))));
    router.get(`${path}/form-variables`, async (req, res) => {
      const { names, deserialize } = formVariableQuery(req);
      sendJson(res, variablesDto(await getStartFormVariables(ctx, referenceOf(req), names), deserialize));
    });
    router.post(`${path}/submit-form`, async (req, res) => {
      const body = readBody(req, startInstanceBody);
      const started = await submitStartForm(ctx, referenceOf(req), { businessKey: body.businessKey ?? null, variables: body.variables });
      // Camunda answers submit-form with a plain ProcessInstanceDto: no `variables`, unlike start.
      sendJson(res, processInstanceDto(
        { id: started.id, definitionId: started.definition.id, definitionKey: started.definition.key, businessKey: started.businessKey, tenantId: started.tenantId, ended: started.ended, suspended: started.suspended },
        selfLink(req, `/process-instance/${started.id}`),
      ));
    });
  }
  return router;
}
