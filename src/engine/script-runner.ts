/** Runs the script languages a diagram may use: FEEL always, JavaScript only when the operator enabled it. */
import { ProcessEngineError } from '../core/errors.js';
import { compileJavaScript, evaluateFeel, isJavaScriptLanguage } from '../expressions/index.js';

export interface ScriptOptions {
  /** node:vm is no sandbox: only for trusted deployments (JAVASCRIPT_SCRIPTS=true). */
  javascript: boolean;
}

export interface ScriptBindings {
  variables: Record<string, unknown>;
  /** Camunda's `execution` object, for JavaScript scripts. */
  execution: unknown;
}

export function isFeel(format: string | undefined): boolean {
  return (format ?? '').toLowerCase() === 'feel';
}

export function isJavaScript(format: string | undefined): boolean {
  return isJavaScriptLanguage(format);
}

/** Evaluates a script and returns its value (FEEL: the expression's value; JavaScript: the last statement's value). */
export function runScript(format: string | undefined, source: string, bindings: ScriptBindings, options: ScriptOptions, where: string): unknown {
  if (isFeel(format)) return evaluateFeel(source, bindings.variables);
  if (isJavaScript(format)) {
    if (!options.javascript) throw new ProcessEngineError(`${where}: JavaScript scripts are disabled (set JAVASCRIPT_SCRIPTS=true for trusted deployments)`);
    return compileJavaScript(source, where)({ ...bindings.variables, execution: bindings.execution });
  }
  throw new ProcessEngineError(`${where}: script format '${format ?? ''}' is not supported (use feel, or javascript when enabled)`);
}
