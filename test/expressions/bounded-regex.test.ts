/** Regular expressions from models never backtrack exponentially: JUEL's matches/split and the patterns behind them. */
import { expect } from 'chai';
import { compileBoundedRegex, RegexBudgetError } from '../../src/expressions/bounded-regex.js';
import { compileExpression, ExpressionError } from '../../src/expressions/index.js';
import { contextOf } from './context-fixture.js';

/** The backtracking engine needs over 4 s for 26 characters on `(a+)+b`, and each one more doubles it: minutes here. */
const HOSTILE_INPUT = 'a'.repeat(32);

describe('expressions/bounded-regex', () => {
  it('should answer a catastrophic pattern in JUEL matches() instead of stalling', () => {
    // given a pattern with nested repetition that never matches
    const expression = compileExpression("${s.matches('(a+)+b')}");
    // when / then
    expect(expression.evaluate(contextOf({ s: HOSTILE_INPUT }))).to.equal(false);
    expect(expression.evaluate(contextOf({ s: 'aaab' }))).to.equal(true);
  });

  it('should split by a catastrophic pattern in JUEL split() instead of stalling', () => {
    const expression = compileExpression("${s.split('(a+)+b')}");
    expect(expression.evaluate(contextOf({ s: `${HOSTILE_INPUT}c` }))).to.deep.equal([`${HOSTILE_INPUT}c`]);
    expect(expression.evaluate(contextOf({ s: 'xaabyab' }))).to.deep.equal(['x', 'y']);
  });

  it('should refuse, as an ExpressionError, a backreference combined with nested repetition', () => {
    const expression = compileExpression("${s.matches('(a+)+\\\\1b')}");
    expect(() => expression.evaluate(contextOf({ s: HOSTILE_INPUT })))
      .to.throw(ExpressionError)
      .with.property('message')
      .that.equals(
        "Error while evaluating expression: ${s.matches('(a+)+\\\\1b')}. Cause: Regular expression '^(?:(a+)+\\1b)$' refused: " +
          'a repeated group holding a quantifier or an alternation cannot be combined with backreferences, lookaround or case-insensitive matching, as it may backtrack exponentially',
      );
  });

  it('should still run backreferences, lookaround and case-insensitive patterns without nested repetition', () => {
    expect(compileBoundedRegex('^(ab)\\1$').test('abab')).to.equal(true);
    expect(compileBoundedRegex('a(?=b)').test('ab')).to.equal(true);
    expect(compileBoundedRegex('^[a-z]+$', 'i').test('ABC')).to.equal(true);
  });

  it('should refuse ambiguous repetition where the linear-time engine cannot run the pattern', () => {
    for (const [pattern, flags] of [['(a|a)*b', 'i'], ['(a*)*\\1', ''], ['(?=x)(a{1,3})+', ''], ['(a?)+b', 'i']]) {
      expect(() => compileBoundedRegex(pattern, flags), pattern).to.throw(RegexBudgetError);
    }
  });

  it('should keep reporting invalid patterns as syntax errors', () => {
    expect(() => compileBoundedRegex('(a')).to.throw(SyntaxError);
  });
});
