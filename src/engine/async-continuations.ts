/**
 * Camunda's async continuations (`camunda:asyncBefore`, `camunda:asyncAfter`, the legacy `camunda:async`) as waits:
 * at deployment each becomes a task of its own in front of (or behind) its activity, named `<activity>$asyncBefore`
 * (`$asyncAfter`), which waits like a signal task; the server's job signals it, in a transaction of its own. The
 * runner keeps these tasks out of history and listeners, so only the transaction boundary shows.
 */

const MARKER = /\$async(Before|After)$/;

/** Whether `id` is the wait of an async continuation. */
export function isAsyncContinuationId(id: string): boolean {
  return MARKER.test(id);
}

/**
 * The element id of an execution: bpmn-elements names executions `<element id>_<10 hex digits>`, and the iterations
 * of a multi-instance activity `<element id>_<10 hex digits>_<index>`.
 */
export function elementIdOfExecution(executionId: string): string {
  const match = /^(.+)_[0-9a-f]{10}(?:_\d+)?$/.exec(executionId);
  return match ? match[1] : executionId.replace(/_[^_]+$/, '');
}

/** The activity an async continuation's wait belongs to, and on which side of it the wait is; null for other ids. */
export function asyncContinuationOf(id: string): { activityId: string; side: 'before' | 'after' } | null {
  const match = MARKER.exec(id);
  return match ? { activityId: id.slice(0, match.index), side: match[1] === 'Before' ? 'before' : 'after' } : null;
}

export interface ModdleElement {
  $type: string;
  id?: string;
  asyncBefore?: boolean;
  asyncAfter?: boolean;
  async?: boolean;
  flowElements?: ModdleElement[];
  [key: string]: unknown;
}

/** What moddle read: the serializer takes each flow's source and target from these references, not from the objects. */
export interface ModdleContext {
  references: Array<{ element: ModdleElement; property: string; id: string }>;
  elementsById: Record<string, ModdleElement>;
}

interface Moddle {
  create(type: string, attributes: Record<string, unknown>): ModdleElement;
}

/** The element ahead of which asyncBefore waits: a start event has nothing before it, so its wait follows it. */
export function waitsBefore(element: ModdleElement): boolean {
  return (element.asyncBefore === true || element.async === true) && element.$type !== 'bpmn:StartEvent';
}

export function waitsAfter(element: ModdleElement): boolean {
  return element.asyncAfter === true || ((element.asyncBefore === true || element.async === true) && element.$type === 'bpmn:StartEvent');
}

/** Inserts the waits of every async continuation of a process (sub-processes included), in place. */
export function insertAsyncContinuations(scope: ModdleElement, moddle: Moddle, context: ModdleContext): void {
  for (const element of [...(scope.flowElements ?? [])]) {
    if (element.flowElements) insertAsyncContinuations(element, moddle, context);
    if (!element.id || element.$type === 'bpmn:SequenceFlow') continue;
    if (waitsBefore(element)) {
      const wait = addElement(scope, moddle, context, 'bpmn:Task', { id: `${element.id}$asyncBefore` });
      redirect(context, 'bpmn:targetRef', element.id, wait.id!);
      connect(scope, moddle, context, wait, element);
    }
    if (waitsAfter(element)) {
      const wait = addElement(scope, moddle, context, 'bpmn:Task', { id: `${element.id}$asyncAfter` });
      redirect(context, 'bpmn:sourceRef', element.id, wait.id!);
      connect(scope, moddle, context, element, wait);
    }
  }
}

/** Points the flows whose `property` (source or target) is `from` at `to` instead. */
function redirect(context: ModdleContext, property: 'bpmn:sourceRef' | 'bpmn:targetRef', from: string, to: string): void {
  for (const reference of context.references) {
    if (reference.property === property && reference.id === from && reference.element.$type === 'bpmn:SequenceFlow') {
      reference.id = to;
      reference.element[property === 'bpmn:sourceRef' ? 'sourceRef' : 'targetRef'] = context.elementsById[to];
    }
  }
}

function addElement(scope: ModdleElement, moddle: Moddle, context: ModdleContext, type: string, attributes: Record<string, unknown>): ModdleElement {
  const element = moddle.create(type, attributes);
  element.$parent = scope;
  scope.flowElements!.push(element);
  context.elementsById[element.id!] = element;
  return element;
}

function connect(scope: ModdleElement, moddle: Moddle, context: ModdleContext, from: ModdleElement, to: ModdleElement): void {
  const flow = addElement(scope, moddle, context, 'bpmn:SequenceFlow', { id: `${from.id}$to$${to.id}`, sourceRef: from, targetRef: to });
  context.references.push({ element: flow, property: 'bpmn:sourceRef', id: from.id! }, { element: flow, property: 'bpmn:targetRef', id: to.id! });
}
