/** Bounds what one FEEL evaluation may cost: its nesting depth, its steps, and the regular expressions it runs. */
import { FeelFunction, FeelRange, parseExpression } from 'feelin';
import { compileBoundedRegex, RegexBudgetError } from './bounded-regex.js';

/** Deepest nesting of `(`, `[` and `{` a FEEL text may have; deeper texts are refused before feelin parses them. */
export const MAX_FEEL_NESTING = 200;

/** Elements iterated (range elements, `for`/`some`/`every` collections) plus functions invoked in one evaluation. */
export const FEEL_STEP_BUDGET = 100_000;

/** Raised when an evaluation exceeds FEEL_STEP_BUDGET or refuses a regular expression. */
class FeelBudgetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeelBudgetError';
  }
}

/**
 * Longest FEEL text accepted: feelin's parser slows down more than linearly on some long texts (a run of short words,
 * which it tries to read as one name with spaces, takes seconds at 20,000 characters), so longer texts are refused.
 */
export const MAX_FEEL_LENGTH = 10_000;

/** Why `text` is refused before feelin parses it (too long, or nested deeper than allowed) and where, or null. */
export function feelTextRefusal(text: string): { position: number; reason: string } | null {
  if (text.length > MAX_FEEL_LENGTH) return { position: MAX_FEEL_LENGTH, reason: `longer than ${MAX_FEEL_LENGTH} characters` };
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (c === '(' || c === '[' || c === '{') {
      if (++depth > MAX_FEEL_NESTING) return { position: i, reason: `nesting deeper than ${MAX_FEEL_NESTING} levels` };
    } else if (c === ')' || c === ']' || c === '}') {
      depth--;
    }
  }
  return null;
}

let remainingSteps: number | null = null;

/**
 * Runs one FEEL evaluation under the step budget; an evaluation nested in another (a decision invoked from a FEEL
 * expression) shares the budget of the outermost one.
 */
export function withinFeelBudget<T>(evaluation: () => T): T {
  if (remainingSteps !== null) return evaluation();
  remainingSteps = FEEL_STEP_BUDGET;
  try {
    return evaluation();
  } finally {
    remainingSteps = null;
  }
}

function step(count = 1): void {
  if (remainingSteps === null) return;
  remainingSteps -= count;
  if (remainingSteps < 0) {
    throw new FeelBudgetError(`FEEL evaluation exceeded its budget of ${FEEL_STEP_BUDGET} steps (iterated elements and function calls)`);
  }
}

/*
 * feelin's interpreter has no hook for a budget, but every iteration over a range goes through FeelRange#map and
 * every function call through FeelFunction#invoke, both exported classes: counting there bounds `for`, `some`,
 * `every` and filters over ranges (`for i in 1..3000000`, `1.5..3` which never ends) and recursion.
 */
const rangeMap = FeelRange.prototype.map;
FeelRange.prototype.map = function map<T>(this: FeelRange, fn: (value: unknown) => T): T[] {
  return rangeMap.call(this, (value: unknown) => {
    step();
    return fn(value);
  }) as T[];
};
const invoke = FeelFunction.prototype.invoke;
FeelFunction.prototype.invoke = function countedInvoke(this: FeelFunction, ...args: Parameters<typeof invoke>) {
  step();
  return invoke.apply(this, args);
};

/** The name the collection of every `for`/`some`/`every` iteration is wrapped in, so its elements count as steps. */
export const ITERATION_COUNTER = '__feelIteration';

/** Counts a list's elements and returns it unchanged; a range is counted by FeelRange#map as it is enumerated. */
export const ITERATION_COUNTER_FUNCTION = new FeelFunction((collection: unknown) => {
  if (Array.isArray(collection)) step(collection.length);
  return collection;
}, ['collection']);

type SyntaxTree = ReturnType<typeof parseExpression>;

/**
 * The spans of the iteration collections (`l` in `for x in l`, `some x in l satisfies …`) to wrap in
 * ITERATION_COUNTER: nested iterations over lists build their cartesian product in feelin without calling anything
 * we could count, so each collection is counted every time it is evaluated. Ranges (`1..n`) are left as they are.
 */
export function iterationCollections(tree: SyntaxTree): Array<{ from: number; to: number }> {
  const spans: Array<{ from: number; to: number }> = [];
  tree.iterate({
    enter(ref) {
      if (ref.name !== 'IterationContext') return undefined;
      const only = ref.node.firstChild;
      if (only !== null && only.nextSibling === null) spans.push({ from: ref.from, to: ref.to });
      return undefined;
    },
  });
  return spans;
}

/** `text` with its iteration collections wrapped in ITERATION_COUNTER; a text with syntax errors stays as it is. */
export function countingIterations(text: string, scope: Record<string, unknown>): string {
  if (!/\bin\b/.test(text)) return text;
  const tree = parseExpression(text, scope, undefined);
  let valid = true;
  tree.iterate({
    enter(ref) {
      if (ref.type.isError) valid = false;
      return valid;
    },
  });
  if (!valid) return text;
  let rewritten = '';
  let cursor = 0;
  // Collections never share a start or an end, so cutting in offset order keeps the parentheses paired.
  const cuts = iterationCollections(tree).flatMap(({ from, to }) => [{ at: from, insert: `${ITERATION_COUNTER}(` }, { at: to, insert: ')' }]);
  for (const { at, insert } of cuts.sort((a, b) => a.at - b.at)) {
    rewritten += text.slice(cursor, at) + insert;
    cursor = at;
  }
  return rewritten + text.slice(cursor);
}

/**
 * FEEL's `matches`, `replace` and `split`, replacing feelin's (which compile with the backtracking engine) through
 * the evaluation context, where a name shadows the built-in. Flags are XPath's `s`, `m`, `i` (`x` is not supported,
 * as in feelin); patterns run without JavaScript's `u` flag, which the linear-time engine does not support.
 */
export const BOUNDED_REGEX_FUNCTIONS: Readonly<Record<string, FeelFunction>> = {
  matches: new FeelFunction((input: unknown, pattern: unknown, flags: unknown) => {
    const regex = regexOf(pattern, flags, '');
    return regex && typeof input === 'string' ? regex.test(input) : null;
  }, ['input', 'pattern', 'flags']),
  replace: new FeelFunction((input: unknown, pattern: unknown, replacement: unknown, flags: unknown) => {
    const regex = regexOf(pattern, flags, 'g');
    if (!regex || typeof input !== 'string' || typeof replacement !== 'string') return null;
    return input.replace(regex, replacement.replace(/\$0/g, '$$&'));
  }, ['input', 'pattern', 'replacement', 'flags']),
  split: new FeelFunction((input: unknown, delimiter: unknown) => {
    const regex = regexOf(delimiter, undefined, '');
    return regex && typeof input === 'string' ? input.split(regex) : null;
  }, ['string', 'delimiter']),
};

const XPATH_FLAGS = /^[smi]*$/;

function regexOf(pattern: unknown, flags: unknown, defaultFlags: string): RegExp | null {
  if (typeof pattern !== 'string') return null;
  const given = typeof flags === 'string' ? flags : '';
  if (!XPATH_FLAGS.test(given)) throw new FeelBudgetError(`illegal or unsupported regular expression flags '${given}'`);
  try {
    return compileBoundedRegex(pattern, [...new Set(given + defaultFlags)].join(''));
  } catch (error) {
    if (error instanceof RegexBudgetError) throw new FeelBudgetError(error.message);
    throw new FeelBudgetError(`invalid regular expression '${pattern}': ${(error as Error).message}`);
  }
}
