/** Variable scopes of one instance during a command: the process scope and local scopes of activities (sub-processes, mapped tasks). */
import { setOwnProperty } from '../core/own-property.js';
import { toPlainJson } from '../expressions/index.js';

/** A scope is an engine execution id; null is the process instance itself. */
export type ScopeId = string | null;

export interface VariableChange {
  scope: ScopeId;
  name: string;
  value: unknown;
}

export class VariableScopes {
  private readonly locals: Map<string, Record<string, unknown>>;
  private readonly parents: Map<string, string | null>;
  /** Writes in order; the service persists them (the variable table is the source of truth). */
  readonly changes: VariableChange[] = [];
  /** Local scopes that ended in this command: their runtime variables go (their history stays). */
  readonly ended = new Set<string>();

  constructor(
    /** The process variables object the engine also reads (bpmn-elements' environment.variables). */
    readonly process: Record<string, unknown>,
    locals: Map<string, Record<string, unknown>> = new Map(),
    parents: Map<string, string | null> = new Map(),
  ) {
    this.locals = locals;
    this.parents = parents;
  }

  /** Records where an execution sits: its parent is a sub-process execution, or null for the process. */
  setParent(executionId: string, parentExecutionId: string | null): void {
    this.parents.set(executionId, parentExecutionId);
  }

  /** The chain of scopes from an execution up to (not including) the process. */
  private chain(scope: ScopeId): string[] {
    const chain: string[] = [];
    const seen = new Set<string>();
    for (let current = scope; current !== null && current !== undefined && !seen.has(current); current = this.parents.get(current) ?? null) {
      seen.add(current);
      chain.push(current);
    }
    return chain;
  }

  has(scope: ScopeId, name: string): boolean {
    return this.resolve(scope, name).found;
  }

  resolve(scope: ScopeId, name: string): { found: true; value: unknown } | { found: false } {
    for (const id of this.chain(scope)) {
      const local = this.locals.get(id);
      if (local && Object.prototype.hasOwnProperty.call(local, name)) return { found: true, value: local[name] };
    }
    if (Object.prototype.hasOwnProperty.call(this.process, name)) return { found: true, value: this.process[name] };
    return { found: false };
  }

  /** Everything visible from a scope, nearer scopes winning, as expressions and scripts see it. */
  visible(scope: ScopeId): Record<string, unknown> {
    const result: Record<string, unknown> = { ...this.process };
    for (const id of this.chain(scope).reverse()) {
      for (const [name, value] of Object.entries(this.locals.get(id) ?? {})) setOwnProperty(result, name, value);
    }
    return result;
  }

  /** Camunda's setVariable: the nearest scope that has the variable, else the process instance. */
  set(scope: ScopeId, name: string, newValue: unknown): void {
    // A Spin node from an expression (`S(…)`, `elements()`) is stored as the JSON it holds, as Camunda's Spin serializer does.
    const value = toPlainJson(newValue);
    for (const id of this.chain(scope)) {
      const local = this.locals.get(id);
      if (local && Object.prototype.hasOwnProperty.call(local, name)) {
        this.setLocal(id, name, value);
        return;
      }
    }
    setOwnProperty(this.process, name, value);
    this.changes.push({ scope: null, name, value });
  }

  /** Camunda's setVariableLocal (and input mappings): the variable lives in this execution's own scope. */
  setLocal(scope: ScopeId, name: string, newValue: unknown): void {
    const value = toPlainJson(newValue);
    if (scope === null) {
      setOwnProperty(this.process, name, value);
    } else {
      const local = this.locals.get(scope) ?? {};
      setOwnProperty(local, name, value);
      this.locals.set(scope, local);
    }
    this.changes.push({ scope, name, value });
  }

  localsOf(scope: string): Record<string, unknown> {
    return this.locals.get(scope) ?? {};
  }

  /** Ends a local scope (its activity ended): its variables are no longer visible. */
  end(scope: string): void {
    if (this.locals.has(scope)) this.ended.add(scope);
    this.locals.delete(scope);
  }

  parentOf(scope: string): string | null {
    return this.parents.get(scope) ?? null;
  }
}
