/** The place reserved for timers and jobs: shown until the engine has a job executor. */
import { h } from './dom.js';

export function jobsPlaceholder() {
  return h('div', { class: 'ops-placeholder ops-jobs-placeholder' },
    h('strong', {}, 'No job executor yet. '),
    'Timers, asynchronous continuations and their failed jobs will be listed here once the engine runs jobs.');
}
