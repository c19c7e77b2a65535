/** The variable routes of an execution scope: `/process-instance/{id}/variables` and `/execution/{id}/localVariables`. */
import type { Router } from 'express';
import { toWireValue } from '../../core/typed-value.js';
import { deleteScopeVariable, getScopeVariable, getScopeVariableData, getScopeVariables, modifyScopeVariables, putScopeVariable, type VariableTarget } from '../../services/execution-variables.js';
import type { ServiceContext } from '../../services/service-context.js';
import { patchVariablesBody, variableValueBody } from '../body-schemas.js';
import { variablesDto } from '../dtos/variable-dtos.js';
import { QueryReader } from '../query-reader.js';
import { readBody } from '../read-body.js';
import { sendJson, sendNoContent } from '../respond.js';
import { sendBinaryVariable } from './binary-variable.js';

/** `path` has an `:id` parameter, e.g. `/execution/:id/localVariables`. */
export function mountScopeVariableRoutes(router: Router, ctx: ServiceContext, path: string, resource: VariableTarget['resource']): void {
  const target = (id: string): VariableTarget => ({ resource, id });
  router.get(path, async (req, res) => {
    const query = new QueryReader(req.query as Record<string, unknown>);
    sendJson(res, variablesDto(await getScopeVariables(ctx, target((req.params as Record<string, string>).id)), query.boolean('deserializeValues') ?? true));
  });
  router.post(path, async (req, res) => {
    const body = readBody(req, patchVariablesBody);
    await modifyScopeVariables(ctx, target((req.params as Record<string, string>).id), body.modifications, body.deletions);
    sendNoContent(res);
  });
  router.get(`${path}/:name`, async (req, res) => {
    const query = new QueryReader(req.query as Record<string, unknown>);
    sendJson(res, toWireValue(await getScopeVariable(ctx, target((req.params as Record<string, string>).id), (req.params as Record<string, string>).name), { deserializeValues: query.boolean('deserializeValue') ?? true }));
  });
  router.get(`${path}/:name/data`, async (req, res) => {
    await sendBinaryVariable(res, (req.params as Record<string, string>).id, (req.params as Record<string, string>).name, await getScopeVariableData(ctx, target((req.params as Record<string, string>).id), (req.params as Record<string, string>).name));
  });
  router.put(`${path}/:name`, async (req, res) => {
    await putScopeVariable(ctx, target((req.params as Record<string, string>).id), (req.params as Record<string, string>).name, readBody(req, variableValueBody));
    sendNoContent(res);
  });
  router.delete(`${path}/:name`, async (req, res) => {
    await deleteScopeVariable(ctx, target((req.params as Record<string, string>).id), (req.params as Record<string, string>).name);
    sendNoContent(res);
  });
}
