/** Compiles the expressions of a DMN resource, collecting every problem with its element and line. */
import { systemClock } from '../core/clock.js';
import type { ParseProblem } from '../core/parse-problem.js';
import { idPositions, scanStartTags, type SourcePosition } from '../core/xml-start-tags.js';
import { compileExpression as compileJuel, compileJavaScript, ExpressionError, isJavaScriptLanguage, sharedJavaScriptGlobals, type ExpressionContext, type JavaScriptGlobals } from '../expressions/index.js';
import { DecisionEvaluationError } from './decision-evaluation-error.js';
import { asJuelExpression, chooseLanguage, type ExpressionLanguage } from './expression-language.js';
import { compileFeelExpression, compileUnaryTests, FeelSyntaxError, type FeelVariables } from './feel-compiler.js';
import { describeValue, fromFeelValue, toFeelValue } from './feel-values.js';

export type { ParseProblem };

/** Where an expression sits, for messages: the decision (or BKM) key and a readable path to the expression. */
export interface Location {
  readonly decisionKey: string;
  /** E.g. `decision 'dish' (rule 2 'rule-2', input 'Season')`. */
  readonly description: string;
  readonly elementId: string | null;
}

export type Evaluator = (variables: FeelVariables, inputs: Readonly<Record<string, unknown>>) => unknown;
export type Tester = (variables: FeelVariables, inputs: Readonly<Record<string, unknown>>, input: unknown) => boolean;

const DEFAULT_INPUT_VARIABLE = 'cellInput';
/** How long compiling runs before `finish` lets the event loop answer other requests. */
const SLICE_MS = 10;

export class DmnCompiler {
  readonly problems: ParseProblem[] = [];
  /** Why a decision or knowledge model (by id) cannot be evaluated; the rest of the resource still deploys. */
  readonly unsupported = new Map<string, string[]>();
  /** The `expressionLanguage` of the `definitions` element, the default of every expression in the resource. */
  definitionsLanguage: string | undefined;
  /** Where each element's start tag begins, read the first time a problem needs it. */
  private positions: Map<string, SourcePosition> | undefined;
  /** Work put off by `later`, run in order by `finish`. */
  private readonly deferred: Array<() => void> = [];

  /** `javascript`: run JavaScript expressions in node:vm (JAVASCRIPT_SCRIPTS=true), else refuse their decisions. */
  constructor(private readonly xml: string, private readonly javascript = false) {}

  /**
   * Records that `where.decisionKey` uses something this engine cannot evaluate; `reason` starts with the place
   * (`decision 'a' (input 1 'X') uses …`). The decision still deploys, and refuses every evaluation with the reason.
   */
  unsupportedConstruct(where: Location, reason: string): void {
    const reasons = this.unsupported.get(where.decisionKey) ?? [];
    reasons.push(reason);
    this.unsupported.set(where.decisionKey, reasons);
  }

  /**
   * Compiles each item later, in order, when `finish` runs: a table of 30,000 rules then compiles in slices between
   * which the event loop answers other requests.
   */
  later<T>(items: readonly T[], compile: (item: T, index: number) => void): void {
    items.forEach((item, index) => this.deferred.push(() => compile(item, index)));
  }

  /** Runs the work put off by `later`, yielding to the event loop every few milliseconds. */
  async finish(): Promise<void> {
    let sliceStart = performance.now();
    for (let i = 0; i < this.deferred.length; i++) {
      this.deferred[i]();
      if (performance.now() - sliceStart > SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
    this.deferred.length = 0;
  }

  /** Records a problem at the start tag of the element, when the XML has it. */
  problem(message: string, elementId: string | null): void {
    const { line, column } = this.positionOf(elementId);
    this.problems.push({ message, line, column, mainElementId: elementId, elementIds: elementId ? [elementId] : [] });
  }

  /** Compiles an expression in FEEL, JUEL or enabled JavaScript; a syntax error becomes a problem and an evaluator that throws. */
  expression(text: string, language: string | undefined, scope: ReadonlySet<string>, where: Location): Evaluator {
    // Camunda never evaluates an empty expression (in any language): its value is null.
    if (text.trim() === '') return () => null;
    const kind = this.language(language, text, where);
    if (kind === null) return () => null;
    try {
      if (kind === 'juel') {
        const compiled = compileJuel(asJuelExpression(text));
        return (variables) => runJuel(where, () => compiled.evaluate(juelContext(variables)));
      }
      if (kind === 'javascript') {
        const compiled = compileJavaScript(text, where.description);
        return (variables) => toFeelValue(run(where, () => compiled(javaScriptGlobals(variables))));
      }
      const compiled = compileFeelExpression(text, scope);
      return (variables) => {
        try {
          return compiled.evaluate(variables);
        } catch (error) {
          throw wrap(where, error);
        }
      };
    } catch (error) {
      return this.syntaxProblem(error, where);
    }
  }

  /** Compiles an input entry; `inputVariable` is Camunda's `camunda:inputVariable` (`cellInput` by default). */
  unaryTests(text: string, language: string | undefined, scope: ReadonlySet<string>, inputVariable: string | undefined, where: Location): Tester | null {
    // An empty input entry matches every input, in any language.
    if (text.trim() === '') return null;
    const variable = inputVariable || DEFAULT_INPUT_VARIABLE;
    const kind = this.language(language, text, where);
    if (kind === null) return null;
    try {
      if (kind === 'juel') {
        // Camunda evaluates a JUEL input entry as a condition with the input bound to the input variable.
        const compiled = compileJuel(asJuelExpression(text));
        return (variables, _inputs, input) => {
          const value = runJuel(where, () => compiled.evaluate(juelContext(variables, variable, input)));
          if (typeof value === 'boolean') return value;
          throw fail(where, `JUEL input entry '${text}' returned '${describeValue(value)}' instead of a boolean`);
        };
      }
      if (kind === 'javascript') {
        const compiled = compileJavaScript(text, where.description);
        return (variables, _inputs, input) => {
          const globals = javaScriptGlobals(variables);
          globals[variable] = fromFeelValue(input);
          const value = run(where, () => compiled(globals));
          if (typeof value === 'boolean') return value;
          throw fail(where, `JavaScript input entry '${text}' returned '${describeValue(value)}' instead of a boolean`);
        };
      }
      const compiled = compileUnaryTests(text, new Set([...scope, variable]), variable);
      if (compiled.matchesAll) return null;
      return (variables, _inputs, input) => {
        try {
          return compiled.test(variables, input, variable);
        } catch (error) {
          throw wrap(where, error);
        }
      };
    } catch (error) {
      this.syntaxProblem(error, where);
      return null;
    }
  }

  /** The expression's language, or null (recorded as unsupported for its decision) for a language that cannot run here. */
  private language(language: string | undefined, text: string, where: Location): ExpressionLanguage | 'javascript' | null {
    const choice = chooseLanguage(language, this.definitionsLanguage, text);
    if ('language' in choice) return choice.language;
    if (isJavaScriptLanguage(choice.unsupported)) {
      if (this.javascript) return 'javascript';
      this.unsupportedConstruct(where, `${where.description} uses expression language '${choice.unsupported}', which is disabled (set JAVASCRIPT_SCRIPTS=true for trusted deployments)`);
      return null;
    }
    this.unsupportedConstruct(where, `${where.description} uses expression language '${choice.unsupported}', which this engine cannot run (only FEEL, JUEL and enabled JavaScript)`);
    return null;
  }

  private syntaxProblem(error: unknown, where: Location): Evaluator {
    if (!(error instanceof FeelSyntaxError) && !(error instanceof ExpressionError)) throw error;
    this.problem(`${where.description}: ${error.message}`, where.elementId);
    return () => {
      throw fail(where, error.message);
    };
  }

  private positionOf(elementId: string | null): SourcePosition {
    this.positions ??= idPositions(scanStartTags(this.xml));
    return (elementId ? this.positions.get(elementId) : undefined) ?? { line: 0, column: 0 };
  }
}

/** A DecisionEvaluationError for `where`: "<description>: <message>". */
export function fail(where: Location, message: string, cause?: unknown): DecisionEvaluationError {
  return new DecisionEvaluationError(where.decisionKey, `${capitalize(where.description)}: ${message}`, cause === undefined ? {} : { cause });
}

/** The error of evaluating a decision that uses what this engine cannot evaluate (see `unsupportedConstruct`). */
export function unsupportedError(decisionKey: string, reasons: readonly string[]): DecisionEvaluationError {
  return new DecisionEvaluationError(decisionKey, capitalize(reasons.join('; ')));
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function wrap(where: Location, error: unknown): DecisionEvaluationError {
  if (error instanceof DecisionEvaluationError) return error;
  return fail(where, error instanceof Error ? error.message : String(error), error);
}

function run<T>(where: Location, body: () => T): T {
  try {
    return body();
  } catch (error) {
    throw wrap(where, error);
  }
}

function runJuel(where: Location, body: () => unknown): unknown {
  return run(where, body);
}

/** The decision's variables as JavaScript globals (plain values, dates as `Date`, as JUEL sees them), one context for every expression of this evaluation. */
function javaScriptGlobals(variables: FeelVariables): JavaScriptGlobals {
  return sharedJavaScriptGlobals(variables, () => {
    const globals: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(variables)) globals[name] = fromFeelValue(value);
    return globals;
  });
}

/** JUEL sees plain JS values (dates as `Date`), the variables of the decision plus the input variable of a column. */
function juelContext(variables: FeelVariables, inputVariable?: string, input?: unknown): ExpressionContext {
  return {
    clock: systemClock,
    resolve(name) {
      if (inputVariable !== undefined && name === inputVariable) return { found: true, value: fromFeelValue(input) };
      if (!Object.prototype.hasOwnProperty.call(variables, name)) return { found: false };
      return { found: true, value: fromFeelValue(variables[name]) };
    },
  };
}
