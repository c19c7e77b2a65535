/**
 * Call activities: the caller's wait starts a child instance in the same transaction, and the child's end continues
 * the caller (camunda:out applied) in the transaction that ended it. The advance function is passed in, as the
 * advancer calls these.
 */
import { ProcessEngineError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { fromPlainValue, toPlainValue, type StoredValue } from '../core/typed-value.js';
import {
  callActivityAttributes,
  calledBusinessKey,
  elementIdOfExecution,
  expressionContext,
  mappedVariables,
  resolveAttribute,
  VariableScopes,
  type CallActivityAttributes,
  type EngineCommand,
  type InstanceScope,
  type WaitingActivity,
} from '../engine/index.js';
import type { ExpressionContext } from '../expressions/index.js';
import type { Db } from '../persistence/database.js';
import { setCalledProcessInstance } from '../persistence/history-repository.js';
import { findBoundProcessDefinition, type ProcessDefinitionRow } from '../persistence/process-definition-repository.js';
import { lockInstance } from './command-kernel.js';
import type { AdvanceOptions, AdvanceResult, CallerLink, RunningInstance } from './instance-advancer.js';
import { processModelOf } from './instance-identity.js';
import type { CommandScope } from './run-command.js';
import type { ServiceContext } from './service-context.js';
import { instanceScope, writeVariables } from './variable-writer.js';

export type Advance = (ctx: ServiceContext, command: CommandScope, instance: RunningInstance, engineCommand: EngineCommand, options?: AdvanceOptions) => Promise<AdvanceResult>;

/** A child that ended while its caller's command was still running: the caller continues once its own writes are done. */
export interface EndedCall {
  callerEngineExecutionId: string;
  activityId: string;
  childVariables: Map<string, StoredValue>;
}

/** The caller of a child, locked (after the call tree's root, which the child's command locked first). */
export async function lockCaller(command: CommandScope, callerId: string): Promise<RunningInstance> {
  const { running } = await lockInstance(command.tx, callerId, () => new ProcessEngineError(`The caller ${callerId} of a child instance no longer exists`));
  return running;
}

/** What continuing a child's caller needs: its call activity's run, and the child's variables for `camunda:out`. */
export function endedCallOf(caller: CallerLink, childVariables: Map<string, StoredValue>): EndedCall {
  return { callerEngineExecutionId: caller.engineExecutionId, activityId: elementIdOfExecution(caller.engineExecutionId), childVariables };
}

async function calledDefinition(db: Db, caller: RunningInstance, wait: WaitingActivity, attributes: CallActivityAttributes, context: ExpressionContext): Promise<ProcessDefinitionRow> {
  const key = String(resolveAttribute(attributes.calledElement, context, `calledElement of '${wait.activityId}'`));
  const tenant = caller.tenantId;
  const version = attributes.binding === 'version' ? Number(resolveAttribute(attributes.version ?? '', context, 'calledElementVersion')) : undefined;
  const versionTag = attributes.binding === 'versionTag' ? String(resolveAttribute(attributes.versionTag ?? '', context, 'calledElementVersionTag')) : undefined;
  const deploymentId = attributes.binding === 'deployment' ? caller.definition.deployment_id : undefined;
  const found = await findBoundProcessDefinition(db, key, tenant, { version, versionTag, deploymentId });
  if (found) return found;
  const where = version !== undefined ? `key = '${key}', version = '${version}'` : versionTag !== undefined ? `key = '${key}', versionTag = '${versionTag}'` : `key '${key}'`;
  const inDeployment = deploymentId ? ` in deployment '${deploymentId}'` : '';
  throw new ProcessEngineError(`no processes deployed with ${where}${inDeployment} and tenant-id '${tenant}': processDefinition is null`);
}

/** Starts the child of a call activity that began waiting; returns what is needed to continue the caller if the child already ended. */
export async function startCalledInstance(
  ctx: ServiceContext,
  command: CommandScope,
  advance: Advance,
  caller: RunningInstance,
  scope: InstanceScope,
  wait: WaitingActivity,
  callerExecutionId: string,
): Promise<EndedCall | null> {
  const attributes = callActivityAttributes(wait.behaviour);
  const context = expressionContext(scope, wait.executionId, wait.activityId);
  const definition = await calledDefinition(command.tx, caller, wait, attributes, context);
  if (definition.suspended) throw new ProcessEngineError(`ENGINE-03043 Process Definition with id '${definition.id}' is suspended.`);
  const where = `call activity '${wait.activityId}'`;
  const inputs = mappedVariables(attributes.ins, { visible: scope.variables.visible(wait.executionId), local: scope.variables.localsOf(wait.executionId), context }, where);
  const now = ctx.clock.now();
  const link: CallerLink = { processInstanceId: caller.processInstanceId, executionId: callerExecutionId, engineExecutionId: wait.executionId };
  const child: RunningInstance = {
    processInstanceId: newId(),
    businessKey: calledBusinessKey(attributes, context, where),
    tenantId: definition.tenant_id,
    definition,
    version: null,
    startTime: now,
    rootProcessInstanceId: caller.rootProcessInstanceId,
    caller: link,
  };
  await writeVariables(command.tx, child, instanceScope(child), new Map([...inputs].map(([name, value]) => [name, fromPlainValue(value)])), now, { fromCaller: true });
  await setCalledProcessInstance(command.tx, caller.processInstanceId, wait.executionId, child.processInstanceId);
  const result = await advance(ctx, command, child, { kind: 'start' }, { returnToCaller: true });
  return result.ended ? endedCallOf(link, result.variables) : null;
}

/** Continues the caller of a child that ended: `camunda:out` sets its variables, and the call activity completes. */
export async function continueCaller(ctx: ServiceContext, command: CommandScope, advance: Advance, callerId: string, ended: EndedCall): Promise<void> {
  const running = await lockCaller(command, callerId);
  const attributes = callActivityAttributes(ctx.cache.behaviourOf(processModelOf(running), ended.activityId));
  const childValues = Object.fromEntries([...ended.childVariables].map(([name, value]) => [name, toPlainValue(value)]));
  await advance(ctx, command, running, { kind: 'signal', activityId: ended.activityId, executionId: ended.callerEngineExecutionId }, {
    beforeRun: (scope) => {
      const childScope: InstanceScope = { ...scope, variables: new VariableScopes({ ...childValues }) };
      const outputs = mappedVariables(attributes.outs, { visible: childValues, local: childValues, context: expressionContext(childScope, ended.callerEngineExecutionId, ended.activityId) }, `call activity '${ended.activityId}'`);
      for (const [name, value] of outputs) scope.variables.set(ended.callerEngineExecutionId, name, value);
    },
  });
}
