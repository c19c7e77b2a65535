/** The contract built-in wrapper values (DateTime, Spin nodes) fulfil so the evaluator can call them safely. */

/** Marks which methods an expression may call; anything not listed is refused, whatever the object has. */
export const EL_METHODS: unique symbol = Symbol('juel.methods');

/** How many arguments a method takes: exactly n, or an inclusive [min, max] range. */
export type Arity = number | readonly [number, number];

export function acceptsArity(arity: Arity, count: number): boolean {
  return typeof arity === 'number' ? count === arity : count >= arity[0] && count <= arity[1];
}

export interface ElObject {
  readonly [EL_METHODS]: ReadonlyMap<string, Arity>;
  /** A Java-like type name for error messages, e.g. `org.joda.time.DateTime`. */
  readonly elTypeName: string;
  equals(other: unknown): boolean;
  toString(): string;
  /** Present on values EL may order with `<`, `>` and friends. */
  compareTo?(other: unknown): number;
  /** Present on values with their own member and index access (`a.b`, `a[0]`), such as JSON nodes. */
  elProperty?(key: unknown): unknown;
  /** Present on values EL's `empty` operator can see into. */
  elEmpty?(): boolean;
}

export function isElObject(value: unknown): value is ElObject {
  return typeof value === 'object' && value !== null && EL_METHODS in value;
}
