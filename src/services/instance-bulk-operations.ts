/** Suspending, activating and deleting many process instances at once (Camunda's PUT /process-instance/suspended and batch deletion). */
import { BadUserRequestError, InvalidRequestError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { processInstanceQuery, type ProcessInstanceFilter } from '../persistence/process-instance-repository.js';
import { currentAuthentication } from './authentication.js';
import { suspendInstances } from './instance-suspension.js';
import { runCommand } from './run-command.js';
import { deleteProcessInstance } from './runtime-service.js';
import type { ServiceContext } from './service-context.js';
import { logUserOperation, type PropertyChange } from './user-operation-log.js';

/** The instances of process definitions to suspend or activate: by id, or by key with Camunda's tenant options. */
export interface DefinitionSelection {
  processDefinitionId?: string | null;
  processDefinitionKey?: string | null;
  processDefinitionTenantId?: string | null;
  processDefinitionWithoutTenantId?: boolean | null;
}

function definitionFilter(selection: DefinitionSelection): ProcessInstanceFilter {
  const { processDefinitionId, processDefinitionKey, processDefinitionTenantId, processDefinitionWithoutTenantId } = selection;
  if (!processDefinitionId && !processDefinitionKey) throw new InvalidRequestError(400, 'Either processDefinitionId or processDefinitionKey should be set to update the suspension state.');
  if (processDefinitionId && processDefinitionKey) throw new InvalidRequestError(400, 'Only one of processDefinitionId or processDefinitionKey should be set to update the suspension state.');
  if (processDefinitionId) return { processDefinitionId };
  if (processDefinitionWithoutTenantId === true) return { processDefinitionKey: processDefinitionKey!, withoutTenantId: true };
  return processDefinitionTenantId ? { processDefinitionKey: processDefinitionKey!, tenantIdIn: [processDefinitionTenantId] } : { processDefinitionKey: processDefinitionKey! };
}

/**
 * Camunda's PUT /process-instance/suspended, synchronous: either the instances of a process definition, or a group of
 * instances (`ids`, already resolved from ids and queries). Unknown ids are skipped; an empty group is refused.
 */
export async function setProcessInstancesSuspended(ctx: ServiceContext, selection: DefinitionSelection & { ids?: readonly string[] }, suspended: boolean): Promise<void> {
  if (selection.ids !== undefined && (selection.processDefinitionId || selection.processDefinitionKey)) {
    throw new InvalidRequestError(400, 'Choose either a single processInstance with processDefinitionId or processDefinitionKey or a group of processInstances with processInstanceIds, procesInstanceQuery or historicProcessInstanceQuery.');
  }
  if (selection.ids !== undefined && selection.ids.length === 0) throw new BadUserRequestError('No process instance ids given: Process Instance ids is empty');
  const filter = selection.ids === undefined ? definitionFilter(selection) : undefined;
  const suspensionState = { property: 'suspensionState', orgValue: null, newValue: suspended ? 'suspended' : 'active' };
  await runCommand(ctx, suspended ? 'suspend process instances' : 'activate process instances', async ({ tx }) => {
    if (filter) {
      const target = { processDefinitionId: filter.processDefinitionId ?? null, processDefinitionKey: filter.processDefinitionKey ?? null };
      await logUserOperation(ctx, tx, { operationType: suspended ? 'Suspend' : 'Activate', entityType: 'ProcessInstance', category: 'Operator', target, properties: [suspensionState] });
    } else {
      // Operaton names a group's operation SuspendJob / ActivateJob, then records each instance's change.
      const properties = [{ property: 'nrOfInstances', orgValue: null, newValue: selection.ids!.length }, { property: 'async', orgValue: null, newValue: false }];
      await logUserOperation(ctx, tx, { operationType: suspended ? 'SuspendJob' : 'ActivateJob', entityType: 'ProcessInstance', category: 'Operator', target: {}, properties });
    }
    const ids = filter ? (await processInstanceQuery.list(tx, filter, {})).map((row) => row.id) : [...selection.ids!];
    if (!filter) {
      for (const row of await processInstanceQuery.list(tx, { processInstanceIds: ids }, {})) {
        const target = { processInstanceId: row.id, processDefinitionId: row.process_definition_id, processDefinitionKey: row.process_definition_key, rootProcessInstanceId: row.root_process_instance_id, tenantId: row.tenant_id };
        await logUserOperation(ctx, tx, { operationType: suspended ? 'Suspend' : 'Activate', entityType: 'ProcessInstance', category: 'Operator', target, properties: [suspensionState] });
      }
    }
    await suspendInstances(tx, [...ids].sort(), suspended, ctx.options.kafka, ctx.clock.now());
  });
}

/** What Camunda's Batch DTO describes; here the work is done when it is answered. */
export interface CompletedBatch {
  id: string;
  type: 'instance-deletion';
  totalJobs: number;
  startTime: Date;
  createUserId: string | null;
}

export interface DeletionRequest {
  deleteReason?: string | null;
  skipSubprocesses?: boolean | null;
}

/**
 * Camunda's POST /process-instance/delete (and its historic-query variant): Camunda answers a batch and deletes
 * through batch jobs, one instance each; here each instance is deleted in its own command before the answer, which
 * describes the batch as done (an intended difference). As in Camunda's batch, ids that name no running instance are
 * counted and skipped. Leaving called instances running (`skipSubprocesses`) is not supported and refused.
 */
export async function deleteProcessInstancesAsBatch(ctx: ServiceContext, ids: readonly string[], request: DeletionRequest): Promise<CompletedBatch> {
  if (ids.length === 0) throw new InvalidRequestError(400, 'processInstanceIds is empty');
  if (request.skipSubprocesses === true) throw new InvalidRequestError(400, 'skipSubprocesses is not supported: the instances called by a deleted instance are deleted with it');
  const startTime = ctx.clock.now();
  const properties: PropertyChange[] = [{ property: 'nrOfInstances', orgValue: null, newValue: ids.length }, { property: 'async', orgValue: null, newValue: true }];
  if (request.deleteReason) properties.push({ property: 'deleteReason', orgValue: null, newValue: request.deleteReason });
  await runCommand(ctx, 'log batch deletion', ({ tx }) => logUserOperation(ctx, tx, { operationType: 'Delete', entityType: 'ProcessInstance', category: 'Operator', target: {}, properties }));
  for (const id of ids) await deleteProcessInstance(ctx, id, { failIfNotExists: false, deleteReason: request.deleteReason ?? null, logged: false });
  return { id: newId(), type: 'instance-deletion', totalJobs: ids.length, startTime, createUserId: currentAuthentication()?.userId ?? null };
}
