/** The task list screen the app shell routes to. */
export { mountTasks } from './tasks-page.js';
