/** Public entry point of the expression language support: JUEL for `${…}`/`#{…}` texts, FEEL via feelin, enabled JavaScript. */
export type { ExecutionShim, ExpressionContext, ResolveResult } from './expression-context.js';
export { ExpressionError } from './expression-error.js';
export { compileExpression, evaluateCondition, isExpression, type CompiledExpression } from './compile-expression.js';
export { evaluateFeel, evaluateFeelCondition } from './feel-adapter.js';
export { compileJavaScript, isJavaScriptLanguage } from './javascript.js';
export { JodaDateTime, SpinJsonNode } from './juel-builtins.js';
