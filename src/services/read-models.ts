/** The read side of the REST lists: each Camunda list resource as a query bound to this node's database. */
import type { ListOptions, PagedQuery } from '../persistence/query-options.js';
import { deploymentQuery } from '../persistence/deployment-repository.js';
import { processDefinitionQuery } from '../persistence/process-definition-repository.js';
import { decisionDefinitionQuery, decisionRequirementsDefinitionQuery } from '../persistence/decision-definition-repository.js';
import { processInstanceQuery } from '../persistence/process-instance-repository.js';
import { taskQuery, type TaskFilter, type TaskRow } from '../persistence/task-repository.js';
import { externalTaskQuery } from '../persistence/external-task-repository.js';
import { incidentQuery } from '../persistence/incident-repository.js';
import { executionQuery } from '../persistence/execution-repository.js';
import { eventSubscriptionQuery } from '../persistence/event-subscription-repository.js';
import { historicActivityInstanceQuery, historicProcessInstanceQuery, historicVariableInstanceQuery } from '../persistence/history-repository.js';
import { historicTaskInstanceQuery } from '../persistence/historic-task-repository.js';
import { historicIncidentQuery } from '../persistence/historic-incident-repository.js';
import { historicDecisionInstanceQuery } from '../persistence/historic-decision-repository.js';
import { externalTaskLogQuery } from '../persistence/external-task-log-repository.js';
import { jobLogQuery } from '../persistence/job-log-repository.js';
import { cleanableDecisionInstanceReport, cleanableProcessInstanceReport } from '../persistence/cleanable-history-report-repository.js';
import { historicDetailQuery } from '../persistence/historic-detail-repository.js';
import { userOperationLogQuery } from '../persistence/user-operation-log-repository.js';
import { identityLinkLogQuery } from '../persistence/identity-link-log-repository.js';
import { groupQuery, userQuery } from '../persistence/identity-repository.js';
import { currentAuthentication } from './authentication.js';
import type { ServiceContext } from './service-context.js';

export type { ListOptions, Sorting } from '../persistence/query-options.js';
export type { WithRootInstance } from '../persistence/root-instance-column.js';
export type { DeploymentFilter, DeploymentRow } from '../persistence/deployment-repository.js';
export type { ProcessDefinitionFilter, ProcessDefinitionRow } from '../persistence/process-definition-repository.js';
export type {
  DecisionDefinitionFilter,
  DecisionDefinitionRow,
  DecisionRequirementsDefinitionFilter,
  DecisionRequirementsDefinitionRow,
} from '../persistence/decision-definition-repository.js';
export type { ProcessInstanceFilter, ProcessInstanceRow } from '../persistence/process-instance-repository.js';
export type { TaskFilter, TaskRow } from '../persistence/task-repository.js';
export type {
  HistoricActivityInstanceFilter,
  HistoricActivityInstanceRow,
  HistoricProcessInstanceFilter,
  HistoricProcessInstanceRow,
  HistoricVariableInstanceFilter,
  HistoricVariableInstanceRow,
} from '../persistence/history-repository.js';
export type { HistoricTaskInstanceFilter, HistoricTaskInstanceRow } from '../persistence/historic-task-repository.js';
export type { HistoricIncidentFilter, HistoricIncidentRow } from '../persistence/historic-incident-repository.js';
export type { HistoricDecisionInputRow, HistoricDecisionInstanceFilter, HistoricDecisionInstanceRow } from '../persistence/historic-decision-repository.js';
export type { ExternalTaskLogFilter, ExternalTaskLogRow } from '../persistence/external-task-log-repository.js';
export type { JobLogFilter, JobLogRow } from '../persistence/job-log-repository.js';
export type { CleanableReportFilter, CleanableReportRow } from '../persistence/cleanable-history-report-repository.js';
export type { HistoricDetailFilter, HistoricDetailRow } from '../persistence/historic-detail-repository.js';
export type { UserOperationLogFilter, UserOperationLogRow } from '../persistence/user-operation-log-repository.js';
export type { IdentityLinkLogFilter, IdentityLinkLogRow } from '../persistence/identity-link-log-repository.js';
export type { VariableRow } from '../persistence/variable-repository.js';
export type { ExternalTaskFilter, ExternalTaskRow } from '../persistence/external-task-repository.js';
export type { IncidentFilter, IncidentRow } from '../persistence/incident-repository.js';
export type { ExecutionFilter, ExecutionListRow } from '../persistence/execution-repository.js';
export type { EventSubscriptionFilter, EventSubscriptionRow } from '../persistence/event-subscription-repository.js';
export type { GroupFilter, GroupRow, UserFilter, UserRow } from '../persistence/identity-repository.js';
export type { LockedExternalTask } from './external-task-service.js';
export { storedValueOf } from '../persistence/variable-repository.js';

/** A list query without the database handle: what a REST list route needs. */
export interface ReadModel<F, R> {
  list(filter: F, options: ListOptions): Promise<R[]>;
  count(filter: F): Promise<number>;
}

function bind<F, R>(ctx: ServiceContext, query: PagedQuery<F, R>): ReadModel<F, R> {
  return {
    list: (filter, options) => query.list(ctx.database.knex, filter, options),
    count: (filter) => query.count(ctx.database.knex, filter),
  };
}

/** Camunda takes a candidate user's groups from the authentication when the candidate is the caller (a token's groups count). */
function withCallerGroups(model: ReadModel<TaskFilter, TaskRow>): ReadModel<TaskFilter, TaskRow> {
  const resolved = (filter: TaskFilter): TaskFilter => {
    const caller = currentAuthentication();
    return caller && filter.candidateUser === caller.userId ? { ...filter, candidateUserGroups: caller.groupIds } : filter;
  };
  return { list: (filter, options) => model.list(resolved(filter), options), count: (filter) => model.count(resolved(filter)) };
}

export function readModels(ctx: ServiceContext) {
  return {
    deployments: bind(ctx, deploymentQuery),
    processDefinitions: bind(ctx, processDefinitionQuery),
    decisionDefinitions: bind(ctx, decisionDefinitionQuery),
    decisionRequirementsDefinitions: bind(ctx, decisionRequirementsDefinitionQuery),
    processInstances: bind(ctx, processInstanceQuery),
    tasks: withCallerGroups(bind(ctx, taskQuery)),
    externalTasks: bind(ctx, externalTaskQuery),
    incidents: bind(ctx, incidentQuery),
    executions: bind(ctx, executionQuery),
    eventSubscriptions: bind(ctx, eventSubscriptionQuery),
    historicProcessInstances: bind(ctx, historicProcessInstanceQuery),
    historicActivityInstances: bind(ctx, historicActivityInstanceQuery),
    historicVariableInstances: bind(ctx, historicVariableInstanceQuery),
    historicTaskInstances: bind(ctx, historicTaskInstanceQuery),
    historicIncidents: bind(ctx, historicIncidentQuery),
    historicDecisionInstances: bind(ctx, historicDecisionInstanceQuery),
    historicDetails: bind(ctx, historicDetailQuery),
    externalTaskLog: bind(ctx, externalTaskLogQuery),
    jobLog: bind(ctx, jobLogQuery),
    cleanableProcessInstances: bind(ctx, cleanableProcessInstanceReport),
    cleanableDecisionInstances: bind(ctx, cleanableDecisionInstanceReport),
    userOperationLog: bind(ctx, userOperationLogQuery),
    identityLinkLog: bind(ctx, identityLinkLogQuery),
    users: bind(ctx, userQuery),
    groups: bind(ctx, groupQuery),
  };
}
