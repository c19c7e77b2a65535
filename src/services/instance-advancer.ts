/** Applies one engine command to an instance inside the caller's transaction: state, variables, tasks and history. */
import { OptimisticLockingError, ProcessEngineError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { fromPlainValue, toPlainValue, type StoredValue } from '../core/typed-value.js';
import {
  DecisionNotPreparedError,
  ENGINE_VERSION,
  expressionContext,
  joinArrivalPrefix,
  runListeners,
  createInstanceRunner,
  type InstanceRunner,
  parseEngineState,
  type ActivityTransition,
  type DecisionTaskEvaluation,
  type EngineCommand,
  type DecisionLookup,
  type InstanceScope,
  VariableScopes,
  type VariableChange,
  ExecutionTree,
  type RunResult,
  type WaitingActivity,
  elementIdOfExecution,
  conditionHolds,
  conditionListensTo,
  type ConditionDefinition,
} from '../engine/index.js';
import type { Db } from '../persistence/database.js';
import {
  cancelOpenActivityInstances,
  endJoinArrivals,
  findActivityInstanceByExecution,
  findOpenActivityInstancesAndNextSequence,
  insertHistoricActivityInstances,
  insertHistoricProcessInstance,
  nextActivitySequence,
  updateHistoricActivityInstance,
  endHistoricProcessInstance,
  type HistoricActivityInstanceRow,
  type OpenActivityInstance,
} from '../persistence/history-repository.js';
import { listExecutionsOfInstance, writeExecutionRows } from '../persistence/execution-repository.js';
import { endHistoricIncidents } from '../persistence/historic-incident-repository.js';
import { executionRecordOf, executionRowOf } from './execution-records.js';
import { insertProcessInstance, readProcessInstanceState, updateProcessInstanceState } from '../persistence/process-instance-repository.js';
import { deleteVariablesOfScopes, listVariablesOfInstance, storedValueOf } from '../persistence/variable-repository.js';
import { recordDecisionEvaluations } from './decision-history.js';
import { prepareDecisions } from './decision-resolver.js';
import { stampHistoryOfEndedRoot } from './history-removal-time.js';
import { processModelOf, type InstanceIdentity } from './instance-identity.js';
import type { CommandScope } from './run-command.js';
import type { ServiceContext } from './service-context.js';
import { instanceScope, writeVariableBatch, type VariableWrite } from './variable-writer.js';
import { reconcileWaits, removeInstanceRuntime } from './wait-reconciler.js';
import { continueCaller, endedCallOf, lockCaller, startCalledInstance, type EndedCall } from './call-activities.js';
import { terminateCalledInstance, terminateCalledInstances } from './termination.js';
import { recordThrownSignals } from './signal-throws.js';
import { takeVariableEvents, type VariableEvent } from './variable-events.js';
import { lockInstance } from './command-kernel.js';
import { listEventSubscriptionsOfInstance } from '../persistence/event-subscription-repository.js';
import { tracingEnabled } from '../telemetry/trace-context.js';
import { traceActivities } from './activity-spans.js';
import { currentAuthentication } from './authentication.js';

/** The call activity that started an instance: the caller, its execution and the engine's run of the call. */
export interface CallerLink {
  processInstanceId: string;
  executionId: string;
  engineExecutionId: string;
}

/** An instance as a command sees it: `version` null means it is being started by this command. */
export interface RunningInstance extends InstanceIdentity {
  version: number | null;
  startTime: Date;
  rootProcessInstanceId: string;
  caller: CallerLink | null;
}

export interface AdvanceResult {
  ended: boolean;
  /** A BPMN error this (called) instance did not catch was caught by a call activity above it, which ended this instance. */
  caughtByCaller?: boolean;
  /** The instance's variables after the command (also when it ended and its rows are gone). */
  variables: Map<string, StoredValue>;
  uncaughtBpmnError: RunResult['uncaughtBpmnError'];
  /** An escalation thrown at a waiting activity that nothing caught (the command changed nothing then). */
  uncaughtEscalation?: RunResult['uncaughtEscalation'];
}

/** An instance's variables at the start of a command: typed values per scope, and the scopes the engine sees. */
export interface LoadedVariables {
  /** Instance-scoped typed values, by name. */
  stored: Map<string, StoredValue>;
  /** Typed values of local scopes, by activity instance id and name. */
  storedLocals: Map<string, Map<string, StoredValue>>;
  scopes: VariableScopes;
  /** Activity instance id → its execution (history shows a local variable's execution). */
  executionOfActivityInstance: Map<string, string | null>;
  /** The open activity instances as loaded, by engine execution id, and the sequence number of the next one (undefined: none open). */
  openActivityInstances: Map<string, OpenActivityInstance>;
  nextActivitySequence: number | undefined;
}

/**
 * Loads the variables and the scope tree: the process scope, and a local scope for each open activity instance
 * (sub-processes, activities with input mappings), keyed by the engine's execution id.
 */
export async function loadInstanceVariables(db: Db, processInstanceId: string, isNew = false, withContent = false): Promise<LoadedVariables> {
  const stored = new Map<string, StoredValue>();
  const storedLocals = new Map<string, Map<string, StoredValue>>();
  const processValues: Array<[string, unknown]> = [];
  const { open, nextSequence } = isNew ? { open: [], nextSequence: 1 } : await findOpenActivityInstancesAndNextSequence(db, processInstanceId);
  const executionOf = new Map(open.map((row) => [row.id, row.engine_execution_id]));
  const locals = new Map<string, Record<string, unknown>>();
  for (const row of await listVariablesOfInstance(db, processInstanceId, { withContent })) {
    const value = storedValueOf(row);
    if (row.scope_id === processInstanceId) {
      stored.set(row.name, value);
      processValues.push([row.name, toPlainValue(value)]);
      continue;
    }
    const executionId = executionOf.get(row.scope_id);
    if (executionId === undefined) continue; // task-local variables are not execution variables
    const scopeValues = storedLocals.get(row.scope_id) ?? new Map<string, StoredValue>();
    scopeValues.set(row.name, value);
    storedLocals.set(row.scope_id, scopeValues);
    locals.set(executionId, { ...(locals.get(executionId) ?? {}), [row.name]: toPlainValue(value) });
  }
  const parents = new Map(open.map((row) => [row.engine_execution_id, executionOf.get(row.parent_activity_instance_id) ?? null]));
  // Object.fromEntries defines own properties, so a variable named `__proto__` is a key like any other.
  return {
    stored,
    storedLocals,
    scopes: new VariableScopes(Object.fromEntries(processValues), locals, parents),
    executionOfActivityInstance: new Map(open.map((row) => [row.id, row.execution_id])),
    openActivityInstances: new Map(open.map((row) => [row.engine_execution_id, row])),
    nextActivitySequence: nextSequence,
  };
}

export function engineScopeOf(ctx: ServiceContext, identity: InstanceIdentity, variables: VariableScopes, decisions?: DecisionLookup): InstanceScope {
  return {
    decisions,
    processInstanceId: identity.processInstanceId,
    processDefinitionId: identity.definition.id,
    businessKey: identity.businessKey,
    clock: ctx.clock,
    variables,
    scripts: ctx.options.scripts,
  };
}

/**
 * Writes what the command's expressions, mappings and listeners set, each in its scope (an activity's local scope is
 * its activity instance), and drops the runtime variables of scopes that ended. Returns the instance's variables.
 */
async function persistVariableChanges(db: Db, identity: InstanceIdentity, loaded: LoadedVariables, created: Map<string, HistoricActivityInstanceRow>, now: Date): Promise<Map<string, StoredValue>> {
  const finalVariables = new Map(loaded.stored);
  const activityInstanceOf = (executionId: string) => created.get(executionId)?.id ?? loaded.openActivityInstances.get(executionId)?.id;
  // Only a variable's last value in each scope is written: a multi-instance body sets its counters once per iteration.
  const lastChanges = new Map<string, VariableChange>();
  for (const change of loaded.scopes.changes) {
    const key = `${change.scope ?? ''}\u0000${change.name}`;
    lastChanges.delete(key);
    lastChanges.set(key, change);
  }
  const writes: VariableWrite[] = [];
  for (const change of lastChanges.values()) {
    if (change.scope === null) {
      const stored = fromPlainValue(change.value, finalVariables.get(change.name));
      finalVariables.set(change.name, stored);
      writes.push({ scope: instanceScope(identity), name: change.name, value: stored });
      continue;
    }
    const activityInstanceId = activityInstanceOf(change.scope);
    if (!activityInstanceId || loaded.scopes.ended.has(change.scope)) continue;
    const previous = loaded.storedLocals.get(activityInstanceId)?.get(change.name);
    const executionId = created.get(change.scope)?.execution_id ?? loaded.executionOfActivityInstance.get(activityInstanceId);
    writes.push({ scope: { scopeId: activityInstanceId, activityInstanceId, taskId: null, executionId }, name: change.name, value: fromPlainValue(change.value, previous) });
  }
  await writeVariableBatch(db, identity, writes, now);
  const endedScopes = [...loaded.scopes.ended].map(activityInstanceOf).filter((id): id is string => id !== undefined);
  await deleteVariablesOfScopes(db, endedScopes);
  return finalVariables;
}

/** Runs hook code (e.g. task listeners outside an engine command) in an instance's scopes and persists what it set. */
export async function runInScopes(ctx: ServiceContext, db: Db, identity: InstanceIdentity, run: (scope: InstanceScope) => void): Promise<void> {
  const loaded = await loadInstanceVariables(db, identity.processInstanceId);
  run(engineScopeOf(ctx, identity, loaded.scopes));
  await persistVariableChanges(db, identity, loaded, new Map(), ctx.clock.now());
}

function durationBetween(start: Date, end: Date): number {
  return Math.max(0, end.getTime() - new Date(start).getTime());
}

/** The activity instances a command started (by engine execution id), and whether any activity instance is still open. */
interface ActivityHistory {
  created: Map<string, HistoricActivityInstanceRow>;
  anyOpen: boolean;
}

/**
 * Writes the activity history of one command; returns engine execution id → activity instance id for new rows. The
 * open activity instances loaded with the variables stand for the rows of earlier commands: any other row has ended.
 */
async function writeActivityHistory(db: Db, identity: InstanceIdentity, loaded: LoadedVariables, transitions: ActivityTransition[], now: Date, isNew: boolean, executionOf: (runId: string) => string, ended?: Map<string, string>): Promise<ActivityHistory> {
  const created = new Map<string, HistoricActivityInstanceRow>();
  const openAtStart = loaded.openActivityInstances;
  const open = new Map(openAtStart);
  let sequence = isNew ? 1 : loaded.nextActivitySequence ?? (await nextActivitySequence(db, identity.processInstanceId));
  // The enclosing sub-process started in this command, or earlier (then it was open when the command began); a run
  // with neither is the process itself.
  const parentOf = (transition: ActivityTransition) => (transition.parentExecutionId
    ? created.get(transition.parentExecutionId) ?? openAtStart.get(transition.parentExecutionId)
    : undefined)?.id ?? identity.processInstanceId;
  for (const transition of transitions) {
    if (transition.kind === 'join') {
      // The tokens that waited at this join end with it, whether they arrived in this command or earlier ones.
      const parentId = parentOf(transition);
      const prefix = joinArrivalPrefix(transition.activityId);
      for (const row of created.values()) {
        if (row.engine_execution_id.startsWith(prefix) && row.parent_activity_instance_id === parentId && row.end_time === null) {
          Object.assign(row, { end_time: now, duration_in_millis: durationBetween(row.start_time, now) });
        }
      }
      if (!isNew) await endJoinArrivals(db, identity.processInstanceId, parentId, prefix, now);
      for (const row of open.values()) if (row.engine_execution_id.startsWith(prefix) && row.parent_activity_instance_id === parentId) open.delete(row.engine_execution_id);
      continue;
    }
    if (transition.kind === 'start') {
      created.set(transition.executionId, {
        id: `${transition.activityId}:${newId()}`,
        parent_activity_instance_id: parentOf(transition),
        process_instance_id: identity.processInstanceId,
        engine_execution_id: transition.executionId,
        execution_id: executionOf(transition.executionId),
        called_process_instance_id: null,
        process_definition_id: identity.definition.id,
        process_definition_key: identity.definition.key,
        activity_id: transition.activityId,
        activity_name: transition.activityName,
        activity_type: transition.activityType,
        task_id: null,
        assignee: null,
        tenant_id: identity.tenantId,
        canceled: false,
        complete_scope: false,
        start_time: now,
        end_time: null,
        duration_in_millis: null,
        sequence: sequence++,
        removal_time: null,
      });
      continue;
    }
    const ending = { end_time: now, canceled: transition.kind === 'cancel', complete_scope: transition.kind === 'end' && (transition.completesScope === true || transition.activityType.toLowerCase().endsWith('endevent')) };
    const fresh = created.get(transition.executionId);
    if (fresh) {
      Object.assign(fresh, ending, { duration_in_millis: 0 });
      continue;
    }
    const existing = open.get(transition.executionId);
    if (existing) {
      open.delete(transition.executionId);
      ended?.set(transition.executionId, existing.id);
      await updateHistoricActivityInstance(db, existing.id, { ...ending, duration_in_millis: durationBetween(existing.start_time, now) });
    }
  }
  await insertHistoricActivityInstances(db, [...created.values()]);
  return { created, anyOpen: open.size > 0 || [...created.values()].some((row) => row.end_time === null) };
}

function endActivityOf(transitions: ActivityTransition[]): string | null {
  const ends = transitions.filter((t) => t.kind === 'end' && t.activityType.toLowerCase().endsWith('endevent'));
  return ends.length > 0 ? ends[ends.length - 1].activityId : null;
}

function startActivityOf(transitions: ActivityTransition[]): string | null {
  return transitions.find((t) => t.kind === 'start' && /^start|StartEvent$/.test(t.activityType))?.activityId ?? null;
}

/**
 * Throws a BPMN error a child did not catch at its call activity; true when the caller, or a caller above it, caught
 * it (and so terminated the child through the interrupted call).
 */
async function throwToCaller(ctx: ServiceContext, command: CommandScope, caller: CallerLink, error: Extract<EngineCommand, { kind: 'bpmnError' }>): Promise<boolean> {
  const running = await lockCaller(command, caller.processInstanceId);
  const result = await advanceInstance(ctx, command, running, { ...error, activityId: elementIdOfExecution(caller.engineExecutionId), executionId: caller.engineExecutionId, endIfUncaught: false });
  return result.uncaughtBpmnError === null || result.caughtByCaller === true;
}

/** Camunda's delete reason for what an interrupting boundary event cancelled, named after the boundary event. */
function cancellationReason(transitions: ActivityTransition[]): string | null {
  const boundary = transitions.find((transition) => transition.kind === 'start' && transition.activityType.startsWith('boundary'));
  return boundary ? `Cancel scope activity Activity(${boundary.activityId}) executed.` : null;
}

/**
 * A wait's execution: its activity's; for a boundary event the execution of the activity it is attached to, for a
 * catch event an event-based gateway armed, the gateway's, and for an event sub-process's start event its scope's.
 */
function executionOfWait(tree: ExecutionTree, wait: WaitingActivity): string | undefined {
  if (wait.waitsOnScope) return wait.scopeRunId === null ? tree.processInstanceId : tree.executionOfRun(wait.scopeRunId);
  const host = wait.hostActivityId;
  return tree.executionOfRun(wait.ownerExecutionId) ?? (host ? tree.executionOfActivity(host, wait.scopeRunId) : undefined);
}

/** Each retry resolves one more decisionRef expression; a command evaluating more distinct ones is refused. */
const MAX_DECISION_ATTEMPTS = 10;

export interface AdvanceOptions {
  /** Variables the engine sees in this command only (Camunda's transient variables). */
  transientVariables?: Record<string, unknown>;
  /** Runs in the command's scopes before the engine does (a task's 'complete' listeners). */
  beforeRun?: (scope: InstanceScope) => void;
  /**
   * Whether the returned variables carry Bytes contents (for `withVariablesInReturn`). The engine never sees binary
   * content, so other commands do not read it: one 10 MB file variable would otherwise be read by every command.
   */
  variablesWithContent?: boolean;
  /**
   * For a child started by its caller's command: when it ends at once the caller continues it itself, after its own
   * writes, instead of the child continuing a caller that is mid-command.
   */
  returnToCaller?: boolean;
}

export async function advanceInstance(
  ctx: ServiceContext,
  command: CommandScope,
  instance: RunningInstance,
  engineCommand: EngineCommand,
  options: AdvanceOptions = {},
): Promise<AdvanceResult> {
  const { transientVariables = {}, beforeRun, variablesWithContent = false, returnToCaller = false } = options;
  const db = command.tx;
  const now = ctx.clock.now();
  const isNew = instance.version === null;
  const decisions = await prepareDecisions(ctx, db, instance.definition);
  let loaded: LoadedVariables;
  let scope: InstanceScope;
  let result: RunResult;
  let evaluatedDecisions: DecisionTaskEvaluation[];
  let runner: InstanceRunner;
  // A BPMN error in a called child that the child does not catch may be caught by its caller: try that first.
  const mayPropagate = engineCommand.kind === 'bpmnError' && instance.caller !== null;
  let runCommandOnEngine: EngineCommand = mayPropagate ? { ...engineCommand, endIfUncaught: false } : engineCommand;
  for (let attempt = 1; ; attempt++) {
    loaded = await loadInstanceVariables(db, instance.processInstanceId, isNew, variablesWithContent);
    Object.assign(loaded.scopes.process, transientVariables);
    scope = engineScopeOf(ctx, instance, loaded.scopes, decisions.lookup);
    const evaluated: DecisionTaskEvaluation[] = [];
    evaluatedDecisions = evaluated;
    scope.onDecisionEvaluated = (event) => evaluated.push(event);
    beforeRun?.(scope);
    // The engine this node kept after the instance's last command continues it; otherwise the engine recovers from
    // the stored state, which is read only then. A repeat (a decisionRef expression resolved, a BPMN error no caller
    // caught) always recovers: the first run changed the engine it ran on.
    const kept = attempt === 1 && instance.version !== null ? ctx.liveEngines.take(instance.processInstanceId, instance.version) : undefined;
    runner = kept ?? createInstanceRunner(ctx.cache, processModelOf(instance));
    const state = kept || instance.version === null ? null : parseEngineState(await readProcessInstanceState(db, instance.processInstanceId));
    try {
      result = await runner.run(state, scope, runCommandOnEngine);
      if (result.uncaughtBpmnError && runCommandOnEngine !== engineCommand && engineCommand.kind === 'bpmnError') {
        if (await throwToCaller(ctx, command, instance.caller!, engineCommand)) return { ended: true, variables: loaded.stored, uncaughtBpmnError: null, caughtByCaller: true };
        // No caller catches it either: the child handles it as an uncaught error (from the stored state again).
        runCommandOnEngine = engineCommand;
        continue;
      }
      break;
    } catch (error) {
      if (!(error instanceof DecisionNotPreparedError) || attempt >= MAX_DECISION_ATTEMPTS) throw error;
      await decisions.add(error.reference);
    }
  }

  // An error end event no boundary event of this (called) instance caught is thrown at its call activity, as in
  // Camunda; a caller that catches it terminates this instance. A child that throws in the command that started it
  // ends like a none end event (its caller is mid-command).
  const thrown = result.uncaughtErrorEnd;
  if (thrown && instance.caller && !isNew) {
    const error = { kind: 'bpmnError' as const, activityId: thrown.activityId, executionId: '', errorCode: thrown.errorCode, errorMessage: thrown.errorMessage, endIfUncaught: false };
    if (await throwToCaller(ctx, command, instance.caller, error)) return { ended: true, variables: loaded.stored, uncaughtBpmnError: null, caughtByCaller: true };
  }

  const rowsBefore = isNew ? [] : await listExecutionsOfInstance(db, instance.processInstanceId);
  const executionsBefore = rowsBefore.map(executionRecordOf);
  const tree = new ExecutionTree(instance.processInstanceId, executionsBefore, result.detachedActivityIds);
  for (const event of result.runEvents) tree.apply(event);
  const executionsAfter = tree.records();
  const executionOfRun = (runId: string) => tree.executionOfRun(runId) ?? instance.processInstanceId;
  const endedActivityInstances = tracingEnabled() ? new Map<string, string>() : undefined;
  const activityHistory = await writeActivityHistory(db, instance, loaded, result.transitions, now, isNew, executionOfRun, endedActivityInstances);
  const activityInstances = activityHistory.created;
  traceActivities(instance, result.transitions, (executionId) => activityInstances.get(executionId)?.id ?? endedActivityInstances?.get(executionId));
  for (const event of evaluatedDecisions) {
    const definition = decisions.definitionOf(event.model);
    if (!definition) continue;
    const activityInstance = activityInstances.get(event.executionId) ?? (isNew ? undefined : await findActivityInstanceByExecution(db, instance.processInstanceId, event.executionId));
    await recordDecisionEvaluations(db, definition, event.evaluations, now, {
      processDefinitionId: instance.definition.id,
      processDefinitionKey: instance.definition.key,
      processInstanceId: instance.processInstanceId,
      activityId: event.activityId,
      activityInstanceId: activityInstance?.id ?? null,
      tenantId: instance.tenantId,
    });
  }

  if (result.thrownSignals.length > 0) await recordThrownSignals(ctx, command, instance, result.thrownSignals);

  if (instance.version === null) {
    await insertHistoricProcessInstance(db, {
      id: instance.processInstanceId,
      business_key: instance.businessKey,
      process_definition_id: instance.definition.id,
      process_definition_key: instance.definition.key,
      process_definition_name: instance.definition.name,
      process_definition_version: instance.definition.version,
      root_process_instance_id: instance.rootProcessInstanceId,
      super_process_instance_id: instance.caller?.processInstanceId ?? null,
      super_execution_id: instance.caller?.executionId ?? null,
      tenant_id: instance.tenantId,
      start_user_id: currentAuthentication()?.userId ?? null,
      start_activity_id: startActivityOf(result.transitions),
      end_activity_id: null,
      state: 'ACTIVE',
      delete_reason: null,
      start_time: instance.startTime,
      end_time: null,
      duration_in_millis: null,
    });
  }

  if (result.ended) {
    const finalVariables = await persistVariableChanges(db, instance, loaded, activityInstances, now);
    const calledInstanceIds = await removeInstanceRuntime(db, instance.processInstanceId, now);
    // A terminate end event also ends the children of call activities in other branches.
    if (!isNew) await terminateCalledInstances(db, calledInstanceIds, now, 'terminated by its caller');
    // A terminate end event stops other branches without an end event of their own.
    if (activityHistory.anyOpen) await cancelOpenActivityInstances(db, instance.processInstanceId, now);
    await endHistoricProcessInstance(db, instance.processInstanceId, {
      state: 'COMPLETED',
      end_time: now,
      end_activity_id: endActivityOf(result.transitions),
      duration_in_millis: durationBetween(instance.startTime, now),
    });
    if (instance.rootProcessInstanceId === instance.processInstanceId) await stampHistoryOfEndedRoot(db, instance.processInstanceId, now, instance.definition.history_time_to_live);
    if (instance.caller && !returnToCaller) {
      await continueCaller(ctx, command, advanceInstance, instance.caller.processInstanceId, endedCallOf(instance.caller, finalVariables));
    }
    return { ended: true, variables: finalVariables, uncaughtBpmnError: result.uncaughtBpmnError, uncaughtEscalation: result.uncaughtEscalation };
  }

  const state = result.state as Record<string, unknown>;
  if (instance.version === null) {
    await insertProcessInstance(db, {
      id: instance.processInstanceId,
      process_definition_id: instance.definition.id,
      process_definition_key: instance.definition.key,
      business_key: instance.businessKey,
      root_process_instance_id: instance.rootProcessInstanceId,
      super_process_instance_id: instance.caller?.processInstanceId ?? null,
      super_execution_id: instance.caller?.executionId ?? null,
      super_engine_execution_id: instance.caller?.engineExecutionId ?? null,
      tenant_id: instance.tenantId,
      suspended: false,
      state,
      engine_version: ENGINE_VERSION,
      version: 1,
      start_time: instance.startTime,
    });
  } else if (!(await updateProcessInstanceState(db, instance.processInstanceId, instance.version, state))) {
    throw new OptimisticLockingError(`Process instance ${instance.processInstanceId} was updated by another transaction concurrently`);
  }
  const writtenVersion = (instance.version ?? 0) + 1;
  command.afterCommit.push(async () => ctx.liveEngines.keep(instance.processInstanceId, writtenVersion, runner));
  // Camunda deletes the incidents raised on an execution with it.
  const removedIncidentIds = await writeExecutionRows(db, rowsBefore, executionsAfter.map((record) => executionRowOf(instance.processInstanceId, record)));
  await endHistoricIncidents(db, removedIncidentIds, now, 'deleted');
  const endedCalls: EndedCall[] = [];
  const executionOf = (wait: WaitingActivity) => executionOfWait(tree, wait) ?? instance.processInstanceId;
  const previousTree = new ExecutionTree(instance.processInstanceId, executionsBefore, result.detachedActivityIds);
  await reconcileWaits(db, {
    executionOf,
    resumedWaits: isNew ? null : result.resumedWaits,
    previousExecutionOf: (wait) => executionOfWait(previousTree, wait) ?? instance.processInstanceId,
    startCalledInstance: async (wait) => {
      const ended = await startCalledInstance(ctx, command, advanceInstance, instance, scope, wait, executionOf(wait));
      if (ended) endedCalls.push(ended);
    },
    terminateCalledInstance: (childId) => terminateCalledInstance(db, childId, now, cancellationReason(result.transitions)),
    identity: instance,
    rootProcessInstanceId: instance.rootProcessInstanceId,
    waits: result.waits,
    activityInstances,
    expressions: (wait) => expressionContext(scope, wait.executionId, wait.activityId),
    taskListeners: (wait, event, task) => runListeners(scope, { id: wait.activityId, executionId: wait.executionId, behaviour: wait.behaviour, parentScope: wait.parentExecutionId }, wait.executionId, 'camunda:TaskListener', event, task),
    now,
    isNew: instance.version === null,
    timeZone: ctx.options.timeZone,
    kafka: ctx.options.kafka,
    behaviourOf: (activityId) => ctx.cache.behaviourOf(processModelOf(instance), activityId),
  });
  // After the waits: task listeners on created tasks may set variables too.
  const finalVariables = await persistVariableChanges(db, instance, loaded, activityInstances, now);
  command.touched.add(instance.processInstanceId);
  // Children that ended at once continue this instance now that its own writes are done.
  for (const ended of endedCalls) await continueCaller(ctx, command, advanceInstance, instance.processInstanceId, ended);
  const conditionals = result.waits.filter((wait) => wait.kind === 'conditional');
  const variableEvents = takeVariableEvents(db, instance.processInstanceId);
  if (conditionals.length > 0 && variableEvents.length > 0) {
    const holding = conditionals.filter((wait) => conditionFires(scope, wait.executionId, wait.activityId, wait.subscription?.condition, variableEvents));
    await fireConditionalEvents(ctx, command, instance.processInstanceId, holding.map((wait) => wait.executionId));
  }
  return { ended: false, variables: finalVariables, uncaughtBpmnError: result.uncaughtBpmnError, uncaughtEscalation: result.uncaughtEscalation };
}

/** Whether a variable change counts for the condition (`camunda:variableName`, `variableEvents`) and the condition holds. */
function conditionFires(scope: InstanceScope, executionId: string, activityId: string, condition: ConditionDefinition | undefined, events: readonly VariableEvent[]): boolean {
  if (!condition || !events.some((event) => conditionListensTo(condition, event.name, event.event))) return false;
  return conditionHolds(scope, executionId, activityId, condition.expression);
}

/** Delivers the condition to each conditional event, one after another: an earlier one may have ended a later one. */
async function fireConditionalEvents(ctx: ServiceContext, command: CommandScope, processInstanceId: string, engineExecutionIds: string[]): Promise<void> {
  for (const executionId of engineExecutionIds) {
    const [subscription] = await listEventSubscriptionsOfInstance(command.tx, processInstanceId, [executionId]);
    if (!subscription) continue;
    const { running } = await lockInstance(command.tx, processInstanceId, () => new ProcessEngineError(`Process instance ${processInstanceId} no longer exists`));
    await advanceInstance(ctx, command, running, { kind: 'signal', activityId: subscription.activity_id, executionId });
  }
}

/**
 * After variables of a waiting instance changed outside an engine command (REST variable updates): its conditional
 * events whose conditions now hold happen, in the same command, as in Camunda.
 */
export async function evaluateConditionalEvents(ctx: ServiceContext, command: CommandScope, identity: InstanceIdentity): Promise<void> {
  const { processInstanceId } = identity;
  const variableEvents = takeVariableEvents(command.tx, processInstanceId);
  if (variableEvents.length === 0) return;
  const subscriptions = (await listEventSubscriptionsOfInstance(command.tx, processInstanceId)).filter((subscription) => subscription.event_type === 'conditional');
  if (subscriptions.length === 0) return;
  const scope = engineScopeOf(ctx, identity, (await loadInstanceVariables(command.tx, processInstanceId)).scopes);
  const holding = subscriptions.filter((subscription) => {
    const condition = subscription.configuration ? (JSON.parse(subscription.configuration) as ConditionDefinition) : undefined;
    return conditionFires(scope, subscription.engine_execution_id!, subscription.activity_id, condition, variableEvents);
  });
  await fireConditionalEvents(ctx, command, processInstanceId, holding.map((subscription) => subscription.engine_execution_id!));
}
