/** The package's public API: the DMN library (parse and evaluate decisions without a server) and the external task worker SDK. */
export { DecisionEvaluationError, evaluateDecision, evaluateDmn, parseDmn } from './dmn/index.js';
export type { DecisionResult, DmnDecision, DmnModel } from './dmn/index.js';
export { createWorker } from './worker/index.js';
export type { KafkaWorkerOptions, RestWorkerOptions, SubscribeOptions, TaskFailure, TaskHandler, Worker, WorkerLogger, WorkerOptions, WorkerTask } from './worker/index.js';
