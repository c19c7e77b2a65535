/** Worker entry when running from TypeScript source: registers tsx in the worker, then loads the worker module given in workerData. */
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
