/** Compiles regular expressions from models so that no pattern can stall the process by catastrophic backtracking. */
import { setFlagsFromString } from 'node:v8';

/**
 * V8 ships a linear-time (automaton) regular expression engine, used for a RegExp with the `l` flag once this flag is
 * set; it is read when a RegExp is compiled, so setting it here, before any pattern from a model is compiled, suffices.
 */
setFlagsFromString('--enable-experimental-regexp-engine');

/** Raised when a pattern could backtrack exponentially; callers turn it into their language's evaluation error. */
export class RegexBudgetError extends Error {
  constructor(pattern: string, reason: string) {
    super(`Regular expression '${pattern}' refused: ${reason}`);
    this.name = 'RegexBudgetError';
  }
}

const NOT_LINEAR = /cannot be executed in linear time/i;

/**
 * Compiles `pattern` for V8's linear-time engine. Patterns it cannot run (backreferences, lookaround) and
 * case-insensitive matching run on the backtracking engine only when no quantified group holds a quantifier or an
 * alternation, the shapes (`(a+)+`, `(a|a)*`) whose backtracking grows exponentially with the input.
 * A syntax error is thrown as the platform's SyntaxError.
 */
export function compileBoundedRegex(pattern: string, flags = ''): RegExp {
  if (!flags.includes('i')) {
    try {
      return new RegExp(pattern, `${flags}l`);
    } catch (error) {
      if (!NOT_LINEAR.test((error as Error).message)) throw error;
    }
  }
  const compiled = new RegExp(pattern, flags);
  if (hasAmbiguousRepetition(pattern)) {
    throw new RegexBudgetError(pattern, 'a repeated group holding a quantifier or an alternation cannot be combined with backreferences, lookaround or case-insensitive matching, as it may backtrack exponentially');
  }
  return compiled;
}

/** True when a group followed by a quantifier contains a quantifier or a `|` (a conservative, syntactic check). */
function hasAmbiguousRepetition(pattern: string): boolean {
  /** Per open group: whether it holds a quantifier or an alternation so far. */
  const groups: boolean[] = [];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
    } else if (c === '(') {
      groups.push(false);
    } else if (c === ')') {
      const risky = groups.pop() ?? false;
      const quantified = isQuantifier(pattern, i + 1);
      if (risky && quantified) return true;
      if (groups.length > 0 && (risky || quantified)) groups[groups.length - 1] = true;
    } else if (c === '|' || isQuantifier(pattern, i) || (c === '?' && pattern[i - 1] !== '(')) {
      if (groups.length > 0) groups[groups.length - 1] = true;
    }
  }
  return false;
}

function isQuantifier(pattern: string, at: number): boolean {
  const c = pattern[at];
  return c === '*' || c === '+' || (c === '{' && /^\{\d+(,\d*)?\}/.test(pattern.slice(at, at + 24)));
}
