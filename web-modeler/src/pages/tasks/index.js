/** Placeholder for the task list; replaced by the task list work. */
import { h, setTitle } from '../../ui.js';

export function mountTasks(container) {
  setTitle('Tasks');
  container.append(h('div', { class: 'page' }, h('h1', {}, 'Tasks')));
}
