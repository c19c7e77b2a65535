/** Compiles FEEL expressions and unary tests once with feelin's public API, so evaluation never re-parses. */
import { evaluate, FeelFunction, FeelRange, parseExpression, parseUnaryTests, SyntaxError as FeelinSyntaxError, type Warning } from 'feelin';
import { CamundaError } from '../core/errors.js';
import {
  BOUNDED_REGEX_FUNCTIONS,
  feelTextRefusal,
  ITERATION_COUNTER,
  ITERATION_COUNTER_FUNCTION,
  iterationCollections,
  withinFeelBudget,
} from '../expressions/feel-budget.js';
import { roundNumber, roundDeep } from './feel-numbers.js';

type Tree = ReturnType<typeof parseExpression>;
type SyntaxNode = Tree['topNode'];

/**
 * How this works, since feelin 8.2.0 has no compile API (its `evaluate` and `unaryTest` re-parse on every call):
 * evaluating the text `function(p1, …, pn) <expression>` once with `evaluate` returns a FeelFunction whose closure
 * holds the built execution tree; `invoke([v1, …, vn])` then runs that tree without parsing. The parameters are
 * the free variable names of the expression, read from the lezer tree of `parseExpression` (a public export).
 * The interpreter reports warnings into the array `evaluate` returned, which the closure keeps: we read it after
 * each call. `?` (the input of a unary test) is renamed to a parameter, and every arithmetic expression is wrapped
 * in a rounding function (see feel-numbers.ts). Unary tests are split with `parseUnaryTests` into their positive
 * tests, each compiled as an expression; their matching semantics live in `compileUnaryTests` below.
 */

/** Thrown at compile time for a FEEL syntax error; `position` is a 0-based offset into `text`. */
export class FeelSyntaxError extends Error {
  constructor(readonly text: string, readonly position: number, message: string) {
    super(message);
    this.name = 'FeelSyntaxError';
  }
}

/** Thrown at evaluation when feelin reports a warning or throws: a result it would give would be null or wrong. */
export class FeelEvaluationFailure extends Error {
  constructor(message: string, readonly warnings: readonly Warning[] = [], options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'FeelEvaluationFailure';
  }
}

export type FeelVariables = Readonly<Record<string, unknown>>;

export interface CompiledFeel {
  readonly text: string;
  /** Set when the expression names no variable and no `?` (a literal such as `"gold"` or `[1..5]`): its value. */
  readonly constant?: { readonly value: unknown };
  /** Evaluates against `variables`; `input` is bound to `?` (unary tests) and, when given, to `inputVariable`. */
  evaluate(variables: FeelVariables, input?: unknown, inputVariable?: string): unknown;
}

export interface CompiledUnaryTests {
  readonly text: string;
  /** True when the text is empty or `-`, so every input matches. */
  readonly matchesAll: boolean;
  test(variables: FeelVariables, input: unknown, inputVariable?: string): boolean;
}

const INPUT_PARAM = '__dmnInput';
const ROUND_FN = '__dmnRound';
const roundFunction = new FeelFunction((value: unknown) => roundNumber(value), ['value']);

let compilations = 0;

/** How many times a FEEL text was parsed and built so far; tests use it to prove evaluation never re-parses. */
export function feelCompilationCount(): number {
  return compilations;
}

/**
 * The value of a plain literal (an integer of up to 15 digits, a string without escapes, true, false), read without
 * feelin: large decision tables are mostly such cells, and parsing each with feelin dominates their deployment.
 */
function plainLiteral(text: string): { value: unknown } | undefined {
  const trimmed = text.trim();
  if (/^-?(0|[1-9]\d{0,14})$/.test(trimmed)) return { value: Number(trimmed) };
  if (/^"[^"\\]*"$/.test(trimmed)) return { value: trimmed.slice(1, -1) };
  if (trimmed === 'true' || trimmed === 'false') return { value: trimmed === 'true' };
  return undefined;
}

/** Compiles a FEEL expression; `scope` lists the variable names known at parse time (FEEL names may hold spaces). */
export function compileFeelExpression(text: string, scope: ReadonlySet<string> = new Set()): CompiledFeel {
  throwOnRefusedText(text);
  const literal = plainLiteral(text);
  if (literal && !scope.has(text.trim())) return { text, constant: literal, evaluate: () => literal.value };
  const parseContext = contextOf(scope);
  const tree = parseExpression(text, parseContext, undefined);
  throwOnSyntaxError(tree, text);
  const { names, rewritten } = analyse(tree, text, scope);
  return build(text, rewritten, names, parseContext);
}

/**
 * Compiles DMN unary tests (`-`, `not(…)`, comparisons, intervals, expressions, and tests using `?`). A test that
 * names `inputVariable` (Camunda's `camunda:inputVariable`, `cellInput` by default) is a condition like one using `?`.
 */
export function compileUnaryTests(text: string, scope: ReadonlySet<string> = new Set(), inputVariable?: string): CompiledUnaryTests {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === '-') return { text, matchesAll: true, test: () => true };
  throwOnRefusedText(text);
  const literal = plainLiteral(text);
  if (literal && !scope.has(trimmed)) return { text, matchesAll: false, test: (_variables, input) => matchesValue(literal.value, input) };
  const tree = parseUnaryTests(text, contextOf(scope), undefined);
  throwOnSyntaxError(tree, text);
  const top = tree.topNode;
  let negate = false;
  const tests: PositiveTest[] = [];
  for (let child = top.firstChild; child; child = child.nextSibling) {
    if (child.name === 'not') negate = true;
    if (child.name === 'Wildcard') return { text, matchesAll: true, test: () => true };
    if (child.name !== 'PositiveUnaryTests') continue;
    for (let test = child.firstChild; test; test = test.nextSibling) {
      if (test.name === 'PositiveUnaryTest') tests.push(compilePositiveTest(text, test.node, scope, inputVariable));
    }
  }
  return {
    text,
    matchesAll: false,
    test(variables, input, inputVariable) {
      let matched = false;
      for (const test of tests) {
        if (test(variables, input, inputVariable)) {
          matched = true;
          break;
        }
      }
      return negate ? !matched : matched;
    },
  };
}

type PositiveTest = (variables: FeelVariables, input: unknown, inputVariable?: string) => boolean;

function compilePositiveTest(text: string, node: SyntaxNode, scope: ReadonlySet<string>, inputVariable?: string): PositiveTest {
  const inner = node.firstChild;
  const source = text.slice(node.from, node.to);
  if (inner && inner.name === 'SimplePositiveUnaryTest') {
    const first = inner.firstChild;
    // `< e`, `>= e`, `= e`, `!= e` and `[a..b]` become the FEEL comparisons `? < (e)` and `? in [a..b]`.
    const isComparison = first !== null && first.name === 'CompareOp';
    const expression = isComparison
      ? `? ${text.slice(first.from, first.to)} (${text.slice(first.to, inner.to)})`
      : `? in ${source}`;
    const compiled = compileFeelExpression(expression, scope);
    const general: PositiveTest = (variables, input, inputVariable) => compiled.evaluate(variables, input, inputVariable) === true;
    if (isComparison) {
      const endpoint = compileFeelExpression(text.slice(first.to, inner.to), scope).constant;
      return endpoint ? fastComparison(text.slice(first.from, first.to), endpoint.value, general) : general;
    }
    const range = compileFeelExpression(source, scope).constant?.value;
    return range instanceof FeelRange ? fastRange(range, general) : general;
  }
  const compiled = compileFeelExpression(source, scope);
  if (compiled.constant) {
    const expected = compiled.constant.value;
    return (_variables, input) => matchesValue(expected, input);
  }
  if (usesInput(node, text, inputVariable)) {
    // A test using `?` (or the input variable) is a boolean condition on the input.
    return (variables, input, inputVariable) => compiled.evaluate(variables, input, inputVariable) === true;
  }
  // Any other expression is compared with the input: membership for a list or range, equality otherwise. A boolean
  // expression is compared too (DMN 1.3 §10.3.2.9.2), rather than taken as the outcome of the test.
  return (variables, input, inputVariable) => matchesValue(compiled.evaluate(variables, input, inputVariable), input);
}

/**
 * Number against number and string against string compare in JS exactly as FEEL does; anything else (temporals,
 * mixed types, null) goes through feelin.
 */
function fastComparison(operator: string, endpoint: unknown, general: PositiveTest): PositiveTest {
  const kind = typeof endpoint;
  if (kind !== 'number' && kind !== 'string') return general;
  const compare = COMPARATORS[operator];
  if (!compare) return general;
  const bound = endpoint as number | string;
  return (variables, input, inputVariable) => (typeof input === kind ? compare(input as number | string, bound) : general(variables, input, inputVariable));
}

const COMPARATORS: Record<string, (a: number | string, b: number | string) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '=': (a, b) => a === b,
  '!=': (a, b) => a !== b,
};

/** A literal interval of numbers (`[18..30)`) checks a number input in JS; other inputs go through feelin. */
function fastRange(range: FeelRange, general: PositiveTest): PositiveTest {
  const { start, end } = range;
  if ((start !== null && typeof start !== 'number') || (end !== null && typeof end !== 'number') || (start === null && end === null)) return general;
  const startIncluded = range['start included'];
  const endIncluded = range['end included'];
  return (variables, input, inputVariable) => {
    if (typeof input !== 'number') return general(variables, input, inputVariable);
    if (start !== null && (startIncluded ? input < start : input <= start)) return false;
    if (end !== null && (endIncluded ? input > end : input >= end)) return false;
    return true;
  };
}

function matchesValue(expected: unknown, input: unknown): boolean {
  if (expected instanceof FeelRange) return expected.includes(input) === true;
  if (Array.isArray(expected)) return expected.some((item) => matchesValue(item, input));
  return feelEquals(expected, input);
}

let equalsFunction: CompiledFeel | undefined;

/** FEEL `=`: numbers, strings and booleans directly; temporals, lists and contexts through feelin's equality. */
export function feelEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  const type = typeof a;
  if (type === 'number' || type === 'string' || type === 'boolean') return false;
  try {
    equalsFunction ??= compileFeelExpression('a = b');
    return equalsFunction.evaluate({ a, b }) === true;
  } catch {
    return false;
  }
}

function usesInput(node: SyntaxNode, text: string, inputVariable?: string): boolean {
  let found = false;
  node.toTree().iterate({
    enter(ref) {
      if (ref.name === '?') found = true;
      if (ref.name === 'VariableName' && inputVariable !== undefined) {
        found = text.slice(node.from + ref.from, node.from + ref.to).replace(/\s+/g, ' ') === inputVariable;
      }
      return !found;
    },
  });
  return found;
}

function contextOf(scope: ReadonlySet<string>): Record<string, null> {
  const context: Record<string, null> = {};
  for (const name of scope) context[name] = null;
  return context;
}

/** Refused before parsing: feelin's parser and interpreter take time and stack beyond these bounds. */
function throwOnRefusedText(text: string): void {
  const refusal = feelTextRefusal(text);
  if (refusal !== null) {
    throw new FeelSyntaxError(text, refusal.position, `FEEL syntax error in '${text}': ${refusal.reason} at position ${refusal.position}`);
  }
}

function throwOnSyntaxError(tree: Tree, text: string): void {
  let error: { from: number; to: number } | undefined;
  tree.iterate({
    enter(ref) {
      if (error) return false;
      if (ref.type.isError) error = { from: ref.from, to: ref.to };
      return undefined;
    },
  });
  if (!error) return;
  const message = error.from === error.to || error.from >= text.length
    ? `incomplete expression at position ${error.from}`
    : `unexpected '${text.slice(error.from, error.to)}' at position ${error.from}`;
  throw new FeelSyntaxError(text, error.from, `FEEL syntax error in '${text}': ${message}`);
}

interface Insertion {
  at: number;
  text: string;
  /** Order among insertions at the same offset: closing parentheses of inner nodes first, then openings of outer. */
  rank: number;
}

interface Variable {
  /** The FEEL name, as the caller's variables key it. */
  readonly name: string;
  /** The parameter it is passed as: the name itself, or a generated one for names no parameter list accepts. */
  readonly parameter: string;
}

/** Names that can be a parameter as they are; others (`Date and Time`, `Date-Time2`) are passed under generated names. */
const PLAIN_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Collects the free variable names and rewrites `?`, arithmetic and unusual names for the function body. */
function analyse(tree: Tree, text: string, scope: ReadonlySet<string>): { names: Variable[]; rewritten: string } {
  const names = new Map<string, Variable>();
  const insertions: Insertion[] = [];
  const replacements: Array<{ from: number; to: number }> = [];
  tree.iterate({
    enter(ref) {
      if (ref.name === 'VariableName') {
        const name = text.slice(ref.from, ref.to).replace(/\s+/g, ' ');
        // A multi-word name unknown to the scope can only be a built-in (`string length`): it is no parameter.
        if (name.includes(' ') && !scope.has(name)) return undefined;
        // Nor is the name of a bounded regex built-in: the closure's context supplies it.
        if (!scope.has(name) && Object.hasOwn(BOUNDED_REGEX_FUNCTIONS, name)) return false;
        let variable = names.get(name);
        if (!variable) {
          variable = { name, parameter: PLAIN_NAME.test(name) ? name : `__dmnVar${names.size}` };
          names.set(name, variable);
        }
        if (variable.parameter !== name) insertions.push({ at: ref.from, text: variable.parameter, rank: 2_000_000 + ref.to - ref.from });
        return false;
      } else if (ref.name === '?') {
        replacements.push({ from: ref.from, to: ref.to });
      } else if (ref.name === 'ArithmeticExpression') {
        const span = ref.to - ref.from;
        insertions.push({ at: ref.from, text: `${ROUND_FN}(`, rank: 1_000_000 - span });
        insertions.push({ at: ref.to, text: ')', rank: span - 2_000_000 });
      }
      return undefined;
    },
  });
  // Iteration collections are counted against the evaluation's step budget (see feel-budget.ts).
  for (const { from, to } of iterationCollections(tree)) {
    const span = to - from;
    insertions.push({ at: from, text: `${ITERATION_COUNTER}(`, rank: 1_000_000 - span });
    insertions.push({ at: to, text: ')', rank: span - 2_000_000 });
  }
  for (const { from, to } of replacements) {
    // After any opening at the same offset, so the `?` it replaces is skipped exactly once.
    insertions.push({ at: from, text: INPUT_PARAM, rank: 2_000_000 + to - from });
  }
  insertions.sort((a, b) => a.at - b.at || a.rank - b.rank);
  let rewritten = '';
  let cursor = 0;
  for (const insertion of insertions) {
    rewritten += text.slice(cursor, Math.max(cursor, insertion.at)) + insertion.text;
    cursor = Math.max(cursor, insertion.at);
    // A replacement's rank encodes the length of the replaced text.
    if (insertion.rank >= 2_000_000) cursor += insertion.rank - 2_000_000;
  }
  rewritten += text.slice(cursor);
  return { names: [...names.values()], rewritten };
}

function build(text: string, body: string, variables: readonly Variable[], parseContext: Record<string, null>): CompiledFeel {
  compilations += 1;
  const parameters = [INPUT_PARAM, ...variables.map((v) => v.parameter)];
  const names = variables.map((v) => v.name);
  let fn: FeelFunction;
  let warnings: Warning[];
  try {
    // The scope's names go in the context too: the body must be parsed as the expression was (`Date-Time2` is a name).
    const compiled = evaluate(`function(${parameters.join(', ')}) ${body}`, { ...BOUNDED_REGEX_FUNCTIONS, ...parseContext, [ROUND_FN]: roundFunction, [ITERATION_COUNTER]: ITERATION_COUNTER_FUNCTION });
    if (!(compiled.value instanceof FeelFunction)) throw new Error(`feelin returned no function for '${text}'`);
    fn = compiled.value;
    warnings = compiled.warnings;
  } catch (thrown) {
    if (thrown instanceof FeelinSyntaxError) throw new FeelSyntaxError(text, 0, `FEEL syntax error in '${text}': ${thrown.message}`);
    // feelin folds some literals while building (e.g. `date("-0001-01-01")` throws "not implemented"): an
    // evaluation error of this expression, not a parse error of the model.
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    return {
      text,
      evaluate() {
        throw new FeelEvaluationFailure(`FEEL expression '${text}' failed: ${message}`, [], { cause: thrown });
      },
    };
  }
  const compiled: CompiledFeel = {
    text,
    evaluate(variables, input = null, inputVariable) {
      const args: unknown[] = [input];
      for (const name of names) args.push(name === inputVariable ? input : lookup(variables, name));
      const start = warnings.length;
      let value: unknown;
      try {
        value = withinFeelBudget(() => fn.invoke(args));
      } catch (thrown) {
        warnings.length = start;
        // A failing decision or BKM invoked from this expression already carries its own, more precise message.
        if (thrown instanceof CamundaError) throw thrown;
        const message = thrown instanceof Error ? thrown.message : String(thrown);
        throw new FeelEvaluationFailure(`FEEL expression '${text}' failed: ${message}`, [], { cause: thrown });
      }
      if (warnings.length > start) {
        const raised = warnings.splice(start).filter(isFailure);
        if (raised.length === 0) return value === undefined ? null : roundDeep(value);
        throw new FeelEvaluationFailure(`FEEL expression '${text}' failed: ${raised.map((w) => w.message).join('; ')}`, raised);
      }
      return value === undefined ? null : roundDeep(value);
    },
  };
  if (names.length > 0 || body.includes(INPUT_PARAM)) return compiled;
  // Literals are evaluated once: unary tests like `"gold"` or `< 1000000` then compare without calling feelin.
  try {
    return { ...compiled, constant: { value: compiled.evaluate({}) } };
  } catch {
    return compiled;
  }
}

const MISSING_NAME_WARNINGS = new Set(['NO_VARIABLE_FOUND', 'NO_CONTEXT_ENTRY_FOUND', 'NO_PROPERTY_FOUND']);

/**
 * Whether a warning means a wrong or missing result. FEEL defines arithmetic and comparisons with a null operand
 * (`10 + null`, `null < 5`) to be null: feelin warns about them, but the null is the specified answer. A variable
 * or context entry that does not exist is null too, as in the FEEL-Scala engine (1.17+) of Camunda 7.21+ (a missing
 * input then matches `-` and `null` entries and no others, instead of failing the evaluation).
 */
function isFailure(warning: Warning): boolean {
  if (MISSING_NAME_WARNINGS.has(warning.type)) return false;
  if (warning.type !== 'INVALID_TYPE' && warning.type !== 'NOT_COMPARABLE') return true;
  return !Object.values(warning.details?.values ?? {}).some((value) => value === null);
}

/** Looks a name up as feelin does: exact key first, then ignoring differences in whitespace. */
function lookup(variables: FeelVariables, name: string): unknown {
  const value = variables[name];
  if (value !== undefined || !name.includes(' ')) return value;
  for (const key of Object.keys(variables)) {
    if (key.replace(/\s+/g, ' ') === name) return variables[key];
  }
  return undefined;
}
