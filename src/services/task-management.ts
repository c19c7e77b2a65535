/**
 * Task management beyond the work on a task: stand-alone tasks (create, update, delete), delegation and resolution,
 * identity links, and the candidate group report.
 */
import type { Knex } from 'knex';
import { BadUserRequestError, CamundaError, InvalidRequestError, NullValueError, ProcessEngineError, RestError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { VariableValueDto } from '../core/typed-value.js';
import { insertHistoricTaskInstances, updateHistoricTaskInstance } from '../persistence/historic-task-repository.js';
import { candidateGroupCounts, findTask, insertStandaloneTask, isProcessTask, updateTask, type CustomIdentityLink, type TaskRow } from '../persistence/task-repository.js';
import type { LockedInstance } from './command-kernel.js';
import { linksOfNewTask, type IdentityLinkChange } from './identity-link-log.js';
import { runCommand } from './run-command.js';
import type { PropertyChange } from './user-operation-log.js';
import { parsedVariables } from './runtime-service.js';
import type { ServiceContext } from './service-context.js';
import { assign, endStandaloneTask, logLinkChanges, logTaskOperation, markTaskUpdated, onTask, taskIsNull } from './task-service.js';
import { instanceScope, writeVariables } from './variable-writer.js';

/** A task's attributes as `POST /task/create` and `PUT /task/{id}` set them (dates already parsed). */
export interface TaskAttributes {
  id?: string | null;
  name: string | null;
  description: string | null;
  assignee: string | null;
  owner: string | null;
  delegationState: 'PENDING' | 'RESOLVED' | null;
  due: Date | null;
  followUp: Date | null;
  /** Camunda's TaskDto holds an int: a body without one sets 0. */
  priority: number;
  parentTaskId: string | null;
  caseInstanceId: string | null;
  tenantId: string | null;
}

export interface CandidateGroupCount {
  groupName: string | null;
  taskCount: number;
}

/** A task's properties as Camunda's user operation log names them (dates in epoch milliseconds). */
function auditedProperties(task: Pick<TaskRow, 'name' | 'description' | 'priority' | 'assignee' | 'owner' | 'delegation_state' | 'due_date' | 'follow_up_date' | 'parent_task_id' | 'case_instance_id' | 'tenant_id'>) {
  return {
    name: task.name, description: task.description, priority: task.priority, assignee: task.assignee, owner: task.owner,
    delegation: task.delegation_state, dueDate: task.due_date?.getTime() ?? null, followUpDate: task.follow_up_date?.getTime() ?? null,
    parentTask: task.parent_task_id, caseInstanceId: task.case_instance_id, tenantId: task.tenant_id,
  };
}

/** The properties that differ, as Camunda logs a saved task: only changed ones (a new task's against priority 50, the rest null). */
function changedProperties(before: ReturnType<typeof auditedProperties>, after: ReturnType<typeof auditedProperties>): PropertyChange[] {
  return Object.entries(after)
    .filter(([property, value]) => before[property as keyof typeof before] !== value)
    .map(([property, newValue]) => ({ property, orgValue: before[property as keyof typeof before], newValue }));
}

const NEW_TASK_PROPERTIES = auditedProperties({
  name: null, description: null, priority: 50, assignee: null, owner: null, delegation_state: null, due_date: null,
  follow_up_date: null, parent_task_id: null, case_instance_id: null, tenant_id: null,
});

async function parentTenant(tx: Knex.Transaction, attributes: TaskAttributes): Promise<string | null> {
  if (attributes.parentTaskId === null) return attributes.tenantId;
  const parent = await findTask(tx, attributes.parentTaskId);
  if (!parent) throw new CamundaError(400, 'InvalidRequestException', `Could not save task: Parent task with id '${attributes.parentTaskId}' does not exist: parentTask is null`, { code: 0 });
  if (attributes.tenantId === null) return parent.tenant_id;
  if (attributes.tenantId !== parent.tenant_id) {
    throw new ProcessEngineError(`ENGINE-03073 Cannot set different tenantId on subtask than on parent Task. Parent taskId: '${parent.id}', tenantId: '${parent.tenant_id}', tenant id to set '${attributes.tenantId}'`);
  }
  return attributes.tenantId;
}

/** `POST /task/create`: a task of no process, which a user completes or deletes; with history and identity link log. */
export async function createStandaloneTask(ctx: ServiceContext, attributes: TaskAttributes): Promise<void> {
  await runCommand(ctx, 'create task', async ({ tx }) => {
    const id = attributes.id ?? newId();
    if (await findTask(tx, id)) throw new CamundaError(500, 'ProcessEnginePersistenceException', `Task with id ${id} already exists`, { code: 0 });
    const now = ctx.clock.now();
    const task: TaskRow = {
      id, process_instance_id: null, engine_execution_id: null, execution_id: null, activity_instance_id: null,
      process_definition_id: null, process_definition_key: null, task_definition_key: null,
      name: attributes.name, description: attributes.description, assignee: attributes.assignee, owner: attributes.owner,
      candidate_users: [], candidate_groups: [], form_key: null, priority: attributes.priority,
      due_date: attributes.due, follow_up_date: attributes.followUp, create_time: now, last_updated: null,
      tenant_id: await parentTenant(tx, attributes), suspended: false, delegation_state: attributes.delegationState,
      parent_task_id: attributes.parentTaskId, case_instance_id: attributes.caseInstanceId, identity_links: [],
    };
    await insertStandaloneTask(tx, task);
    await insertHistoricTaskInstances(tx, [{
      id, process_instance_id: null, execution_id: null, activity_instance_id: null, process_definition_id: null,
      process_definition_key: null, task_definition_key: null, name: task.name, description: task.description,
      assignee: task.assignee, owner: task.owner, priority: task.priority, due_date: task.due_date,
      follow_up_date: task.follow_up_date, tenant_id: task.tenant_id, parent_task_id: task.parent_task_id,
      case_instance_id: task.case_instance_id, task_state: 'Created', delete_reason: null, start_time: now, end_time: null, duration_in_millis: null,
    }]);
    await logLinkChanges(tx, task, null, linksOfNewTask(task), now);
    await logTaskOperation(ctx, tx, task, null, 'Create', 'Task', changedProperties(NEW_TASK_PROPERTIES, auditedProperties(task)));
  });
}

/**
 * `PUT /task/{id}`: every attribute of the body replaces the task's (Camunda's TaskDto.updateTask then saveTask), a
 * new assignee running the assignment listeners; the tenant of a task stays what it is.
 */
export async function saveTask(ctx: ServiceContext, taskId: string, attributes: TaskAttributes): Promise<void> {
  await onTask(ctx, taskId, 'save task', () => new InvalidRequestError(404, `No matching task with id ${taskId}`), async (tx, task, lock) => {
    if (attributes.tenantId !== task.tenant_id) {
      throw new ProcessEngineError(`ENGINE-03072 Cannot change tenantId of Task '${task.id}'. Current tenant id '${task.tenant_id}', Tenant id to set '${attributes.tenantId}'`);
    }
    if (attributes.parentTaskId !== null) await parentTenant(tx, attributes);
    const changes = {
      name: attributes.name, description: attributes.description, priority: attributes.priority, due_date: attributes.due,
      follow_up_date: attributes.followUp, parent_task_id: attributes.parentTaskId, case_instance_id: attributes.caseInstanceId,
    };
    await updateTask(tx, task.id, { ...changes, delegation_state: attributes.delegationState });
    await updateHistoricTaskInstance(tx, task.id, changes);
    const saved = { ...task, ...changes, delegation_state: attributes.delegationState, assignee: attributes.assignee, owner: attributes.owner };
    const properties = changedProperties(auditedProperties(task), auditedProperties(saved));
    if (properties.length > 0) await logTaskOperation(ctx, tx, task, lock, 'Update', 'Task', properties);
    await assign(ctx, tx, { ...task, ...changes }, lock, attributes.assignee, attributes.owner);
  });
}

/** `DELETE /task/{id}`: only a stand-alone task can be deleted; an unknown id is no error, as in Camunda. */
export async function deleteStandaloneTask(ctx: ServiceContext, taskId: string): Promise<void> {
  const task = await findTask(ctx.database.knex, taskId);
  if (!task) return;
  if (isProcessTask(task)) throw new ProcessEngineError('The task cannot be deleted because is part of a running process');
  await onTask(ctx, taskId, 'delete task', () => new NullValueError(taskIsNull(taskId)), async (tx, locked, lock) => {
    await logTaskOperation(ctx, tx, locked, lock, 'Delete', 'Task', [{ property: 'delete', orgValue: false, newValue: true }]);
    await endStandaloneTask(tx, locked, 'deleted', ctx.clock.now());
  });
}

/** `POST /task/{id}/delegate`: the assignee becomes the owner (unless there is one), the delegate the assignee. */
export async function delegateTask(ctx: ServiceContext, taskId: string, userId: string | null): Promise<void> {
  await onTask(ctx, taskId, 'delegate task', (message) => new NullValueError(message), async (tx, task, lock) => {
    const owner = task.owner ?? task.assignee;
    const delegated = { ...task, owner, assignee: userId, delegation_state: 'PENDING' as const };
    await logTaskOperation(ctx, tx, task, lock, 'Delegate', 'Task', changedProperties(auditedProperties(task), auditedProperties(delegated)));
    await updateTask(tx, task.id, { delegation_state: 'PENDING' });
    await assign(ctx, tx, task, lock, userId, owner);
  });
}

/**
 * `POST /task/{id}/resolve`: the delegate's work goes back to the owner, who becomes the assignee again; the variables
 * go where completing would put them. The task does not complete.
 */
export async function resolveTask(ctx: ServiceContext, taskId: string, dtos: Record<string, VariableValueDto> | null | undefined): Promise<void> {
  const describe = (message: string) => `Cannot resolve task ${taskId}: ${message}`;
  const variables = parsedVariables(dtos, describe);
  await onTask(ctx, taskId, 'resolve task', (message) => new NullValueError(message), async (tx, task, lock) => {
    if (variables.stored.size > 0) {
      if (!lock) throw new RestError(500, describe('a stand-alone task has no process instance to keep variables in'));
      await writeVariables(tx, lock.identity, instanceScope(lock.identity), variables.stored, ctx.clock.now());
    }
    const resolved = { ...task, assignee: task.owner, delegation_state: 'RESOLVED' as const };
    await logTaskOperation(ctx, tx, task, lock, 'Resolve', 'Task', changedProperties(auditedProperties(task), auditedProperties(resolved)));
    await updateTask(tx, task.id, { delegation_state: 'RESOLVED' });
    await assign(ctx, tx, task, lock, task.owner);
  });
}

export interface IdentityLinkInput {
  userId: string | null;
  groupId: string | null;
  type: string | null;
}

/** Camunda's AddIdentityLinkCmd: assignee and owner links set the task's attribute (a group as owner clears it). */
export async function addTaskIdentityLink(ctx: ServiceContext, taskId: string, link: IdentityLinkInput): Promise<void> {
  if (link.type === null) throw new NullValueError('type is required when adding a new task identity link: type is null');
  const type = link.type;
  if (link.groupId !== null && type === 'assignee') throw new BadUserRequestError('Incompatible usage: cannot use ASSIGNEE together with a groupId');
  const notFound = (message: string) => new CamundaError(400, 'NotFoundException', message, { code: 0 });
  await onTask(ctx, taskId, 'add identity link', notFound, async (tx, task, lock) => {
    await logLinkOperation(ctx, tx, task, lock, 'Add', type, link);
    if (type === 'assignee') return assign(ctx, tx, task, lock, link.userId);
    if (type === 'owner') return assign(ctx, tx, task, lock, task.assignee, link.userId);
    // Camunda counts every identity link change as an update of the task, even one that changed nothing.
    await markTaskUpdated(tx, task.id, ctx.clock.now());
    if (hasLink(task, type, link)) return;
    await updateTask(tx, task.id, linksWith(task, type, link, 'add'));
    await logLinkChanges(tx, task, lock, [{ type, userId: link.userId, groupId: link.groupId, operationType: 'add' }], ctx.clock.now());
  });
}

/** Camunda's DeleteIdentityLinkCmd: an assignee or owner link clears the attribute whoever is named; an absent link is no error. */
export async function deleteTaskIdentityLink(ctx: ServiceContext, taskId: string, link: IdentityLinkInput): Promise<void> {
  if (link.type === null) throw new NullValueError('type is required when adding a new task identity link: type is null');
  const type = link.type;
  if (link.groupId !== null && (type === 'assignee' || type === 'owner')) throw new ProcessEngineError(`Incompatible usage: cannot use type '${type}' together with a groupId`);
  await onTask(ctx, taskId, 'delete identity link', (message) => new NullValueError(message), async (tx, task, lock) => {
    await logLinkOperation(ctx, tx, task, lock, 'Delete', type, link);
    if (type === 'assignee') return assign(ctx, tx, task, lock, null);
    if (type === 'owner') return assign(ctx, tx, task, lock, task.assignee, null);
    await markTaskUpdated(tx, task.id, ctx.clock.now());
    if (!hasLink(task, type, link)) return;
    await updateTask(tx, task.id, linksWith(task, type, link, 'delete'));
    await logLinkChanges(tx, task, lock, [{ type, userId: link.userId, groupId: link.groupId, operationType: 'delete' }], ctx.clock.now());
  });
}

/** Camunda's user operation entry of a link change: AddUserLink, DeleteGroupLink, …, the link's type as property. */
async function logLinkOperation(ctx: ServiceContext, tx: Knex.Transaction, task: TaskRow, lock: LockedInstance | null, operation: 'Add' | 'Delete', type: string, link: IdentityLinkInput): Promise<void> {
  const operationType = `${operation}${link.userId !== null ? 'User' : 'Group'}Link`;
  await logTaskOperation(ctx, tx, task, lock, operationType, 'IdentityLink', [{ property: type, orgValue: null, newValue: link.userId ?? link.groupId }]);
}

function hasLink(task: TaskRow, type: string, link: IdentityLinkInput): boolean {
  if (type === 'candidate') return link.userId !== null ? task.candidate_users.includes(link.userId) : task.candidate_groups.includes(link.groupId!);
  return task.identity_links.some((other) => other.type === type && other.userId === link.userId && other.groupId === link.groupId);
}

/** The task's link columns with a link added or deleted: candidates in their arrays, other types in `identity_links`. */
function linksWith(task: TaskRow, type: string, link: IdentityLinkInput, operation: IdentityLinkChange['operationType']): Partial<TaskRow> {
  if (type === 'candidate') {
    const [column, value] = link.userId !== null ? (['candidate_users', link.userId] as const) : (['candidate_groups', link.groupId!] as const);
    return { [column]: operation === 'add' ? [...task[column], value] : task[column].filter((existing) => existing !== value) };
  }
  const custom: CustomIdentityLink = { userId: link.userId, groupId: link.groupId, type };
  const others = task.identity_links.filter((other) => !(other.type === type && other.userId === link.userId && other.groupId === link.groupId));
  return { identity_links: operation === 'add' ? [...others, custom] : others };
}

/** `GET /task/report/candidate-group-count`: unassigned tasks per group of their links (null: user links, or none). */
export async function getCandidateGroupCounts(ctx: ServiceContext): Promise<CandidateGroupCount[]> {
  return candidateGroupCounts(ctx.database.knex);
}
