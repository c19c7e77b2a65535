/** Camunda's DelegateTask, the `task` of task listeners: the task's attributes, its variables and its execution. */
import { setOwnProperty } from '../core/own-property.js';
import { EL_METHODS, toPlainJson, type Arity, type ElObject, type ExecutionShim } from '../expressions/index.js';
import type { InstanceScope } from './engine-expressions.js';

/** A user task as its listeners read and change it; the service writes what changed (attributes and `localChanges`). */
export interface TaskRecord {
  id: string;
  taskDefinitionKey: string;
  /** The engine execution the task waits on: its scope chain leads to the process, as the task's execution does in Camunda. */
  executionId: string;
  name: string | null;
  assignee: string | null;
  priority: number;
  candidateUsers: string[];
  candidateGroups: string[];
  /** The task's own variables (task-local), as stored before the listeners ran. */
  locals: Record<string, unknown>;
  /** Task-local variables the listeners set, in order; the service stores them in the task's scope. */
  localChanges: Map<string, unknown>;
}

const IDENTITY_LINK_METHODS: ReadonlyMap<string, Arity> = new Map<string, Arity>([
  ['getUserId', 0],
  ['getGroupId', 0],
  ['getType', 0],
  ['getTaskId', 0],
  ['toString', 0],
  ['equals', 1],
]);

/** A candidate user or group of a task, as `task.getCandidates()` lists them (Camunda's IdentityLink). */
export class IdentityLink implements ElObject {
  readonly [EL_METHODS] = IDENTITY_LINK_METHODS;
  readonly elTypeName = 'org.camunda.bpm.engine.task.IdentityLink';

  constructor(
    private readonly taskId: string,
    private readonly userId: string | null,
    private readonly groupId: string | null,
  ) {}

  getUserId(): string | null {
    return this.userId;
  }
  getGroupId(): string | null {
    return this.groupId;
  }
  getType(): string {
    return 'candidate';
  }
  getTaskId(): string {
    return this.taskId;
  }
  equals(other: unknown): boolean {
    return other instanceof IdentityLink && other.taskId === this.taskId && other.userId === this.userId && other.groupId === this.groupId;
  }
  toString(): string {
    return `IdentityLinkEntity[type=candidate, ${this.userId === null ? `groupId=${this.groupId}` : `userId=${this.userId}`}, taskId=${this.taskId}]`;
  }
}

function addUnique(list: string[], ids: unknown): void {
  const values = Array.isArray(ids) ? ids : [ids];
  for (const id of values.map(String)) if (!list.includes(id)) list.push(id);
}

/**
 * Builds the `task` object for one listener event. `execution` is the shim the listener's expression already sees,
 * so `task.getExecution()` is that same object. Variables written through the task go where Camunda puts them:
 * `setVariableLocal` on the task itself, `setVariable` to a task-local variable of that name if there is one, else up
 * the task's execution scope chain (the nearest scope holding it, else the process instance).
 */
export function delegateTask(instance: InstanceScope, task: TaskRecord, eventName: string, execution: ExecutionShim) {
  const variables = instance.variables;
  const isLocal = (name: string) => Object.hasOwn(task.locals, name);
  const setLocal = (name: string, value: unknown) => {
    const plain = toPlainJson(value);
    setOwnProperty(task.locals, name, plain);
    task.localChanges.set(name, plain);
  };
  const getVariable = (name: string) => {
    if (isLocal(name)) return task.locals[name];
    const found = variables.resolve(task.executionId, name);
    return found.found ? found.value : null;
  };
  return {
    getId: () => task.id,
    getName: () => task.name,
    setName: (name: string | null) => {
      task.name = name;
    },
    getTaskDefinitionKey: () => task.taskDefinitionKey,
    getEventName: () => eventName,
    getAssignee: () => task.assignee,
    setAssignee: (assignee: string | null) => {
      task.assignee = assignee;
    },
    getPriority: () => task.priority,
    setPriority: (priority: number) => {
      task.priority = priority;
    },
    getProcessInstanceId: () => instance.processInstanceId,
    getProcessDefinitionId: () => instance.processDefinitionId,
    // Task executionId is the process instance id over REST (README), so the listener sees the same value.
    getExecutionId: () => instance.processInstanceId,
    getExecution: () => execution,
    getVariable,
    getVariableLocal: (name: string) => (isLocal(name) ? task.locals[name] : null),
    getVariables: () => ({ ...variables.visible(task.executionId), ...task.locals }),
    getVariablesLocal: () => ({ ...task.locals }),
    hasVariable: (name: string) => isLocal(name) || variables.resolve(task.executionId, name).found,
    hasVariableLocal: (name: string) => isLocal(name),
    setVariable: (name: string, value: unknown) => {
      if (isLocal(name)) setLocal(name, value);
      else variables.set(task.executionId, name, value);
    },
    setVariableLocal: setLocal,
    getCandidates: () => [
      ...task.candidateUsers.map((user) => new IdentityLink(task.id, user, null)),
      ...task.candidateGroups.map((group) => new IdentityLink(task.id, null, group)),
    ],
    addCandidateUser: (userId: string) => addUnique(task.candidateUsers, userId),
    addCandidateUsers: (userIds: unknown) => addUnique(task.candidateUsers, userIds),
    addCandidateGroup: (groupId: string) => addUnique(task.candidateGroups, groupId),
    addCandidateGroups: (groupIds: unknown) => addUnique(task.candidateGroups, groupIds),
    deleteCandidateUser: (userId: string) => {
      task.candidateUsers = task.candidateUsers.filter((user) => user !== userId);
    },
    deleteCandidateGroup: (groupId: string) => {
      task.candidateGroups = task.candidateGroups.filter((group) => group !== groupId);
    },
  };
}
