/** The process instances and external tasks a bulk request names: ids and query objects, united as Camunda does. */
import { readModels } from '../services/read-models.js';
import type { ServiceContext } from '../services/service-context.js';
import { QueryReader } from './query-reader.js';
import { processFilter } from './routers/history-router.js';
import { externalTaskFilter } from './routers/external-task-router.js';
import { instanceFilter } from './routers/process-instance-router.js';

type QueryObject = Record<string, unknown> | null | undefined;

export interface InstanceSelection {
  processInstanceIds?: string[] | null;
  processInstanceQuery?: QueryObject;
  historicProcessInstanceQuery?: QueryObject;
}

function unique(ids: Iterable<string>): string[] {
  return [...new Set(ids)];
}

/** Whether the request names instances at all (an empty list names none, as in Camunda). */
export function namesInstances(selection: InstanceSelection): boolean {
  return (selection.processInstanceIds ?? null) !== null || (selection.processInstanceQuery ?? null) !== null || (selection.historicProcessInstanceQuery ?? null) !== null;
}

/** The ids given, then those the runtime query and the historic query find (a historic one may have ended). */
export async function selectedInstanceIds(ctx: ServiceContext, selection: InstanceSelection): Promise<string[]> {
  const models = readModels(ctx);
  const ids = [...(selection.processInstanceIds ?? [])];
  if (selection.processInstanceQuery) {
    ids.push(...(await models.processInstances.list(instanceFilter(new QueryReader(selection.processInstanceQuery)), {})).map((row) => row.id));
  }
  if (selection.historicProcessInstanceQuery) {
    ids.push(...(await models.historicProcessInstances.list(processFilter(new QueryReader(selection.historicProcessInstanceQuery)), {})).map((row) => row.id));
  }
  return unique(ids);
}

/** The external tasks given by id, found by the query, and those of the instances the request names. */
export async function selectedExternalTaskIds(ctx: ServiceContext, selection: InstanceSelection & { externalTaskIds?: string[] | null; externalTaskQuery?: QueryObject }): Promise<string[]> {
  const models = readModels(ctx);
  const now = ctx.clock.now();
  const ids = [...(selection.externalTaskIds ?? [])];
  if (selection.externalTaskQuery) ids.push(...(await models.externalTasks.list(externalTaskFilter(new QueryReader(selection.externalTaskQuery), now), {})).map((row) => row.id));
  const instanceIds = await selectedInstanceIds(ctx, selection);
  if (instanceIds.length > 0) ids.push(...(await models.externalTasks.list({ processInstanceIdIn: instanceIds, now }, {})).map((row) => row.id));
  return unique(ids);
}
