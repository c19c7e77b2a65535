/** What an expression can see while it runs: variables, the clock, and the execution/task shims. */
import type { Clock } from '../core/clock.js';

/**
 * The `execution` object expressions call into, mirroring the DelegateExecution methods models use.
 * Implementations may carry more methods: any function on the shim is callable from an expression, and
 * getters are reachable by bean convention too (`execution.processBusinessKey`).
 */
export interface ExecutionShim {
  getVariable(name: string): unknown;
  setVariable(name: string, value: unknown): void;
  getProcessBusinessKey(): string | null;
  getProcessInstanceId(): string;
  getActivityId(): string | null;
  getId(): string;
  getProcessDefinitionId(): string;
  getVariableLocal?(name: string): unknown;
  setVariableLocal?(name: string, value: unknown): void;
  hasVariable?(name: string): boolean;
  getVariables?(): Record<string, unknown>;
  getBusinessKey?(): string | null;
  getCurrentActivityName?(): string | null;
  getTenantId?(): string | null;
  getEventName?(): string | null;
}

export type ResolveResult = { found: true; value: unknown } | { found: false };

export interface ExpressionContext {
  /** Resolves a top-level identifier; return { found: false } when the name is unknown. */
  resolve(name: string): ResolveResult;
  clock: Clock;
  /** Bound to the identifier `execution`, ahead of any variable of that name, as in Camunda. */
  execution?: ExecutionShim;
  /** Bound to the identifier `task`, with the same getter convention as `execution`. */
  task?: Record<string, unknown>;
}
