/** An instance's runtime rows as a whole: every one removed in a single statement when the instance ends or is deleted. */
import type { Db } from './database.js';
import { externalTaskLogInsert, NOT_SUCCEEDED } from './external-task-log-repository.js';
import { JOB_NOT_SUCCEEDED, jobLogInsert } from './job-log-repository.js';

/** What the statement removed that the caller still has to close or end: tasks and incidents (their history), called instances. */
export interface RemovedRuntime {
  taskIds: string[];
  /** Incidents of failed jobs and external tasks. */
  incidentIds: string[];
  /** Incidents raised on an execution by hand (POST /execution/{id}/create-incident), which end as deleted with it. */
  customIncidentIds: string[];
  /** Instances its call activities started that still run (not removed: each is terminated on its own). */
  calledInstanceIds: string[];
}

/** Tables with a row per wait or per value of an instance; a new runtime table of an instance belongs here too. */
const RUNTIME_TABLES = ['variable', 'external_task', 'job', 'event_subscription', 'execution'] as const;

/**
 * Deletes the instance's row and all its runtime rows (tasks, external tasks, jobs, event subscriptions, incidents,
 * executions, variables) in one statement of data-modifying CTEs, one round trip instead of one per table.
 */
export async function deleteRuntimeOfInstance(db: Db, processInstanceId: string, now: Date): Promise<RemovedRuntime> {
  const ofInstance = (table: string) => db(table).where({ process_instance_id: processInstanceId }).delete();
  const idsOf = (cte: string, where = 'true') => db.raw(`coalesce((select array_agg(id) from ${cte} where ${where}), '{}')`);
  const failureTypes = "incident_type in ('failedJob', 'failedExternalTask')";
  let statement = db.with('removed_tasks', ofInstance('task').returning('id')).with('removed_incidents', ofInstance('incident').returning(['id', 'incident_type']));
  for (const table of RUNTIME_TABLES) statement = statement.with(`removed_${table}`, table === 'external_task' || table === 'job' ? ofInstance(table).returning('*') : ofInstance(table));
  // The external tasks and jobs that end with the instance are logged as deleted (unless they just succeeded).
  const externalTaskLog = externalTaskLogInsert('removed_external_task', 'deleted', now, NOT_SUCCEEDED);
  statement = statement.with('logged_external_task', db.raw(externalTaskLog.sql, externalTaskLog.bindings));
  const jobLog = jobLogInsert('removed_job', 'deleted', now, JOB_NOT_SUCCEEDED);
  statement = statement.with('logged_job', db.raw(jobLog.sql, jobLog.bindings));
  const [row] = (await statement
    .with('removed_instance', db('process_instance').where({ id: processInstanceId }).delete())
    .select({
      task_ids: idsOf('removed_tasks'),
      incident_ids: idsOf('removed_incidents', failureTypes),
      custom_incident_ids: idsOf('removed_incidents', `not (${failureTypes})`),
      called_instance_ids: db('process_instance').where({ super_process_instance_id: processInstanceId }).select(db.raw("coalesce(array_agg(id order by id), '{}')")),
    })) as Array<{ task_ids: string[]; incident_ids: string[]; custom_incident_ids: string[]; called_instance_ids: string[] }>;
  return { taskIds: row.task_ids, incidentIds: row.incident_ids, customIncidentIds: row.custom_incident_ids, calledInstanceIds: row.called_instance_ids };
}
