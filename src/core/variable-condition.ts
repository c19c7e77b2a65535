/** A condition on a variable's value, as Camunda's queries take them (`variableValues`, `processVariables`). */

export const VARIABLE_OPERATORS = ['eq', 'neq', 'gt', 'gteq', 'lt', 'lteq', 'like'] as const;
export type VariableOperator = (typeof VARIABLE_OPERATORS)[number];

/** `name operator value`; the value's JSON type says which variable types it can match (a query string's are all strings). */
export interface VariableCondition {
  name: string;
  operator: VariableOperator;
  value: string | number | bigint | boolean | null;
}
