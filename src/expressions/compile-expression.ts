/** Compiles expression texts once and evaluates them, including the boolean contract of sequence-flow conditions. */
import type { ExpressionContext } from './expression-context.js';
import { ExpressionError } from './expression-error.js';
import { describe, typeName } from './juel-coercions.js';
import { checkFunctions, evaluateTemplate } from './juel-evaluator.js';
import { parseJuel } from './juel-parser.js';

export interface CompiledExpression {
  readonly source: string;
  /** True when the text holds no `${…}`/`#{…}` part, so evaluating it always yields the same string. */
  readonly isLiteral: boolean;
  evaluate(ctx: ExpressionContext): unknown;
}

/** Bounds the cache so generated texts cannot grow it without limit; deployed models stay far below this. */
const CACHE_LIMIT = 10_000;
const cache = new Map<string, CompiledExpression>();

/** Parses and checks `text`, or returns the cached compilation; throws ExpressionError on syntax errors. */
export function compileExpression(text: string): CompiledExpression {
  const cached = cache.get(text);
  if (cached !== undefined) return cached;
  const template = parseJuel(text);
  checkFunctions(template);
  const isLiteral = template.parts.every((part) => part.kind === 'text');
  const literalText = template.parts.map((part) => (part.kind === 'text' ? part.text : '')).join('');
  const compiled: CompiledExpression = Object.freeze({
    source: text,
    isLiteral,
    evaluate: isLiteral ? () => literalText : (ctx: ExpressionContext) => evaluateTemplate(template, ctx),
  });
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(text, compiled);
  return compiled;
}

export function isExpression(text: string): boolean {
  return text.includes('${') || text.includes('#{');
}

/** Evaluates a condition that must be boolean; 'true'/'false' strings are accepted, as EL would coerce them. */
export function evaluateCondition(text: string, ctx: ExpressionContext): boolean {
  const value = compileExpression(text).evaluate(ctx);
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  if (value === null || value === undefined) throw new ExpressionError(text, `Condition expression returns null: ${text}`);
  throw new ExpressionError(
    text,
    `Condition expression returns non-Boolean: ${text} evaluated to '${describe(value)}' of ${typeName(value)}`,
  );
}
