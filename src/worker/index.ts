/** The worker SDK's public surface: createWorker, its options and task types, and wire contract v1 of the Kafka transport. */
export { createWorker } from './create-worker.js';
export type { InputOf, OutputOf, Worker } from './create-worker.js';
export type { KafkaWorkerOptions, RestWorkerOptions, SubscribeOptions, WorkerLogger, WorkerOptions } from './worker-options.js';
export type { TaskAnswered, TaskFailure, TaskHandler, WorkerTask } from './worker-task.js';
export { TaskAlreadyAnsweredError } from './task-answers.js';
export { EngineRequestError } from './engine-rest-client.js';
export { toPlainVariables, toWireVariables, VariableConversionError } from './task-variables.js';
export { childTraceParent, formatTraceParent, parseTraceParent } from '../core/trace-parent.js';
export type { TraceParent } from '../core/trace-parent.js';
export {
  ATTEMPT_HEADER,
  deadLetterTopic,
  jobMessageSchema,
  jobResultSchema,
  jobTopic,
  resultTopic,
  TRACEPARENT_HEADER,
  WIRE_CONTRACT_VERSION,
} from './wire-contract.js';
export type { JobAnswer, JobMessage, JobResult, WireVariable, WireVariables } from './wire-contract.js';
