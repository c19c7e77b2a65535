/** Builds expression contexts over plain variable maps with a fixed clock, for the expression tests. */
import type { Clock } from '../../src/core/clock.js';
import type { ExecutionShim, ExpressionContext } from '../../src/expressions/index.js';

export const FIXED_NOW = new Date('2024-01-31T10:15:30.000Z');

export const fixedClock: Clock = { now: () => new Date(FIXED_NOW.getTime()) };

export function contextOf(variables: Record<string, unknown>, extras: Partial<ExpressionContext> = {}): ExpressionContext {
  return {
    resolve: (name) => (Object.hasOwn(variables, name) ? { found: true, value: variables[name] } : { found: false }),
    clock: fixedClock,
    ...extras,
  };
}

/** An execution shim over a variable map, recording writes so tests can assert on them. */
export function executionShim(variables: Record<string, unknown>, businessKey: string | null = 'order-42'): ExecutionShim {
  return {
    getVariable: (name: string) => variables[name] ?? null,
    setVariable: (name: string, value: unknown) => {
      variables[name] = value;
    },
    getProcessBusinessKey: () => businessKey,
    getProcessInstanceId: () => 'pi-1',
    getActivityId: () => 'Task_Review',
    getId: () => 'exec-1',
    getProcessDefinitionId: () => 'invoice:1:pd-1',
    hasVariable: (name: string) => Object.hasOwn(variables, name),
  };
}
