/** Types for free-port.mjs, so TypeScript tests can import it under strict mode. */
export function freePort(): Promise<number>;
