/** The ordered list of schema migrations; a static list so it works under tsx and from compiled dist/ alike. */
import type { Knex } from 'knex';
import { initial } from './0001-initial.js';
import { runtimeAndHistory } from './0002-runtime-and-history.js';
import { externalTasksAndIncidents } from './0003-external-tasks-and-incidents.js';
import { decisions } from './0004-decisions.js';
import { taskIncidentDecisionHistory } from './0005-task-incident-decision-history.js';
import { historyRemovalTime } from './0006-history-removal-time.js';
import { jobs } from './0007-jobs.js';
import { asyncJobsAndJobDefinitions } from './0008-async-jobs-and-job-definitions.js';
import { incidentJobDefinition } from './0009-incident-job-definition.js';
import { executions } from './0010-executions.js';
import { eventSubscriptions } from './0011-event-subscriptions.js';
import { outbox } from './0012-outbox.js';
import { identity } from './0013-identity.js';
import { userOperationLog } from './0014-user-operation-log.js';
import { externalTaskTraceparent } from './0015-external-task-traceparent.js';
import { meterLog } from './0016-meter-log.js';
import { standaloneTasksAndIdentityLinks } from './0017-standalone-tasks-and-identity-links.js';
import { definitionDiagrams } from './0020-definition-diagrams.js';
import { commentsAndAttachments } from './0018-comments-and-attachments.js';
import { filters } from './0019-filters.js';
import { historyDetailsAndLogs } from './0022-history-details-and-logs.js';
import { processStateAsText } from './0023-process-state-as-text.js';
import { historicStartUser } from './0024-historic-start-user.js';

export interface Migration {
  /** Stored in knex_migrations; never rename a migration that has shipped. */
  name: string;
  up(knex: Knex): Promise<void>;
  down?(knex: Knex): Promise<void>;
}

/** Append only. Each migration runs in its own transaction; one SQL statement per `raw` (PGlite rejects multi-statement SQL). */
export const migrations: Migration[] = [initial, runtimeAndHistory, externalTasksAndIncidents, decisions, taskIncidentDecisionHistory, historyRemovalTime, jobs, asyncJobsAndJobDefinitions, incidentJobDefinition, executions, eventSubscriptions, outbox, identity, userOperationLog, externalTaskTraceparent, meterLog, standaloneTasksAndIdentityLinks, commentsAndAttachments, filters, definitionDiagrams, historyDetailsAndLogs, processStateAsText, historicStartUser];
