/** The engine's public surface: parsing, the definition cache and the command runner. Pure: no I/O. */
export { parseBpmn, bpmnParseError, type BpmnParseOptions, type ParsedBpmn, type ParsedProcess, type ParseProblem } from './bpmn-parser.js';
export { DefinitionCache, type ProcessModel } from './definition-cache.js';
export { runProcessCommand, joinArrivalPrefix, ENGINE_VERSION, type EngineCommand, type EngineState, type RunResult, type WaitingActivity, type ActivityTransition, type WaitKind, type ThrownSignal } from './process-runner.js';
export { conditionHolds } from './conditional-events.js';
export { conditionListensTo, conditionOf, eventStartsOfContext, type ConditionDefinition, type EventStartDeclaration, type EventSubscriptionSpec, type SubscriptionType } from './event-subscriptions.js';
export { expressionContext, executionShim, type DecisionTaskEvaluation, type InstanceScope } from './engine-expressions.js';
export { callActivityAttributes, calledBusinessKey, mappedVariables, resolveAttribute, type CallActivityAttributes } from './call-activity.js';
export { ExecutionTree, type ExecutionRecord, type RunEvent, type ScopeKind } from './execution-tree.js';
export { VariableScopes, type ScopeId, type VariableChange } from './variable-scopes.js';
export { runScript, type ScriptOptions } from './script-runner.js';
export { hasListeners, runListeners } from './activity-hooks.js';
export { type TaskRecord } from './delegate-task.js';
export { resolveUserTaskAttributes, type UserTaskAttributes } from './user-task-attributes.js';
export { resolveExternalWork, type ExternalWorkAttributes } from './external-work.js';
export { DecisionNotPreparedError, decisionTaskAttributes, isDecisionTask, staticDecisionReference, type DecisionBinding, type DecisionLookup, type DecisionReference } from './decision-task.js';
export { asyncContinuationOf, elementIdOfExecution } from './async-continuations.js';
export { failedJobRetryTimeCycleOf } from './failed-job-retry-time-cycle.js';
export { type JobDeclaration, type JobKind } from './job-declarations.js';
