/** Variables of one execution's own scope (Camunda's local variables), for `/process-instance/{id}/variables` and `/execution/{id}/localVariables`. */
import { InvalidRequestError, NullValueError, RestError } from '../core/errors.js';
import { parseVariableDto, type StoredValue, type VariableValueDto } from '../core/typed-value.js';
import type { Db } from '../persistence/database.js';
import { findChildExecution, findExecution } from '../persistence/execution-repository.js';
import { findActivityInstanceByExecution } from '../persistence/history-repository.js';
import { findProcessInstance } from '../persistence/process-instance-repository.js';
import { findVariable, findVariableHeader, listVariables, storedValueOf } from '../persistence/variable-repository.js';
import { variableDataOf, type VariableData } from './variable-data.js';
import { lockInstance } from './command-kernel.js';
import { parsedVariables } from './runtime-service.js';
import type { InstanceIdentity } from './instance-identity.js';
import { runCommand } from './run-command.js';
import type { ServiceContext } from './service-context.js';
import { instanceScope, removeVariable, writeVariable, writeVariables, type VariableScope } from './variable-writer.js';
import { evaluateConditionalEvents } from './instance-advancer.js';
import { instanceTarget, logUserOperation } from './user-operation-log.js';

/** Whose variables: Camunda words its messages after the resource the client called. */
export interface VariableTarget {
  resource: 'process instance' | 'execution';
  id: string;
}

interface ResolvedScope {
  processInstanceId: string;
  scope: VariableScope;
}

function missingExecution(id: string): string {
  return `execution ${id} doesn't exist: execution is null`;
}

/**
 * The variable scope of an execution: the process instance's, or that of the activity instance it is the scope
 * execution of (a sub-process, a task with boundary events or mappings); a concurrent execution's is its activity's.
 */
async function scopeOf(db: Db, target: VariableTarget): Promise<ResolvedScope | null> {
  const instance = await findProcessInstance(db, target.id);
  if (instance) return { processInstanceId: instance.id, scope: instanceScope({ processInstanceId: instance.id }) };
  if (target.resource === 'process instance') return null;
  const execution = await findExecution(db, target.id);
  if (!execution) return null;
  let run = execution.engine_scope_id ?? (execution.is_concurrent ? execution.engine_token_id : null);
  if (run === null && execution.is_concurrent) run = (await findChildExecution(db, execution.id))?.engine_scope_id ?? null;
  const activityInstance = run ? await findActivityInstanceByExecution(db, execution.process_instance_id, run) : undefined;
  if (!activityInstance) return { processInstanceId: execution.process_instance_id, scope: instanceScope({ processInstanceId: execution.process_instance_id }) };
  return { processInstanceId: execution.process_instance_id, scope: { scopeId: activityInstance.id, activityInstanceId: activityInstance.id, taskId: null, executionId: activityInstance.execution_id } };
}

async function requireScope(db: Db, target: VariableTarget, notFound: () => Error = () => new NullValueError(missingExecution(target.id))): Promise<ResolvedScope> {
  const resolved = await scopeOf(db, target);
  if (!resolved) throw notFound();
  return resolved;
}

export async function getScopeVariables(ctx: ServiceContext, target: VariableTarget): Promise<Map<string, StoredValue>> {
  const { scope } = await requireScope(ctx.database.knex, target);
  const rows = await listVariables(ctx.database.knex, scope.scopeId);
  return new Map(rows.map((r) => [r.name, storedValueOf(r)]));
}

async function findScopeVariable<R>(ctx: ServiceContext, target: VariableTarget, name: string, find: (db: Db, scopeId: string, name: string) => Promise<R | undefined>): Promise<R> {
  const { scope } = await requireScope(ctx.database.knex, target, () => new RestError(500, `Cannot get ${target.resource} variable ${name}: ${missingExecution(target.id)}`));
  const row = await find(ctx.database.knex, scope.scopeId, name);
  if (!row) throw new InvalidRequestError(404, `${target.resource} variable with name ${name} does not exist`);
  return row;
}

export async function getScopeVariable(ctx: ServiceContext, target: VariableTarget, name: string): Promise<StoredValue> {
  return storedValueOf(await findScopeVariable(ctx, target, name, findVariable));
}

/** A variable's binary content for `…/data`, read in pieces. */
export async function getScopeVariableData(ctx: ServiceContext, target: VariableTarget, name: string): Promise<VariableData> {
  return variableDataOf(ctx.database.knex, await findScopeVariable(ctx, target, name, findVariableHeader));
}

/** Runs a write in the instance's command, with the scope resolved under the instance's row lock. */
async function inScopeCommand(ctx: ServiceContext, name: string, operationType: string, target: VariableTarget, describeFailure: (message: string) => string, write: (tx: Db, resolved: ResolvedScope, identity: InstanceIdentity) => Promise<void>): Promise<void> {
  const notFound = () => new RestError(500, describeFailure(missingExecution(target.id)));
  const located = await requireScope(ctx.database.knex, target, notFound);
  await runCommand(ctx, name, async (command) => {
    const { identity, row } = await lockInstance(command.tx, located.processInstanceId, notFound);
    // Variable entries name no variable (as Camunda's): the audit trail holds no patient data.
    const operationTarget = instanceTarget({ processInstanceId: identity.processInstanceId, rootProcessInstanceId: row.root_process_instance_id, definition: identity.definition });
    await logUserOperation(ctx, command.tx, { operationType, entityType: 'Variable', category: 'Operator', target: operationTarget });
    await write(command.tx, await requireScope(command.tx, target, notFound), identity);
    await evaluateConditionalEvents(ctx, command, identity);
  });
}

/** Applies modifications then deletions in one command, as Camunda's POST …/variables. */
export async function modifyScopeVariables(
  ctx: ServiceContext,
  target: VariableTarget,
  modifications: Record<string, VariableValueDto> | null | undefined,
  deletions: string[] | null | undefined,
): Promise<void> {
  const describeFailure = (message: string) => `Cannot modify variables for ${target.resource} ${target.id}: ${message}`;
  // As Camunda's resource: a value it cannot read names no scope, a failing command does.
  const values = parsedVariables(modifications, (message) => `Cannot modify variables for ${target.resource}: ${message}`).stored;
  await inScopeCommand(ctx, 'modify variables', 'ModifyVariable', target, describeFailure, async (tx, { scope }, identity) => {
    await writeVariables(tx, identity, scope, values, ctx.clock.now());
    for (const name of deletions ?? []) await removeVariable(tx, scope.scopeId, name);
  });
}

export async function putScopeVariable(ctx: ServiceContext, target: VariableTarget, name: string, dto: VariableValueDto): Promise<void> {
  const describeFailure = (message: string) => `Cannot put ${target.resource} variable ${name}: ${message}`;
  let value: StoredValue;
  try {
    value = parseVariableDto(dto);
  } catch (error) {
    throw new InvalidRequestError(400, describeFailure((error as Error).message), { cause: error });
  }
  await putScopeStoredVariable(ctx, target, name, value);
}

/** Sets a variable from its stored form (an uploaded Bytes or File value: no base64 copy of its content). */
export async function putScopeStoredVariable(ctx: ServiceContext, target: VariableTarget, name: string, value: StoredValue): Promise<void> {
  const describeFailure = (message: string) => `Cannot put ${target.resource} variable ${name}: ${message}`;
  await inScopeCommand(ctx, 'put variable', 'SetVariable', target, describeFailure, async (tx, { scope }, identity) => {
    await writeVariable(tx, identity, scope, name, value, ctx.clock.now());
  });
}

export async function deleteScopeVariable(ctx: ServiceContext, target: VariableTarget, name: string): Promise<void> {
  const describeFailure = (message: string) => `Cannot delete ${target.resource} variable ${name}: ${message}`;
  await inScopeCommand(ctx, 'delete variable', 'RemoveVariable', target, describeFailure, async (tx, { scope }) => {
    await removeVariable(tx, scope.scopeId, name);
  });
}
