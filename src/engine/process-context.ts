/**
 * Cuts a file's serialized context down to what one of its processes runs: the process, its elements, and the
 * processes it exchanges messages with. Each definition stores its own cut, so a file of N processes stores
 * O(file) in total rather than N copies of the whole file.
 */

interface SerializedElement {
  id: string;
  parent?: { id: string };
  processId?: string;
  source?: { processId?: string };
  target?: { processId?: string };
}

type SerializedContext = Record<string, unknown> & { processes?: SerializedElement[] };

/** The collections whose elements belong to a scope (a process or an element inside one) through `parent`. */
const SCOPED_COLLECTIONS = ['activities', 'associations', 'dataObjects', 'dataStores', 'sequenceFlows', 'scripts', 'timers'];

function elementsOf(context: SerializedContext, collection: string): SerializedElement[] {
  const elements = context[collection];
  return Array.isArray(elements) ? (elements as SerializedElement[]) : [];
}

/** Each element id (at any depth) mapped to the process it is part of. */
function processOfElements(context: SerializedContext): Map<string, string> {
  const parentOf = new Map<string, string>();
  for (const collection of SCOPED_COLLECTIONS) {
    for (const element of elementsOf(context, collection)) if (element.parent) parentOf.set(element.id, element.parent.id);
  }
  const processIds = new Set((context.processes ?? []).map((process) => process.id));
  const processOf = new Map<string, string>();
  const resolve = (id: string): string | undefined => {
    if (processIds.has(id)) return id;
    if (processOf.has(id)) return processOf.get(id);
    const parent = parentOf.get(id);
    // Marked before the recursion, so a malformed cycle ends instead of recursing forever.
    processOf.set(id, '');
    const found = parent === undefined ? undefined : resolve(parent);
    processOf.set(id, found ?? '');
    return found;
  };
  for (const id of parentOf.keys()) resolve(id);
  return processOf;
}

/** The process and every process message flows connect it with, directly or through others (bpmn-engine may start them). */
function messagePartners(context: SerializedContext, processKey: string): Set<string> {
  const linked = new Map<string, Set<string>>();
  for (const flow of elementsOf(context, 'messageFlows')) {
    const [source, target] = [flow.source?.processId, flow.target?.processId];
    if (!source || !target) continue;
    for (const [from, to] of [[source, target], [target, source]]) {
      if (!linked.has(from)) linked.set(from, new Set());
      linked.get(from)!.add(to);
    }
  }
  const partners = new Set([processKey]);
  const queue = [processKey];
  while (queue.length > 0) {
    for (const next of linked.get(queue.pop()!) ?? []) {
      if (!partners.has(next)) {
        partners.add(next);
        queue.push(next);
      }
    }
  }
  return partners;
}

function bucketed<T>(elements: T[], ownersOf: (element: T) => string[]): Map<string, T[]> {
  const buckets = new Map<string, T[]>();
  for (const element of elements) {
    for (const owner of new Set(ownersOf(element))) {
      if (!buckets.has(owner)) buckets.set(owner, []);
      buckets.get(owner)!.push(element);
    }
  }
  return buckets;
}

/** Elements of the kept processes, and those of no process (bucket ''), in the file's order. */
function keptElements<T>(buckets: Map<string, T[]>, kept: Set<string>, order: Map<T, number>): T[] {
  const elements = ['', ...kept].flatMap((owner) => buckets.get(owner) ?? []);
  return kept.size > 1 ? [...new Set(elements)].sort((a, b) => order.get(a)! - order.get(b)!) : elements;
}

/**
 * One serialized context per process key, in time linear in the file (plus what message flows connect). Elements
 * outside every process (e.g. a data store of the definitions, a black-box pool) stay in each cut.
 */
export function serializedContextsByProcess(serializedContext: string, processKeys: string[]): Map<string, string> {
  const context = JSON.parse(serializedContext) as SerializedContext;
  const processOf = processOfElements(context);
  const collections = new Map<string, { buckets: Map<string, SerializedElement[]>; order: Map<SerializedElement, number> }>();
  const add = (collection: string, ownersOf: (element: SerializedElement) => string[]) => {
    if (!Array.isArray(context[collection])) return;
    const elements = elementsOf(context, collection);
    collections.set(collection, { buckets: bucketed(elements, ownersOf), order: new Map(elements.map((element, i) => [element, i])) });
  };
  add('processes', (process) => [process.id]);
  for (const collection of SCOPED_COLLECTIONS) add(collection, (element) => [processOf.get(element.id) ?? '']);
  add('messageFlows', (flow) => [flow.source?.processId ?? '', flow.target?.processId ?? '']);
  add('participants', (participant) => [participant.processId ?? '']);

  const byProcess = new Map<string, string>();
  for (const key of processKeys) {
    const kept = messagePartners(context, key);
    const cut: SerializedContext = { ...context };
    for (const [collection, { buckets, order }] of collections) cut[collection] = keptElements(buckets, kept, order);
    byProcess.set(key, JSON.stringify(cut));
  }
  return byProcess;
}
