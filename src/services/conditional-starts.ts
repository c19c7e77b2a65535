/** `POST /condition`: evaluates the conditional start events of the latest definitions and starts an instance for each that holds. */
import { CamundaError, ProcessEngineError } from '../core/errors.js';
import { toPlainValue, type VariableValueDto } from '../core/typed-value.js';
import { conditionHolds, VariableScopes, type ConditionDefinition } from '../engine/index.js';
import { listStartSubscriptions, tenantChoiceOf } from '../persistence/event-subscription-repository.js';
import { findProcessDefinition } from '../persistence/process-definition-repository.js';
import { startAtEvent } from './event-delivery.js';
import { runCommand } from './run-command.js';
import { parsedVariables, type PartitionedVariables, type StartedInstance } from './runtime-service.js';
import type { ServiceContext } from './service-context.js';

export interface ConditionRequest {
  variables?: Record<string, VariableValueDto> | null;
  businessKey?: string | null;
  processDefinitionId?: string | null;
  tenantId?: string | null;
  withoutTenantId?: boolean;
}

function holds(ctx: ServiceContext, variables: PartitionedVariables, activityId: string, condition: ConditionDefinition): boolean {
  const plain: Record<string, unknown> = Object.fromEntries([...variables.stored].map(([name, value]) => [name, toPlainValue(value)]));
  Object.assign(plain, variables.transient);
  const scope = { processInstanceId: '', processDefinitionId: '', businessKey: null, clock: ctx.clock, variables: new VariableScopes(plain), scripts: ctx.options.scripts };
  try {
    return conditionHolds(scope, null, activityId, condition.expression);
  } catch (error) {
    throw new ProcessEngineError(`Error while evaluating expression: ${condition.expression}. Cause: ${(error as Error).message}`, { cause: error });
  }
}

/** Starts, in one command, an instance at every conditional start event whose condition holds for the variables. */
export async function evaluateConditions(ctx: ServiceContext, request: ConditionRequest): Promise<StartedInstance[]> {
  const variables = parsedVariables(request.variables);
  const tenant = tenantChoiceOf(request.tenantId, request.withoutTenantId);
  return runCommand(ctx, 'evaluate conditions', async (command) => {
    const db = command.tx;
    if (request.processDefinitionId) {
      const definition = await findProcessDefinition(db, request.processDefinitionId);
      if (!definition) throw new CamundaError(400, 'NotFoundException', `no deployed process definition found with id '${request.processDefinitionId}': processDefinition is null`);
    }
    const subscriptions = await listStartSubscriptions(db, { eventType: 'conditional', processDefinitionId: request.processDefinitionId ?? undefined, tenant });
    if (subscriptions.length === 0) {
      if (request.processDefinitionId) throw new ProcessEngineError(`ENGINE-13042 Process definition with id '${request.processDefinitionId}' does not declare conditional start event.`);
      throw new ProcessEngineError('ENGINE-13043 No subscriptions were found during evaluation of the conditional start events.');
    }
    // Without variables no condition can hold (Camunda evaluates nothing then).
    if (variables.stored.size === 0 && Object.keys(variables.transient).length === 0) return [];
    const started: StartedInstance[] = [];
    for (const subscription of subscriptions) {
      const condition = JSON.parse(subscription.configuration ?? '{}') as ConditionDefinition;
      if (!holds(ctx, variables, subscription.activity_id, condition)) continue;
      const definition = (await findProcessDefinition(db, subscription.process_definition_id!))!;
      started.push(await startAtEvent(ctx, command, definition, subscription.activity_id, request.businessKey ?? null, variables, false));
    }
    return started;
  });
}
