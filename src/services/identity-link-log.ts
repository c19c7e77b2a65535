/** The identity link log rows of task changes, as Camunda writes them: one per link added or deleted, by the caller. */
import { newId } from '../core/ids.js';
import type { IdentityLinkLogRow } from '../persistence/identity-link-log-repository.js';
import type { TaskRow } from '../persistence/task-repository.js';
import { currentAuthentication } from './authentication.js';

export interface IdentityLinkChange {
  type: string | null;
  userId: string | null;
  groupId: string | null;
  operationType: 'add' | 'delete';
}

/** The task's links at creation: its assignee and owner, then its candidate users and groups. */
export function linksOfNewTask(task: Pick<TaskRow, 'assignee' | 'owner' | 'candidate_users' | 'candidate_groups'>): IdentityLinkChange[] {
  return [
    ...userLinkChanges('assignee', null, task.assignee),
    ...userLinkChanges('owner', null, task.owner),
    ...task.candidate_users.map((userId) => ({ type: 'candidate', userId, groupId: null, operationType: 'add' as const })),
    ...task.candidate_groups.map((groupId) => ({ type: 'candidate', userId: null, groupId, operationType: 'add' as const })),
  ];
}

/** An assignee or owner that changed: the former one's link is deleted, the new one's added (Camunda's addIdentityLinkChanges). */
export function userLinkChanges(type: 'assignee' | 'owner', before: string | null, after: string | null): IdentityLinkChange[] {
  if (before === after) return [];
  return [
    ...(before !== null ? [{ type, userId: before, groupId: null, operationType: 'delete' as const }] : []),
    ...(after !== null ? [{ type, userId: after, groupId: null, operationType: 'add' as const }] : []),
  ];
}

type Candidates = Pick<TaskRow, 'candidate_users' | 'candidate_groups'>;

/** Candidates a listener added (`addCandidateUser`, …) or removed. */
export function candidateChanges(before: Candidates, after: Candidates): IdentityLinkChange[] {
  const changes = (was: string[], is: string[], link: (id: string) => Pick<IdentityLinkChange, 'userId' | 'groupId'>): IdentityLinkChange[] => [
    ...was.filter((id) => !is.includes(id)).map((id) => ({ type: 'candidate', ...link(id), operationType: 'delete' as const })),
    ...is.filter((id) => !was.includes(id)).map((id) => ({ type: 'candidate', ...link(id), operationType: 'add' as const })),
  ];
  return [
    ...changes(before.candidate_users, after.candidate_users, (userId) => ({ userId, groupId: null })),
    ...changes(before.candidate_groups, after.candidate_groups, (groupId) => ({ userId: null, groupId })),
  ];
}

/** Log rows of a task's link changes; `rootProcessInstanceId` is null for a stand-alone task. */
export function identityLinkLogRows(task: Pick<TaskRow, 'id' | 'process_instance_id' | 'process_definition_id' | 'process_definition_key' | 'tenant_id'>, rootProcessInstanceId: string | null, changes: IdentityLinkChange[], time: Date): IdentityLinkLogRow[] {
  const assignerId = currentAuthentication()?.userId ?? null;
  return changes.map((change) => ({
    id: newId(),
    time,
    type: change.type,
    user_id: change.userId,
    group_id: change.groupId,
    task_id: task.id,
    process_instance_id: task.process_instance_id,
    process_definition_id: task.process_definition_id,
    process_definition_key: task.process_definition_key,
    operation_type: change.operationType,
    assigner_id: assignerId,
    tenant_id: task.tenant_id,
    root_process_instance_id: rootProcessInstanceId,
    removal_time: null,
  }));
}
