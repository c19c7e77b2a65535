/** Public entry point of the expression language support: JUEL for `${…}`/`#{…}` texts, FEEL via feelin, enabled JavaScript. */
export type { ExecutionShim, ExpressionContext, ResolveResult } from './expression-context.js';
export { ExpressionError } from './expression-error.js';
export { compileExpression, evaluateCondition, isExpression, type CompiledExpression } from './compile-expression.js';
export { evaluateFeel, evaluateFeelCondition } from './feel-adapter.js';
export { JodaDateTime } from './juel-builtins.js';
export { SpinJsonNode, toPlainJson } from './spin-json-node.js';
export { EL_METHODS, type Arity, type ElObject } from './el-object.js';
export { compileJavaScript, isJavaScriptLanguage, sharedJavaScriptGlobals, type JavaScriptGlobals } from './javascript.js';
