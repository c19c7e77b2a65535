/** One schema per JSON request body, after Camunda's request DTOs: property types only, since Jackson accepts null and unknown properties. */
import type { VariableValueDto } from '../core/typed-value.js';
import type { JobSuspensionRequest } from '../services/job-operations.js';
import { bodySchema } from './read-body.js';

type Schema = Record<string, unknown>;
type VariableMap = Record<string, VariableValueDto> | null;

// Every DTO property may be null or absent, as with Jackson; the services decide what a missing value means.
const string: Schema = { type: 'string', nullable: true };
const boolean: Schema = { type: 'boolean', nullable: true };
const integer: Schema = { javaNumber: 'integer' };
const number: Schema = { javaNumber: 'number' };
const strings: Schema = { type: 'array', nullable: true, items: { type: 'string' } };

function object(properties: Record<string, Schema>): Schema {
  return { type: 'object', nullable: true, properties };
}

/** The body itself: an object (an empty or `null` body has been read as `{}`). */
function body(properties: Record<string, Schema>): Schema {
  return { type: 'object', properties };
}

/** VariableValueDto: `value` is anything, its type and serialization say what. */
const variableValue: Schema = { type: 'object', properties: { type: string, valueInfo: { type: 'object', nullable: true } } };
const variables: Schema = { type: 'object', nullable: true, additionalProperties: variableValue };

export const startInstanceBody = bodySchema<{ businessKey?: string | null; variables?: VariableMap; withVariablesInReturn?: boolean | null }>(
  body({
    businessKey: string,
    caseInstanceId: string,
    variables,
    withVariablesInReturn: boolean,
    skipCustomListeners: boolean,
    skipIoMappings: boolean,
    startInstructions: { type: 'array', nullable: true, items: { type: 'object' } },
  }),
);

export const evaluateDecisionBody = bodySchema<{ variables?: VariableMap }>(body({ variables }));

export const completeTaskBody = bodySchema<{ variables?: VariableMap; withVariablesInReturn?: boolean | null }>(body({ variables, withVariablesInReturn: boolean }));

export const userIdBody = bodySchema<{ userId?: string | null }>(body({ userId: string }));

export const patchVariablesBody = bodySchema<{ modifications?: VariableMap; deletions?: string[] | null }>(body({ modifications: variables, deletions: strings }));

export const variableValueBody = bodySchema<VariableValueDto>(variableValue);

export const definitionSuspensionBody = bodySchema<{ suspended?: boolean | null; includeProcessInstances?: boolean | null; executionDate?: string | null }>(
  body({ suspended: boolean, includeProcessInstances: boolean, executionDate: string }),
);

export const definitionsSuspensionBody = bodySchema<{
  processDefinitionId?: string | null;
  processDefinitionKey?: string | null;
  processDefinitionTenantId?: string | null;
  processDefinitionWithoutTenantId?: boolean | null;
  suspended?: boolean | null;
  includeProcessInstances?: boolean | null;
  executionDate?: string | null;
}>(body({
  processDefinitionId: string, processDefinitionKey: string, processDefinitionTenantId: string, processDefinitionWithoutTenantId: boolean,
  suspended: boolean, includeProcessInstances: boolean, executionDate: string,
}));

/** Jackson reads an Integer from a number or a numeric string: the service converts. */
export const historyTimeToLiveBody = bodySchema<{ historyTimeToLive?: unknown }>(body({ historyTimeToLive: {} }));

export const redeploymentBody = bodySchema<{ resourceIds?: string[] | null; resourceNames?: string[] | null; source?: string | null }>(
  body({ resourceIds: strings, resourceNames: strings, source: string }),
);

export const jobDefinitionSuspensionBody = bodySchema<{ suspended?: boolean | null; includeJobs?: boolean | null; executionDate?: string | null }>(
  body({ suspended: boolean, includeJobs: boolean, executionDate: string }),
);

export const suspensionStateBody = bodySchema<{ suspended?: boolean | null }>(body({ suspended: boolean }));

export interface FetchTopicBody {
  topicName?: string | null;
  lockDuration?: number | null;
  variables?: string[] | null;
  localVariables?: boolean | null;
  businessKey?: string | null;
  processDefinitionId?: string | null;
  processDefinitionIdIn?: string[] | null;
  processDefinitionKey?: string | null;
  processDefinitionKeyIn?: string[] | null;
  processDefinitionVersionTag?: string | null;
  withoutTenantId?: boolean | null;
  tenantIdIn?: string[] | null;
  processVariables?: Record<string, unknown> | null;
  deserializeValues?: boolean | null;
  includeExtensionProperties?: boolean | null;
}

export interface FetchAndLockBody {
  workerId?: string | null;
  maxTasks?: number | null;
  usePriority?: boolean | null;
  asyncResponseTimeout?: number | null;
  topics?: FetchTopicBody[] | null;
  sorting?: Array<{ sortBy?: string | null; sortOrder?: string | null }> | null;
}

export const fetchAndLockBody = bodySchema<FetchAndLockBody>(
  body({
    workerId: string,
    maxTasks: integer,
    usePriority: boolean,
    asyncResponseTimeout: number,
    topics: {
      type: 'array',
      nullable: true,
      items: {
        type: 'object',
        properties: {
          topicName: string,
          lockDuration: number,
          variables: strings,
          localVariables: boolean,
          businessKey: string,
          processDefinitionId: string,
          processDefinitionIdIn: strings,
          processDefinitionKey: string,
          processDefinitionKeyIn: strings,
          processDefinitionVersionTag: string,
          withoutTenantId: boolean,
          tenantIdIn: strings,
          processVariables: { type: 'object', nullable: true },
          deserializeValues: boolean,
          includeExtensionProperties: boolean,
        },
      },
    },
    sorting: { type: 'array', nullable: true, items: object({ sortBy: string, sortOrder: string }) },
  }),
);

interface WorkerBody {
  workerId?: string | null;
  variables?: VariableMap;
  localVariables?: VariableMap;
}

export const completeExternalTaskBody = bodySchema<WorkerBody>(body({ workerId: string, variables, localVariables: variables }));

export const externalTaskFailureBody = bodySchema<WorkerBody & { errorMessage?: string | null; errorDetails?: string | null; retries?: number | null; retryTimeout?: number | null }>(
  body({ workerId: string, errorMessage: string, errorDetails: string, retries: integer, retryTimeout: number, variables, localVariables: variables }),
);

export const externalTaskBpmnErrorBody = bodySchema<WorkerBody & { errorCode?: string | null; errorMessage?: string | null }>(
  body({ workerId: string, errorCode: string, errorMessage: string, variables }),
);

export const extendLockBody = bodySchema<{ workerId?: string | null; newDuration?: number | null }>(body({ workerId: string, newDuration: number }));

export const lockExternalTaskBody = bodySchema<{ workerId?: string | null; lockDuration?: number | null }>(body({ workerId: string, lockDuration: number }));

export const retriesBody = bodySchema<{ retries?: number | null }>(body({ retries: integer }));

export const dueDateBody = bodySchema<{ duedate?: string | null; cascade?: boolean | null }>(body({ duedate: string, cascade: boolean }));

export const priorityBody = bodySchema<{ priority?: number | null }>(body({ priority: number }));

/** A POST query: its filters are read (and checked) by the QueryReader as query parameters are; the body and its sorting have a shape. */
export const queryBody = bodySchema<Record<string, unknown>>(body({ sorting: { type: 'array', nullable: true, items: object({ sortBy: string, sortOrder: string }) } }));

export const correlateMessageBody = bodySchema<{
  messageName?: string | null;
  businessKey?: string | null;
  tenantId?: string | null;
  withoutTenantId?: boolean | null;
  processInstanceId?: string | null;
  correlationKeys?: VariableMap;
  localCorrelationKeys?: VariableMap;
  processVariables?: VariableMap;
  processVariablesLocal?: VariableMap;
  processVariablesToTriggeredScope?: VariableMap;
  all?: boolean | null;
  resultEnabled?: boolean | null;
  variablesInResultEnabled?: boolean | null;
}>(body({
  messageName: string,
  businessKey: string,
  tenantId: string,
  withoutTenantId: boolean,
  processInstanceId: string,
  correlationKeys: variables,
  localCorrelationKeys: variables,
  processVariables: variables,
  processVariablesLocal: variables,
  processVariablesToTriggeredScope: variables,
  all: boolean,
  resultEnabled: boolean,
  variablesInResultEnabled: boolean,
}));

export const throwSignalBody = bodySchema<{ name?: string | null; executionId?: string | null; variables?: VariableMap; tenantId?: string | null; withoutTenantId?: boolean | null }>(
  body({ name: string, executionId: string, variables, tenantId: string, withoutTenantId: boolean }),
);

export const evaluateConditionBody = bodySchema<{ variables?: VariableMap; businessKey?: string | null; processDefinitionId?: string | null; tenantId?: string | null; withoutTenantId?: boolean | null }>(
  body({ variables, businessKey: string, processDefinitionId: string, tenantId: string, withoutTenantId: boolean }),
);

export const triggerExecutionBody = bodySchema<{ variables?: VariableMap }>(body({ variables }));

export const taskBpmnEscalationBody = bodySchema<{ escalationCode?: string | null; variables?: VariableMap }>(body({ escalationCode: string, variables }));
export const taskBpmnErrorBody = bodySchema<{ errorCode?: string | null; errorMessage?: string | null; variables?: VariableMap }>(body({ errorCode: string, errorMessage: string, variables }));

export const deleteHistoricProcessInstancesBody = bodySchema<{
  historicProcessInstanceIds?: string[] | null;
  historicProcessInstanceQuery?: Record<string, unknown> | null;
  deleteReason?: string | null;
  failIfNotExists?: boolean | null;
}>(body({ historicProcessInstanceIds: strings, historicProcessInstanceQuery: { type: 'object', nullable: true }, deleteReason: string, failIfNotExists: boolean }));
export const annotationBody = bodySchema<{ annotation?: string | null }>(body({ annotation: string }));
const userProfile: Schema = object({ id: string, firstName: string, lastName: string, email: string });
const userCredentials: Schema = object({ password: string, authenticatedUserPassword: string });
export const createUserBody = bodySchema<{ profile?: { id?: string | null; firstName?: string | null; lastName?: string | null; email?: string | null } | null; credentials?: { password?: string | null } | null }>(
  body({ profile: userProfile, credentials: userCredentials }),
);
export const userProfileBody = bodySchema<{ id?: string | null; firstName?: string | null; lastName?: string | null; email?: string | null }>(body({ id: string, firstName: string, lastName: string, email: string }));
export const userCredentialsBody = bodySchema<{ password?: string | null; authenticatedUserPassword?: string | null }>(body({ password: string, authenticatedUserPassword: string }));
export const groupBody = bodySchema<{ id?: string | null; name?: string | null; type?: string | null }>(body({ id: string, name: string, type: string }));
export const verifyUserBody = bodySchema<{ username?: string | null; password?: string | null }>(body({ username: string, password: string }));

const queryObject: Schema = { type: 'object', nullable: true };

export const jobSuspensionBody = bodySchema<JobSuspensionRequest & { suspended?: boolean | null }>(body({ suspended: boolean, jobDefinitionId: string, processInstanceId: string, processDefinitionId: string, processDefinitionKey: string, processDefinitionTenantId: string, processDefinitionWithoutTenantId: boolean }));

export const jobDefinitionsSuspensionBody = bodySchema<{
  suspended?: boolean | null;
  processDefinitionId?: string | null;
  processDefinitionKey?: string | null;
  processDefinitionTenantId?: string | null;
  processDefinitionWithoutTenantId?: boolean | null;
  includeJobs?: boolean | null;
  executionDate?: string | null;
}>(body({ suspended: boolean, processDefinitionId: string, processDefinitionKey: string, processDefinitionTenantId: string, processDefinitionWithoutTenantId: boolean, includeJobs: boolean, executionDate: string }));

export const jobDefinitionPriorityBody = bodySchema<{ priority?: number | null; includeJobs?: boolean | null }>(body({ priority: integer, includeJobs: boolean }));

export const createIncidentBody = bodySchema<{ incidentType?: string | null; configuration?: string | null; message?: string | null }>(body({ incidentType: string, configuration: string, message: string }));

/** Query objects inside a body are read by the QueryReader of their list resource, as a POST query is. */
export const externalTaskRetriesBody = bodySchema<{
  retries?: number | null;
  externalTaskIds?: string[] | null;
  processInstanceIds?: string[] | null;
  externalTaskQuery?: Record<string, unknown> | null;
  processInstanceQuery?: Record<string, unknown> | null;
  historicProcessInstanceQuery?: Record<string, unknown> | null;
}>(body({ retries: integer, externalTaskIds: strings, processInstanceIds: strings, externalTaskQuery: queryObject, processInstanceQuery: queryObject, historicProcessInstanceQuery: queryObject }));

export const processInstancesSuspensionBody = bodySchema<{
  suspended?: boolean | null;
  processDefinitionId?: string | null;
  processDefinitionKey?: string | null;
  processDefinitionTenantId?: string | null;
  processDefinitionWithoutTenantId?: boolean | null;
  processInstanceIds?: string[] | null;
  processInstanceQuery?: Record<string, unknown> | null;
  historicProcessInstanceQuery?: Record<string, unknown> | null;
}>(body({
  suspended: boolean,
  processDefinitionId: string,
  processDefinitionKey: string,
  processDefinitionTenantId: string,
  processDefinitionWithoutTenantId: boolean,
  processInstanceIds: strings,
  processInstanceQuery: queryObject,
  historicProcessInstanceQuery: queryObject,
}));

export const deleteProcessInstancesBody = bodySchema<{
  processInstanceIds?: string[] | null;
  deleteReason?: string | null;
  skipCustomListeners?: boolean | null;
  skipSubprocesses?: boolean | null;
  skipIoMappings?: boolean | null;
  processInstanceQuery?: Record<string, unknown> | null;
  historicProcessInstanceQuery?: Record<string, unknown> | null;
}>(body({
  processInstanceIds: strings,
  deleteReason: string,
  skipCustomListeners: boolean,
  skipSubprocesses: boolean,
  skipIoMappings: boolean,
  processInstanceQuery: queryObject,
  historicProcessInstanceQuery: queryObject,
}));

/** TaskDto as `POST /task/create` and `PUT /task/{id}` read it; dates are Camunda's format, read by the router. */
export interface TaskBody {
  id?: string | null;
  name?: string | null;
  description?: string | null;
  assignee?: string | null;
  owner?: string | null;
  delegationState?: string | null;
  due?: string | null;
  followUp?: string | null;
  priority?: number | null;
  parentTaskId?: string | null;
  caseInstanceId?: string | null;
  tenantId?: string | null;
}

export const taskBody = bodySchema<TaskBody>(body({
  id: string, name: string, description: string, assignee: string, owner: string, delegationState: string, due: string, followUp: string,
  priority: integer, parentTaskId: string, caseInstanceId: string, tenantId: string,
}));

export const identityLinkBody = bodySchema<{ userId?: string | null; groupId?: string | null; type?: string | null }>(body({ userId: string, groupId: string, type: string }));

export const resolveTaskBody = bodySchema<{ variables?: VariableMap }>(body({ variables }));

/** CommentDto: `message` (and `processInstanceId`) to create a comment, `id` and `message` to update one. */
export const commentBody = bodySchema<{ id?: string | null; message?: string | null; processInstanceId?: string | null }>(
  body({ id: string, message: string, processInstanceId: string, taskId: string, userId: string, rootProcessInstanceId: string }),
);
