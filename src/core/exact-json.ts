/** JSON text that keeps every digit of a Long: integers beyond 2^53 are read as and written from `bigint`. */
import { isInteger, parse, stringify, type ParseOptions } from 'lossless-json';

const LOSSLESS_OPTIONS: ParseOptions = {
  // Every number JSON.parse reads exactly stays a plain number; only an integer it would round becomes a bigint.
  parseNumber: (text) => {
    const n = Number(text);
    return isInteger(text) && !Number.isSafeInteger(n) ? BigInt(text) : n;
  },
  // The last duplicate key wins, as with JSON.parse and Camunda's Jackson.
  onDuplicateKey: ({ newValue }) => newValue,
};

const SIXTEEN_DIGITS = /\d{16}/;

/** Parses JSON like JSON.parse (a SyntaxError on bad input), except that an integer beyond 2^53 becomes a bigint. */
export function parseExactJson(text: string): unknown {
  // An integer JSON.parse may round has at least 16 digits; without such a run the plain parse is exact.
  if (!SIXTEEN_DIGITS.test(text)) return JSON.parse(text);
  // lossless-json is tens of times slower on long strings, so it reads the text only when JSON.parse rounded an integer.
  let rounded = false;
  const value: unknown = JSON.parse(text, (_key, v: unknown) => {
    if (typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v)) rounded = true;
    return v;
  });
  return rounded ? parse(text, null, LOSSLESS_OPTIONS) : value;
}

/** Serializes like JSON.stringify, except that a bigint is written as its digits instead of throwing. */
export function toExactJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch (err) {
    // JSON.stringify refuses a bigint with a TypeError; lossless-json, several times slower, writes its digits.
    // Other TypeErrors (a circular structure) stay what they are.
    if (err instanceof TypeError && /BigInt/i.test(err.message)) return stringifyLosslessly(value);
    throw err;
  }
}

function stringifyLosslessly(value: unknown): string {
  try {
    return stringify(value) ?? 'null';
  } catch (err) {
    // lossless-json recurses into a cycle until the stack overflows; answer as JSON.stringify does.
    if (err instanceof RangeError) throw new TypeError('Converting circular structure to JSON (or a structure nested too deeply)', { cause: err });
    throw err;
  }
}
