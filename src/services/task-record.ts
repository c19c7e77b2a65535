/** A user task row as its listeners see it (Camunda's DelegateTask), and what they changed on it, as row columns. */
import type { TaskRecord } from '../engine/index.js';
import type { ProcessTaskRow, TaskRow } from '../persistence/task-repository.js';

/** The task attributes listeners may change (`task.setName`, `setAssignee`, `setPriority`, `addCandidate…`). */
export type ListenerAttributes = Pick<TaskRow, 'name' | 'assignee' | 'priority' | 'candidate_users' | 'candidate_groups'>;

/** The task handed to listeners; `locals` are its stored task-local variables. */
export function taskRecordOf(task: ProcessTaskRow, locals: Record<string, unknown> = {}): TaskRecord {
  return {
    id: task.id,
    taskDefinitionKey: task.task_definition_key,
    executionId: task.engine_execution_id,
    name: task.name,
    assignee: task.assignee,
    priority: task.priority,
    candidateUsers: [...task.candidate_users],
    candidateGroups: [...task.candidate_groups],
    locals,
    localChanges: new Map(),
  };
}

export function listenerAttributesOf(record: TaskRecord): ListenerAttributes {
  return { name: record.name, assignee: record.assignee, priority: record.priority, candidate_users: record.candidateUsers, candidate_groups: record.candidateGroups };
}
