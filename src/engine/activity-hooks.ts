/** Camunda's activity hooks the engine runs around bpmn-elements: input/output mappings and execution listeners. */
import { ProcessEngineError } from '../core/errors.js';
import { compileExpression, type ResolveResult } from '../expressions/index.js';
import { delegateTask, type TaskRecord } from './delegate-task.js';
import { expressionContext, executionShim, type InstanceScope } from './engine-expressions.js';
import { evaluateParameters, inputOutputOf } from './io-mapping.js';
import { runScript } from './script-runner.js';
import type { ScopeId } from './variable-scopes.js';

interface Listener {
  $type: string;
  event?: string;
  expression?: string;
  script?: { scriptFormat?: string; value?: string; resource?: string };
}

export interface HookTarget {
  id: string;
  executionId: string | null;
  behaviour: Record<string, unknown>;
  /** The execution whose scope encloses this one (a sub-process), or null for the process. */
  parentScope: ScopeId;
}

function listenersOf(behaviour: Record<string, unknown>, type: string, event: string): Listener[] {
  const extensions = behaviour.extensionElements as { values?: Listener[] } | undefined;
  return (extensions?.values ?? []).filter((value) => value.$type === type && (value.event ?? '') === event);
}

/** Whether an element has listeners of this type for this event (e.g. a user task's `complete` task listeners). */
export function hasListeners(behaviour: Record<string, unknown>, type: 'camunda:ExecutionListener' | 'camunda:TaskListener', event: string): boolean {
  return listenersOf(behaviour, type, event).length > 0;
}

/**
 * Runs the listeners of one event: a JUEL expression, or an inline script (FEEL, or JavaScript when enabled).
 * Task listeners get Camunda's `task` (see delegate-task.ts); their expressions see the task's local variables first.
 */
export function runListeners(instance: InstanceScope, target: HookTarget, scope: ScopeId, type: 'camunda:ExecutionListener' | 'camunda:TaskListener', event: string, task?: TaskRecord): void {
  for (const listener of listenersOf(target.behaviour, type, event)) {
    const where = `${type === 'camunda:TaskListener' ? 'task' : 'execution'} listener '${event}' of element '${target.id}'`;
    try {
      const execution = executionShim(instance, scope, target.id);
      const delegate = task === undefined ? undefined : delegateTask(instance, task, event, execution);
      if (listener.expression) {
        const resolve = (name: string): ResolveResult =>
          task !== undefined && Object.hasOwn(task.locals, name) ? { found: true, value: task.locals[name] } : instance.variables.resolve(scope, name);
        compileExpression(listener.expression).evaluate({ resolve, clock: instance.clock, execution, task: delegate });
      } else if (listener.script?.value !== undefined) {
        const variables = { ...instance.variables.visible(scope), ...task?.locals, ...(delegate === undefined ? {} : { task: delegate }) };
        runScript(listener.script.scriptFormat, listener.script.value, { variables, execution }, instance.scripts, where);
      }
    } catch (thrown) {
      if (thrown instanceof ProcessEngineError && thrown.message.startsWith(where)) throw thrown;
      throw new ProcessEngineError(`${where} failed: ${thrown instanceof Error ? thrown.message : String(thrown)}`, { cause: thrown });
    }
  }
}

/** An activity starts: input parameters become its local variables, then its start listeners run. */
export function onActivityStart(instance: InstanceScope, target: HookTarget): void {
  const scope = target.executionId;
  const mapping = inputOutputOf(target.behaviour);
  if (mapping?.inputParameters?.length && scope !== null) {
    evaluateParameters(
      mapping.inputParameters,
      {
        // Inputs read the enclosing scope; each one set is visible to the next, as in Camunda.
        expressions: expressionContext(instance, scope, target.id),
        variables: instance.variables.visible(target.parentScope),
        scripts: instance.scripts,
        where: `input mapping of element '${target.id}'`,
      },
      (name, value) => instance.variables.setLocal(scope, name, value),
    );
  }
  runListeners(instance, target, scope, 'camunda:ExecutionListener', 'start');
}

/** An activity ends: output parameters are set from its scope into the enclosing one, end listeners run, its scope ends. */
export function onActivityEnd(instance: InstanceScope, target: HookTarget): void {
  const scope = target.executionId;
  const mapping = inputOutputOf(target.behaviour);
  if (mapping?.outputParameters?.length) {
    const outputs: Array<[string, unknown]> = [];
    evaluateParameters(
      mapping.outputParameters,
      { expressions: expressionContext(instance, scope, target.id), variables: instance.variables.visible(scope), scripts: instance.scripts, where: `output mapping of element '${target.id}'` },
      (name, value) => outputs.push([name, value]),
    );
    for (const [name, value] of outputs) instance.variables.set(target.parentScope, name, value);
  }
  runListeners(instance, target, scope, 'camunda:ExecutionListener', 'end');
  // An activity with an input/output mapping is a scope of its own: its local variables end with it.
  if (scope !== null) instance.variables.end(scope);
}

/** A sequence flow is taken: its take listeners run in the scope it belongs to. */
export function onFlowTaken(instance: InstanceScope, target: HookTarget): void {
  runListeners(instance, target, target.parentScope, 'camunda:ExecutionListener', 'take');
}
