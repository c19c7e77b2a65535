/** Wait rows that are jobs (timers, async continuations): listed, stored, announced and removed alike, built per kind. */
import type { WaitingActivity } from '../../engine/index.js';
import { jobDefinitionSettings } from '../../persistence/job-definition-repository.js';
import { deleteJobs, insertJobs, listJobsOfInstance, type JobRow } from '../../persistence/job-repository.js';
import { removeIncidentsOfConfiguration } from '../incident-lifecycle.js';
import { announceJobDue } from '../job-notifications.js';
import { asyncContinuationJobOf } from './async-continuation-job.js';
import { timerJobOf } from './timer-job.js';
import type { WaitReconciliation, WaitRows } from './wait-rows.js';

const JOB_OF: Record<'timer' | 'asyncContinuation', (input: WaitReconciliation, wait: WaitingActivity) => JobRow> = {
  timer: timerJobOf,
  asyncContinuation: asyncContinuationJobOf,
};

/** One set of rows for both kinds of job wait, so a command lists an instance's jobs once. */
export const jobRows: WaitRows<JobRow> = {
  kinds: ['timer', 'asyncContinuation'],
  table: 'job',
  count: (db, processInstanceId) => db('job').count('*').where({ process_instance_id: processInstanceId }),
  list: listJobsOfInstance,

  async create(db, input, waits) {
    if (waits.length === 0) return;
    const built = waits.map((wait) => JOB_OF[wait.kind as keyof typeof JOB_OF](input, wait));
    // As in Camunda, a job of a suspended job definition is created suspended, and one whose definition overrides
    // the priority (PUT /job-definition/{id}/jobPriority) gets that priority.
    const settings = await jobDefinitionSettings(db, [...new Set(built.map((job) => job.job_definition_id).filter((id): id is string => id !== null))]);
    const jobs = built.map((job) => {
      const inherited = job.job_definition_id === null ? undefined : settings.get(job.job_definition_id);
      if (!inherited) return job;
      return { ...job, suspended: job.suspended || inherited.suspended, priority: inherited.overriding_job_priority ?? job.priority };
    });
    await insertJobs(db, jobs, input.now);
    // Delivered on COMMIT: every node's job executor then looks at once if the job is due sooner than it planned.
    await announceJobDue(db, jobs.map((job) => job.due_date));
  },

  async remove(db, input, jobs) {
    await deleteJobs(db, jobs.map((job) => job.id), input.now);
    for (const job of jobs) await removeIncidentsOfConfiguration(db, job.id, input.now);
  },

};
