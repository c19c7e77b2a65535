/** Per-node cache of deserialized definitions, one per (definition, process) with only that process executable. */
import { deserialize } from 'moddle-context-serializer';
import { registerCompensationHandlers, takeCompensationBoundaries } from './compensation.js';
import { typeResolver } from './element-types.js';

export interface ProcessModel {
  definitionId: string;
  processKey: string;
  serializedContext: string;
}

export type SourceContext = ReturnType<typeof deserialize>;

/**
 * bpmn-engine's execute() starts every executable process of a file, so each process gets its own
 * context in which only it is executable (notes/bpmn-engine-spike-2.md §2).
 */
export class DefinitionCache {
  private readonly entries = new Map<string, SourceContext>();

  constructor(private readonly capacity = 500) {}

  /** The serialized behaviour (attributes, extension elements) of one element, e.g. for task listeners. */
  behaviourOf(model: ProcessModel, elementId: string): Record<string, unknown> {
    const element = (this.get(model) as unknown as { getActivityById(id: string): { behaviour?: Record<string, unknown> } | undefined }).getActivityById(elementId);
    return element?.behaviour ?? {};
  }

  get(model: ProcessModel): SourceContext {
    const cached = this.entries.get(model.definitionId);
    if (cached) {
      this.entries.delete(model.definitionId);
      this.entries.set(model.definitionId, cached);
      return cached;
    }
    const json = JSON.parse(model.serializedContext) as { processes?: Array<{ id: string; behaviour: { isExecutable?: boolean } }> };
    for (const process of json.processes ?? []) process.behaviour.isExecutable = process.id === model.processKey;
    const compensations = takeCompensationBoundaries(json as never);
    const context = deserialize(json as never, typeResolver);
    registerCompensationHandlers(context, compensations);
    this.entries.set(model.definitionId, context);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return context;
  }
}
