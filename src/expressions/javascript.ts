/** Compiles JavaScript once and runs it in node:vm, for scripts and DMN expressions the operator enabled. */
import vm from 'node:vm';
import { ExpressionError } from './expression-error.js';

const JAVASCRIPT_NAMES = new Set(['javascript', 'js', 'ecmascript']);
/** A runaway script (an endless loop) fails instead of blocking the node. */
const TIMEOUT_MS = 1000;

/** Whether a script format or expression language names JavaScript (Camunda accepts these JSR-223 names). */
export function isJavaScriptLanguage(name: string | undefined): boolean {
  return JAVASCRIPT_NAMES.has((name ?? '').toLowerCase());
}

/**
 * Compiles `source` (throws an ExpressionError for a syntax error); the result runs it with `bindings` as its
 * globals and returns the value of its last statement. node:vm is no sandbox: only for trusted deployments.
 */
export function compileJavaScript(source: string, filename: string): (bindings: Record<string, unknown> | JavaScriptGlobals) => unknown {
  let script: vm.Script;
  try {
    script = new vm.Script(source, { filename });
  } catch (error) {
    throw new ExpressionError(source, `JavaScript syntax error in '${source}': ${(error as Error).message}`, { cause: error });
  }
  return (bindings) => script.runInContext(vm.isContext(bindings) ? bindings : vm.createContext({ ...bindings }), { timeout: TIMEOUT_MS });
}

/** Globals that several scripts share; a script may change them (set an input variable before each run). */
export type JavaScriptGlobals = vm.Context;

const sharedGlobals = new WeakMap<object, JavaScriptGlobals>();

/**
 * The globals every script run for `owner` shares (the expressions of one DMN evaluation, keyed by its variables):
 * creating a vm context costs far more than running a short script, and a table tests one cell per rule.
 */
export function sharedJavaScriptGlobals(owner: object, globals: () => Record<string, unknown>): JavaScriptGlobals {
  let context = sharedGlobals.get(owner);
  if (context === undefined) {
    context = vm.createContext(globals());
    sharedGlobals.set(owner, context);
  }
  return context;
}
