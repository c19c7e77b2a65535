/** Builds Camunda's activity instance tree of a running instance from its open activity instances. */
import { findOpenActivityInstances, type HistoricActivityInstanceRow } from '../persistence/history-repository.js';
import { getProcessInstance } from './runtime-service.js';
import { findProcessDefinition } from '../persistence/process-definition-repository.js';
import { listIncidentsOfInstance } from '../persistence/incident-repository.js';
import { listExecutionsOfInstance, type ExecutionRow } from '../persistence/execution-repository.js';
import type { ServiceContext } from './service-context.js';

export interface ActivityInstanceNode {
  id: string;
  parentActivityInstanceId: string | null;
  activityId: string;
  activityType: string;
  activityName: string | null;
  processInstanceId: string;
  processDefinitionId: string;
  executionIds: string[];
  incidents: Array<{ id: string; activityId: string }>;
  children: ActivityInstanceNode[];
}

export async function getActivityInstanceTree(ctx: ServiceContext, processInstanceId: string): Promise<ActivityInstanceNode> {
  const instance = await getProcessInstance(ctx, processInstanceId);
  const definition = await findProcessDefinition(ctx.database.knex, instance.process_definition_id);
  const open = await findOpenActivityInstances(ctx.database.knex, processInstanceId);
  const incidents = await listIncidentsOfInstance(ctx.database.knex, processInstanceId);
  const executions = await listExecutionsOfInstance(ctx.database.knex, processInstanceId);
  const incidentsOf = (activityInstanceId: string) => incidents.filter((i) => i.activity_instance_id === activityInstanceId).map((i) => ({ id: i.id, activityId: i.activity_id }));
  const nodeOf = (row: HistoricActivityInstanceRow): ActivityInstanceNode => ({
    id: row.id,
    parentActivityInstanceId: row.parent_activity_instance_id,
    activityId: row.activity_id,
    activityType: row.activity_type,
    activityName: row.activity_name,
    processInstanceId,
    processDefinitionId: instance.process_definition_id,
    executionIds: executionIdsOf(executions, row.engine_execution_id, processInstanceId),
    incidents: incidentsOf(row.id),
    children: open.filter((child) => child.parent_activity_instance_id === row.id).map(nodeOf),
  });
  return {
    id: processInstanceId,
    parentActivityInstanceId: null,
    activityId: instance.process_definition_id,
    activityType: 'processDefinition',
    activityName: definition?.name ?? null,
    processInstanceId,
    processDefinitionId: instance.process_definition_id,
    executionIds: executionIdsOf(executions, null, processInstanceId),
    incidents: [],
    children: open.filter((row) => row.parent_activity_instance_id === processInstanceId).map(nodeOf),
  };
}

/**
 * Camunda's execution ids of an activity instance: a scope's own execution plus the concurrent executions under it
 * that only carry child scopes; an activity without a scope the execution that executes it.
 */
function executionIdsOf(executions: ExecutionRow[], engineRunId: string | null, processInstanceId: string): string[] {
  const scope = engineRunId === null ? executions.find((row) => row.id === processInstanceId) : executions.find((row) => row.engine_scope_id === engineRunId);
  if (scope) return [scope.id, ...executions.filter((row) => row.parent_id === scope.id && row.is_concurrent && row.engine_token_id === null).map((row) => row.id)];
  const holder = executions.find((row) => row.engine_token_id === engineRunId);
  return [holder?.id ?? processInstanceId];
}
