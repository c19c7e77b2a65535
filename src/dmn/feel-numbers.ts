/** The number policy: feelin computes with JS doubles, we round every arithmetic result to 15 significant digits. */
import { FeelRange } from 'feelin';

/**
 * FEEL specifies decimal128 (34 digits); feelin uses IEEE doubles, so `0.1 + 0.2` is 0.30000000000000004 and
 * `0.1 + 0.2 = 0.3` is false. A double carries 15 significant decimal digits exactly, so rounding each arithmetic
 * result (and every expression result) to 15 significant digits gives the decimal answer whenever the exact
 * result has at most 15 significant digits: money sums, `1.1 * 3`, `10 / 4`. Integers are left alone, so whole
 * numbers up to 2^53 stay exact; beyond that, and for results needing more than 15 digits (`1 / 3`), we diverge
 * from decimal128 (docs/dmn-tck.md lists it).
 */
export function roundNumber(value: unknown): unknown {
  if (typeof value !== 'number' || Number.isInteger(value) || !Number.isFinite(value)) return value;
  return Number(value.toPrecision(15));
}

/** Rounds numbers inside lists and contexts too (results of built-ins such as `sum` are not arithmetic nodes). */
export function roundDeep(value: unknown): unknown {
  if (typeof value === 'number') return roundNumber(value);
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const rounded = roundDeep(value[i]);
      if (rounded !== value[i]) (copy ??= [...value])[i] = rounded;
    }
    return copy ?? value;
  }
  if (isPlainContext(value)) {
    let copy: Record<string, unknown> | undefined;
    for (const [key, entry] of Object.entries(value)) {
      const rounded = roundDeep(entry);
      if (rounded !== entry) (copy ??= { ...value })[key] = rounded;
    }
    return copy ?? value;
  }
  return value;
}

/** A FEEL context as feelin represents it: a plain object (not a range, temporal value or function). */
export function isPlainContext(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || value instanceof FeelRange) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
