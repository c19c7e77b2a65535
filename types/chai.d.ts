/** Minimal typings for chai 6, which ships none while @types/chai is not a dev dependency; replace once it is. */
declare module 'chai' {
  // Assertion chains are dynamic (property getters such as `.to.be`), so they stay untyped here.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  export type Assertion = any;
  export function expect(value: unknown, message?: string): Assertion;
  export const assert: Assertion;
  export function use(plugin: unknown): unknown;
}
