/** Process instances: start, inspect, delete, and their variables, each write a single-commit command. */
import { CamundaError, InvalidRequestError, RestError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { isTransient, parseVariableDtos, toPlainValue, type StoredValue, type VariableValueDto } from '../core/typed-value.js';
import { findProcessDefinition, type ProcessDefinitionRow } from '../persistence/process-definition-repository.js';
import { findProcessInstance, type ProcessInstanceRow } from '../persistence/process-instance-repository.js';
import { advanceInstance, type RunningInstance } from './instance-advancer.js';
import type { InstanceIdentity } from './instance-identity.js';
import { getProcessDefinition, type DefinitionReference } from './process-definition-service.js';
import { suspendInstances } from './instance-suspension.js';
import { runCommand, type CommandScope } from './run-command.js';
import type { ServiceContext } from './service-context.js';
import { terminateInstance } from './termination.js';
import { instanceScope, writeVariables } from './variable-writer.js';
import { instanceTarget, logUserOperation } from './user-operation-log.js';

export interface StartRequest {
  businessKey?: string | null;
  variables?: Record<string, VariableValueDto> | null;
  withVariablesInReturn?: boolean;
}

export interface StartedInstance {
  id: string;
  definition: ProcessDefinitionRow;
  businessKey: string | null;
  tenantId: string | null;
  ended: boolean;
  suspended: boolean;
  variables: Map<string, StoredValue> | null;
}

/** Splits request variables into the ones to store and transient ones the engine sees for this command only. */
export function partitionVariables(dtos: Record<string, VariableValueDto> | null | undefined) {
  const stored = parseVariableDtos(dtos);
  const transientNames = Object.entries(dtos ?? {}).filter(([, dto]) => dto && isTransient(dto)).map(([name]) => name);
  // Object.fromEntries defines own properties, so a variable named `__proto__` is a key like any other.
  const transient: Record<string, unknown> = Object.fromEntries(transientNames.map((name) => [name, toPlainValue(stored.get(name)!)]));
  for (const name of transientNames) stored.delete(name);
  return { stored, transient };
}

export type PartitionedVariables = ReturnType<typeof partitionVariables>;

/** Request variables partitioned, or Camunda's 400 whose message `describe` words (a value that does not parse). */
export function parsedVariables(dtos: Record<string, VariableValueDto> | null | undefined, describe: (message: string) => string = (message) => message): PartitionedVariables {
  try {
    return partitionVariables(dtos);
  } catch (error) {
    throw new InvalidRequestError(400, describe((error as Error).message), { cause: error });
  }
}

/** By id Camunda's start resource asks the engine at once, so a missing definition fails the start (500), not the lookup (404). */
async function definitionToStart(ctx: ServiceContext, reference: DefinitionReference): Promise<ProcessDefinitionRow> {
  if (!('id' in reference)) return getProcessDefinition(ctx, reference);
  const definition = await findProcessDefinition(ctx.database.knex, reference.id);
  if (!definition) throw new RestError(500, `Cannot instantiate process definition ${reference.id}: no deployed process definition found with id '${reference.id}': processDefinition is null`);
  return definition;
}

export async function startProcessInstance(ctx: ServiceContext, reference: DefinitionReference, request: StartRequest): Promise<StartedInstance> {
  const definition = await definitionToStart(ctx, reference);
  const variables = parsedVariables(request.variables, (message) => `Cannot instantiate process definition ${definition.id}: ${message}`);
  if (definition.suspended) throw new RestError(500, `Cannot instantiate process definition ${definition.id}: ENGINE-03043 Process Definition with id '${definition.id}' is suspended.`);

  try {
    return await runCommand(ctx, 'start process instance', async (command) => {
      const started = await startInCommand(ctx, command, definition, request, variables);
      await logUserOperation(ctx, command.tx, { operationType: 'Create', entityType: 'ProcessInstance', category: 'Operator', target: instanceTarget({ processInstanceId: started.id, rootProcessInstanceId: started.id, definition }) });
      return started;
    });
  } catch (error) {
    // Camunda's start resource wraps what the engine throws (ProcessDefinitionRestServiceImpl).
    if (error instanceof CamundaError && error.type === 'ProcessEngineException') throw new RestError(500, `Cannot instantiate process definition ${definition.id}: ${error.message}`, { cause: error });
    throw error;
  }
}

/**
 * Starts an instance of `definition` within `command`: at `startEventId` (a timer start event's job), else at its none
 * start event.
 */
export async function startInCommand(
  ctx: ServiceContext,
  command: CommandScope,
  definition: ProcessDefinitionRow,
  request: StartRequest,
  variables: PartitionedVariables = partitionVariables(null),
  startEventId?: string,
): Promise<StartedInstance> {
  const identity: InstanceIdentity = { processInstanceId: newId(), businessKey: request.businessKey ?? null, tenantId: definition.tenant_id, definition };
  const now = ctx.clock.now();
  await writeVariables(command.tx, identity, instanceScope(identity), variables.stored, now, { initial: true });
  const instance: RunningInstance = { ...identity, version: null, startTime: now, rootProcessInstanceId: identity.processInstanceId, caller: null };
  const result = await advanceInstance(ctx, command, instance, { kind: 'start', startEventId }, { transientVariables: variables.transient, variablesWithContent: request.withVariablesInReturn === true });
  return {
    id: identity.processInstanceId,
    definition,
    businessKey: identity.businessKey,
    tenantId: identity.tenantId,
    ended: result.ended,
    suspended: false,
    variables: request.withVariablesInReturn ? result.variables : null,
  };
}

export async function getProcessInstance(ctx: ServiceContext, id: string): Promise<ProcessInstanceRow> {
  const row = await findProcessInstance(ctx.database.knex, id);
  if (!row) throw new InvalidRequestError(404, `Process instance with id ${id} does not exist`);
  return row;
}

/** Deletes an instance; a batch (`logged: false`) records one operation for all its instances instead of one each. */
export async function deleteProcessInstance(ctx: ServiceContext, id: string, options: { failIfNotExists: boolean; deleteReason?: string | null; logged?: boolean }): Promise<void> {
  const deleted = await runCommand(ctx, 'delete process instance', async ({ tx }) => {
    const instance = await findProcessInstance(tx, id);
    const definition = instance && (await findProcessDefinition(tx, instance.process_definition_id));
    if (instance && definition && options.logged !== false) {
      const target = instanceTarget({ processInstanceId: id, rootProcessInstanceId: instance.root_process_instance_id, definition });
      await logUserOperation(ctx, tx, { operationType: 'Delete', entityType: 'ProcessInstance', category: 'Operator', target });
    }
    return terminateInstance(ctx, tx, id, { purgeHistory: false, deleteReason: options.deleteReason ?? null });
  });
  if (!deleted && options.failIfNotExists) throw new InvalidRequestError(404, `Process instance with id ${id} does not exist`);
}

/**
 * Camunda's SuspendedEntityInteractionException (ENGINE-03043) for work on a suspended task or external task: the
 * task resources that let it through (claim, unclaim, assignee) answer 400, as Operaton does.
 */
export function suspendedEntityError(entityType: 'task' | 'ExternalTask', id: string): CamundaError {
  return new CamundaError(entityType === 'task' ? 400 : 500, 'SuspendedEntityInteractionException', `ENGINE-03043 ${entityType} with id '${id}' is suspended.`);
}

/**
 * Suspends or activates an instance with its user tasks, external tasks and jobs in one command, and marks its history
 * SUSPENDED or ACTIVE (Camunda's updateSuspensionState byProcessInstanceId: an unknown id changes nothing).
 * Activated external tasks wake parked fetchAndLock requests.
 */
export async function setProcessInstanceSuspended(ctx: ServiceContext, id: string, suspended: boolean): Promise<void> {
  await runCommand(ctx, suspended ? 'suspend process instance' : 'activate process instance', async ({ tx }) => {
    const instance = await findProcessInstance(tx, id);
    const definition = instance && (await findProcessDefinition(tx, instance.process_definition_id));
    if (instance && definition) {
      await logUserOperation(ctx, tx, {
        operationType: suspended ? 'Suspend' : 'Activate',
        entityType: 'ProcessInstance',
        category: 'Operator',
        target: instanceTarget({ processInstanceId: id, rootProcessInstanceId: instance.root_process_instance_id, definition }),
        properties: [{ property: 'suspensionState', orgValue: null, newValue: suspended ? 'suspended' : 'active' }],
      });
    }
    await suspendInstances(tx, [id], suspended, ctx.options.kafka, ctx.clock.now());
  });
}
