/** The operations screens the app shell routes to: processes, one definition, one instance. */
export { mountProcesses } from './processes-page.js';
export { mountDefinition } from './definition-page.js';
export { mountInstance } from './instance-page.js';
