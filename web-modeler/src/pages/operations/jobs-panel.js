/**
 * The jobs of an instance or of a definition: timers and async continuations with their activity, when they are due,
 * their retries and last exception; a job that ran out of retries gets one more, any job can run now.
 */
import { createMessageArea, dataTable, h, replace, timeElement } from './dom.js';

const enc = encodeURIComponent;

/** What a job is, from its job definition: `Timer (DURATION: PT5M)` or `Async before`. */
function kindOf(definition) {
  if (!definition) return 'Job';
  if (definition.jobType === 'async-continuation') return definition.jobConfiguration === 'async-after' ? 'Async after' : 'Async before';
  return `Timer (${definition.jobConfiguration})`;
}

/**
 * `query` selects the jobs (`processInstanceId=…` or `processDefinitionId=…`), `definitionId` their job definitions;
 * `nameOf` names an activity; `onChange` runs after a job was retried or run (the instance may have moved on).
 */
export function createJobsPanel({ api, query, definitionId, nameOf = (id) => id, onChange = async () => {} }) {
  const messages = createMessageArea();
  const table = h('div', {}, h('p', { class: 'ops-hint' }, 'Loading jobs…'));
  const element = h('div', { class: 'ops-jobs' }, messages.element, table);
  let count = 0;

  async function act(job, label, request, success) {
    try {
      await request();
      await load();
      await onChange();
      messages.success(success);
    } catch (error) {
      messages.error(error, `Cannot ${label}:`);
      await load().catch(() => {});
    }
  }

  async function load() {
    const [jobs, definitions] = await Promise.all([
      api.get(`/job?${query}&sortBy=jobDueDate&sortOrder=asc`),
      api.get(`/job-definition?processDefinitionId=${enc(definitionId)}`),
    ]);
    const byId = new Map(definitions.map((definition) => [definition.id, definition]));
    count = jobs.length;
    replace(table, dataTable({
      caption: 'Jobs',
      rows: jobs,
      empty: 'No timers or jobs waiting.',
      rowAttributes: (job) => ({ dataset: { jobId: job.id } }),
      columns: [
        { label: 'Activity', cell: (job) => nameOf(byId.get(job.jobDefinitionId)?.activityId ?? job.failedActivityId ?? '—') },
        { label: 'Kind', cell: (job) => kindOf(byId.get(job.jobDefinitionId)) },
        { label: 'Due', cell: (job) => timeElement(job.dueDate) },
        { label: 'Retries', cell: (job) => h('span', { class: job.retries === 0 ? 'ops-job-failed' : undefined }, String(job.retries)) },
        { label: 'Last exception', cell: (job) => h('span', { class: 'ops-value ops-job-exception' }, job.exceptionMessage ?? '—') },
        {
          label: 'Actions',
          class: 'ops-actions',
          cell: (job) => {
            const name = nameOf(byId.get(job.jobDefinitionId)?.activityId ?? job.id);
            return [
              h('button', { type: 'button', class: 'ops-retry-button', disabled: job.retries > 0, title: job.retries > 0 ? 'The job still has retries' : 'Give the job one more retry', 'aria-label': `Retry job of ${name}`, onClick: () => act(job, 'retry', () => api.put(`/job/${enc(job.id)}/retries`, { retries: 1 }), 'Retried: the job runs again when it is due.') }, 'Retry'),
              ' ',
              h('button', { type: 'button', class: 'ops-run-button', 'aria-label': `Run job of ${name} now`, onClick: () => act(job, 'run the job', () => api.post(`/job/${enc(job.id)}/execute`, {}), 'The job ran.') }, 'Run now'),
            ];
          },
        },
      ],
    }));
    return count;
  }

  return { element, load, count: () => count };
}
