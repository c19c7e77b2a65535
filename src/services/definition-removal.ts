/**
 * Camunda's DELETE /process-definition/{id} and /key/{key}: removes definitions (and, with `cascade`, their instances
 * and history); where a key's latest version went, the version now latest takes back its timer start jobs and start
 * event subscriptions, as Camunda's DeleteProcessDefinitionsCmd does.
 */
import type { Knex } from 'knex';
import { InvalidRequestError, ProcessEngineError, RestError } from '../core/errors.js';
import { deleteHistoryOfProcessDefinitions } from '../persistence/history-repository.js';
import { findResourceByName, lockDeployments } from '../persistence/deployment-repository.js';
import { hasStartEventJobs } from '../persistence/job-repository.js';
import { deleteProcessDefinitions as deleteProcessDefinitionRows, findProcessDefinition, listProcessDefinitionsOfKey, type ProcessDefinitionRow } from '../persistence/process-definition-repository.js';
import { listProcessInstanceIdsOfDefinitions } from '../persistence/process-instance-repository.js';
import { parseBpmnOffThread } from './parse-thread.js';
import { runCommand } from './run-command.js';
import type { ServiceContext } from './service-context.js';
import { unsubscribeEventStarts } from './start-event-subscriptions.js';
import { terminateInstance } from './termination.js';
import { scheduleTimerStartEvents } from './timer-start-jobs.js';
import { definitionTarget, logUserOperation } from './user-operation-log.js';

export interface DefinitionRemovalOptions {
  cascade: boolean;
  /** Accepted as Camunda's: a removed instance runs no listeners or output mappings here either way. */
  skipCustomListeners: boolean;
  skipIoMappings: boolean;
}

export type RemovalSelector = { id: string } | { key: string; tenantId: string | null };

export async function deleteProcessDefinitions(ctx: ServiceContext, selector: RemovalSelector, options: DefinitionRemovalOptions): Promise<void> {
  await runCommand(ctx, 'delete process definition', async ({ tx }) => {
    await lockDeployments(tx);
    const definitions = await selectDefinitions(tx, selector);
    for (const definition of definitions) {
      const instanceIds = await listProcessInstanceIdsOfDefinitions(tx, [definition.id]);
      if (instanceIds.length > 0 && !options.cascade) {
        throw new ProcessEngineError(`ENGINE-03076 Deletion of process definition without cascading failed. Process definition with id: ${definition.id} can't be deleted, because there are ${instanceIds.length} dependent process instances.`);
      }
      // As Camunda's cascade: the instances go, and the definition's history with them.
      for (const instanceId of instanceIds) await terminateInstance(ctx, tx, instanceId, { purgeHistory: true, deleteReason: 'deleted process definition' });
      if (options.cascade) await deleteHistoryOfProcessDefinitions(tx, [definition.id]);
      await logUserOperation(ctx, tx, {
        operationType: 'Delete', entityType: 'ProcessDefinition', category: 'Operator', target: definitionTarget(definition),
        properties: [{ property: 'cascade', orgValue: false, newValue: options.cascade }],
      });
    }
    await deleteProcessDefinitionRows(tx, definitions.map((definition) => definition.id));
    await restoreStartEvents(ctx, tx, definitions);
  });
}

async function selectDefinitions(tx: Knex.Transaction, selector: RemovalSelector): Promise<ProcessDefinitionRow[]> {
  if ('id' in selector) {
    const definition = await findProcessDefinition(tx, selector.id);
    if (!definition) throw new InvalidRequestError(404, `No process definition found with id '${selector.id}': processDefinition is null`);
    return [definition];
  }
  const definitions = await listProcessDefinitionsOfKey(tx, selector.key, selector.tenantId);
  if (definitions.length === 0) {
    const tenant = selector.tenantId === null ? 'and no tenant-id' : `and tenant-id: ${selector.tenantId}`;
    throw new RestError(404, `No matching process definition with key: ${selector.key} ${tenant}`);
  }
  return definitions;
}

/**
 * After definitions were deleted: start event subscriptions and timer start jobs of the version now latest of each
 * key whose latest version went (from its deployed model, as Camunda's BpmnDeployer adds them).
 */
export async function restoreStartEvents(ctx: ServiceContext, tx: Knex.Transaction, deleted: readonly ProcessDefinitionRow[]): Promise<void> {
  await unsubscribeEventStarts(ctx, tx, deleted);
  const keys = new Map(deleted.map((definition) => [`${definition.tenant_id ?? ''}\u0000${definition.key}`, definition]));
  for (const { key, tenant_id: tenantId } of keys.values()) {
    const remaining = await listProcessDefinitionsOfKey(tx, key, tenantId);
    const latest = remaining.reduce<ProcessDefinitionRow | undefined>((found, definition) => (!found || definition.version > found.version ? definition : found), undefined);
    if (!latest || !deleted.some((definition) => definition.key === key && definition.tenant_id === tenantId && definition.version > latest.version)) continue;
    if (await hasStartEventJobs(tx, latest.id)) continue;
    const resource = await findResourceByName(tx, latest.deployment_id, latest.resource_name);
    if (!resource) continue;
    const parsed = await parseBpmnOffThread(resource.name, resource.content.toString('utf8'), { scripts: ctx.options.scripts, delegatesAsExternalTasks: ctx.options.delegatesAsExternalTasks });
    const process = parsed.processes.find((candidate) => candidate.key === latest.key);
    if (process) await scheduleTimerStartEvents(ctx, tx, [{ definition: latest, jobs: process.jobDeclarations, eventStarts: process.eventStarts }]);
  }
}
