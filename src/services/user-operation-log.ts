/**
 * Records user operations (Camunda's user operation log) in the transaction of the command that carries them out, so
 * an operation and its audit entries commit or roll back together. What each operation writes follows Operaton, the
 * reference engine: see the "Audit trail" section of the README.
 */
import { BadUserRequestError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { Db } from '../persistence/database.js';
import { annotateUserOperation, insertUserOperationLogEntries } from '../persistence/user-operation-log-repository.js';
import type { ProcessDefinitionRow } from '../persistence/process-definition-repository.js';
import { currentAuthentication } from './authentication.js';
import { commandOperationId } from './command-operation.js';
import { runCommand } from './run-command.js';
import type { ServiceContext } from './service-context.js';

export type OperationCategory = 'Operator' | 'TaskWorker' | 'Admin';

/** The ids an entry names; what an operation leaves out is null. */
export interface OperationTarget {
  deploymentId?: string | null;
  processDefinitionId?: string | null;
  processDefinitionKey?: string | null;
  processInstanceId?: string | null;
  executionId?: string | null;
  taskId?: string | null;
  jobId?: string | null;
  jobDefinitionId?: string | null;
  externalTaskId?: string | null;
  rootProcessInstanceId?: string | null;
  tenantId?: string | null;
}

/** A changed property (null: the entity as a whole, as identity operations name it); values are written as text, and never a variable's value. */
export interface PropertyChange {
  property: string | null;
  orgValue: string | number | boolean | null;
  newValue: string | number | boolean | null;
}

export interface UserOperation {
  operationType: string;
  entityType: string;
  category: OperationCategory;
  target: OperationTarget;
  /** One entry per change; an operation without properties writes one entry with none. */
  properties?: PropertyChange[];
}

/**
 * Camunda records changes of users and groups as Admin operations naming the entity's id as newValue of `userId` or
 * `groupId`, and of a membership as one entry each for the user and the group; it records nothing for a change that
 * did not happen.
 */
export async function logIdentityOperation(ctx: ServiceContext, db: Db, operationType: 'Create' | 'Update' | 'Delete', entity: { user: string } | { group: string } | { user: string; group: string }): Promise<void> {
  const membership = 'user' in entity && 'group' in entity;
  await logUserOperation(ctx, db, {
    operationType,
    entityType: membership ? 'Group membership' : 'user' in entity ? 'User' : 'Group',
    category: 'Admin',
    target: {},
    properties: [
      ...('user' in entity ? [{ property: 'userId', orgValue: null, newValue: entity.user }] : []),
      ...('group' in entity ? [{ property: 'groupId', orgValue: null, newValue: entity.group }] : []),
    ],
  });
}

/** The ids of a process definition's entries. */
export function definitionTarget(definition: Pick<ProcessDefinitionRow, 'id' | 'key' | 'deployment_id' | 'tenant_id'>): OperationTarget {
  return { processDefinitionId: definition.id, processDefinitionKey: definition.key, deploymentId: definition.deployment_id, tenantId: definition.tenant_id };
}

/** The ids of an instance's entries: its definition's, its own and its call tree's root. */
export function instanceTarget(instance: { processInstanceId: string; rootProcessInstanceId: string; definition: Pick<ProcessDefinitionRow, 'id' | 'key' | 'deployment_id' | 'tenant_id'> }): OperationTarget {
  return { ...definitionTarget(instance.definition), processInstanceId: instance.processInstanceId, rootProcessInstanceId: instance.rootProcessInstanceId };
}

function text(value: string | number | boolean | null): string | null {
  return value === null ? null : String(value);
}

/**
 * Writes the entries of one user operation under its command's operation id (as Camunda, every operation of one
 * command shares it), for the authenticated user of the request. Like Camunda
 * (restrictUserOperationLogToAuthenticatedUsers), an operation without one is not recorded unless configured.
 */
export async function logUserOperation(ctx: ServiceContext, db: Db, operation: UserOperation): Promise<void> {
  const userId = currentAuthentication()?.userId ?? null;
  if (userId === null && ctx.options.restrictUserOperationLogToAuthenticatedUsers) return;
  const operationId = commandOperationId(db) ?? newId();
  const timestamp = ctx.clock.now();
  const target = operation.target;
  const changes = operation.properties?.length ? operation.properties : [null];
  await insertUserOperationLogEntries(db, changes.map((change) => ({
    id: newId(),
    operation_id: operationId,
    operation_type: operation.operationType,
    entity_type: operation.entityType,
    category: operation.category,
    user_id: userId,
    timestamp,
    property: change?.property ?? null,
    org_value: change ? text(change.orgValue) : null,
    new_value: change ? text(change.newValue) : null,
    deployment_id: target.deploymentId ?? null,
    process_definition_id: target.processDefinitionId ?? null,
    process_definition_key: target.processDefinitionKey ?? null,
    process_instance_id: target.processInstanceId ?? null,
    execution_id: target.executionId ?? null,
    task_id: target.taskId ?? null,
    job_id: target.jobId ?? null,
    job_definition_id: target.jobDefinitionId ?? null,
    external_task_id: target.externalTaskId ?? null,
    batch_id: null,
    root_process_instance_id: target.rootProcessInstanceId ?? null,
    tenant_id: target.tenantId ?? null,
  })));
}

/**
 * Sets (or with null clears) the annotation of an operation's entries, and records that as an operation of its own
 * (entity OperationLog, property operationId), as Camunda does; an unknown operation id is a 400.
 */
export async function annotateOperation(ctx: ServiceContext, operationId: string, change: { set: true; annotation: string | null } | { set: false }): Promise<void> {
  const annotation = change.set ? change.annotation : null;
  await runCommand(ctx, change.set ? 'set annotation' : 'clear annotation', async ({ tx }) => {
    if (!(await annotateUserOperation(tx, operationId, annotation))) throw new BadUserRequestError('operation is null');
    await logUserOperation(ctx, tx, {
      // Setting no annotation clears it, and Camunda records it so.
      operationType: annotation !== null ? 'SetAnnotation' : 'ClearAnnotation',
      entityType: 'OperationLog',
      category: 'Operator',
      target: {},
      properties: [{ property: 'operationId', orgValue: null, newValue: operationId }],
    });
  });
}
