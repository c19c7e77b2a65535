/** Reads the benchmark's BENCH_* settings from the environment (the bench is a script, not the server's Config). */
export function positiveInteger(name: string, fallback: number): number {
  const value = integer(name, fallback);
  if (value < 1) throw new Error(`${name} must be a positive integer, got '${process.env[name]}'`);
  return value;
}

/** Like positiveInteger, but 0 is allowed (e.g. to skip a part). */
export function nonNegativeInteger(name: string, fallback: number): number {
  return integer(name, fallback);
}

function integer(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got '${raw}'`);
  return value;
}
