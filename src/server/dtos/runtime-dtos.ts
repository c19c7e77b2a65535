/** Process instance, task and activity instance DTOs. */
import type { ProcessInstanceRow, TaskRow } from '../../services/read-models.js';
import type { ActivityInstanceNode } from '../../services/activity-instance-tree.js';
import { dateValue } from './date-value.js';
import type { AtomLink } from './links.js';

export interface ProcessInstanceView {
  id: string;
  definitionId: string;
  definitionKey: string;
  businessKey: string | null;
  tenantId: string | null;
  ended: boolean;
  suspended: boolean;
}

export function processInstanceView(row: ProcessInstanceRow): ProcessInstanceView {
  return {
    id: row.id,
    definitionId: row.process_definition_id,
    definitionKey: row.process_definition_key,
    businessKey: row.business_key,
    tenantId: row.tenant_id,
    ended: false,
    suspended: row.suspended,
  };
}

export function processInstanceDto(view: ProcessInstanceView, links: AtomLink[] = []) {
  return {
    links,
    id: view.id,
    definitionId: view.definitionId,
    definitionKey: view.definitionKey,
    businessKey: view.businessKey,
    caseInstanceId: null,
    ended: view.ended,
    suspended: view.suspended,
    tenantId: view.tenantId,
  };
}

export function taskDto(row: TaskRow) {
  return {
    id: row.id,
    name: row.name,
    assignee: row.assignee,
    owner: row.owner,
    created: dateValue(row.create_time),
    lastUpdated: dateValue(row.last_updated),
    due: dateValue(row.due_date),
    followUp: dateValue(row.follow_up_date),
    delegationState: row.delegation_state,
    description: row.description,
    executionId: row.execution_id ?? row.process_instance_id,
    parentTaskId: row.parent_task_id,
    priority: row.priority,
    processDefinitionId: row.process_definition_id,
    processInstanceId: row.process_instance_id,
    caseExecutionId: null,
    caseDefinitionId: null,
    caseInstanceId: row.case_instance_id,
    taskDefinitionKey: row.task_definition_key,
    suspended: row.suspended,
    formKey: row.form_key,
    camundaFormRef: null,
    tenantId: row.tenant_id,
    // Every update (claim, assignee, local variables) sets lastUpdated and, in Camunda 7.21+, the state 'Updated'.
    taskState: row.last_updated === null ? 'Created' : 'Updated',
    attachment: false,
    comment: false,
    variables: null,
  };
}

export interface ActivityInstanceDto {
  id: string;
  parentActivityInstanceId: string | null;
  activityId: string;
  activityName: string | null;
  name: string | null;
  activityType: string;
  processInstanceId: string;
  processDefinitionId: string;
  childActivityInstances: ActivityInstanceDto[];
  childTransitionInstances: never[];
  executionIds: string[];
  incidentIds: string[];
  incidents: Array<{ id: string; activityId: string }>;
}

export function activityInstanceDto(node: ActivityInstanceNode): ActivityInstanceDto {
  return {
    id: node.id,
    parentActivityInstanceId: node.parentActivityInstanceId,
    activityId: node.activityId,
    activityName: node.activityName,
    name: node.activityName,
    activityType: node.activityType,
    processInstanceId: node.processInstanceId,
    processDefinitionId: node.processDefinitionId,
    childActivityInstances: node.children.map(activityInstanceDto),
    childTransitionInstances: [],
    executionIds: node.executionIds,
    incidentIds: node.incidents.map((incident) => incident.id),
    incidents: node.incidents,
  };
}
