/** Camunda's synchronous bulk operations on process instances and external tasks, which name their targets by ids and query objects. */
import { Router } from 'express';
import { setRetriesOfExternalTasks } from '../../services/external-task-service.js';
import { deleteProcessInstancesAsBatch, setProcessInstancesSuspended } from '../../services/instance-bulk-operations.js';
import type { ServiceContext } from '../../services/service-context.js';
import { deleteProcessInstancesBody, externalTaskRetriesBody, processInstancesSuspensionBody } from '../body-schemas.js';
import { batchDto } from '../dtos/batch-dtos.js';
import { namesInstances, selectedExternalTaskIds, selectedInstanceIds } from '../instance-selection.js';
import { readBody } from '../read-body.js';
import { sendJson, sendNoContent } from '../respond.js';

export function bulkOperationRouter(ctx: ServiceContext): Router {
  const router = Router();

  router.put('/external-task/retries', async (req, res) => {
    const body = readBody(req, externalTaskRetriesBody);
    // Camunda checks the retries before it looks for the tasks.
    const ids = body.retries === undefined || body.retries === null || body.retries < 0 ? [] : await selectedExternalTaskIds(ctx, body);
    await setRetriesOfExternalTasks(ctx, ids, body.retries);
    sendNoContent(res);
  });

  router.put('/process-instance/suspended', async (req, res) => {
    const { suspended, processInstanceIds, processInstanceQuery, historicProcessInstanceQuery, ...definition } = readBody(req, processInstancesSuspensionBody);
    const group = { processInstanceIds, processInstanceQuery, historicProcessInstanceQuery };
    const ids = namesInstances(group) ? await selectedInstanceIds(ctx, group) : undefined;
    await setProcessInstancesSuspended(ctx, { ...definition, ...(ids === undefined ? {} : { ids }) }, suspended === true);
    sendNoContent(res);
  });

  router.post('/process-instance/delete', async (req, res) => {
    const { processInstanceIds, processInstanceQuery, historicProcessInstanceQuery, ...request } = readBody(req, deleteProcessInstancesBody);
    const ids = await selectedInstanceIds(ctx, { processInstanceIds, processInstanceQuery, historicProcessInstanceQuery });
    sendJson(res, batchDto(await deleteProcessInstancesAsBatch(ctx, ids, request)));
  });

  router.post('/process-instance/delete-historic-query-based', async (req, res) => {
    // Camunda reads only the historic query here, and adds the ids given.
    const { processInstanceIds, historicProcessInstanceQuery, ...request } = readBody(req, deleteProcessInstancesBody);
    const ids = await selectedInstanceIds(ctx, { historicProcessInstanceQuery, processInstanceIds });
    sendJson(res, batchDto(await deleteProcessInstancesAsBatch(ctx, ids, request)));
  });

  return router;
}
