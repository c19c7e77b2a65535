/** Writes a key of a record keyed by user input: `record[name] = value` would set the prototype for `__proto__`. */

export function setOwnProperty(record: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(record, name, { value, writable: true, enumerable: true, configurable: true });
}
