/** Specifies FEEL evaluation through feelin and its mapping onto ExpressionError. */
import { expect } from 'chai';
import { ExpressionError, evaluateFeel, evaluateFeelCondition } from '../../src/expressions/index.js';

describe('feel-adapter', () => {
  it('should evaluate a FEEL comparison against the variables', () => {
    expect(evaluateFeel('amount > 1000', { amount: 1500 })).to.equal(true);
    expect(evaluateFeel('amount > 1000', { amount: 10 })).to.equal(false);
  });

  it('should evaluate arithmetic, strings and context access', () => {
    expect(evaluateFeel('a + b * 2', { a: 1, b: 3 })).to.equal(7);
    expect(evaluateFeel('customer.tier = "gold"', { customer: { tier: 'gold' } })).to.equal(true);
    expect(evaluateFeel('upper case(name)', { name: 'ann' })).to.equal('ANN');
  });

  it('should yield null for an unknown variable instead of failing', () => {
    expect(evaluateFeel('amount > 1000', {})).to.equal(null);
  });

  it('should raise an ExpressionError with position for a syntax error', () => {
    expect(() => evaluateFeel('1 +', {}))
      .to.throw(ExpressionError)
      .that.satisfies((error: ExpressionError) => error.expression === '1 +' && error.position === 3);
  });

  it('should treat a null condition as false', () => {
    expect(evaluateFeelCondition('amount > 1000', {})).to.equal(false);
    expect(evaluateFeelCondition('amount > 1000', { amount: 1001 })).to.equal(true);
  });

  it('should reject a condition that is not boolean', () => {
    expect(() => evaluateFeelCondition('amount', { amount: 3 })).to.throw(ExpressionError, /non-Boolean/);
  });
});
