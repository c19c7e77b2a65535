/** The number policy: arithmetic rounded to 15 significant digits, so decimal sums come out exact. */
import { expect } from 'chai';
import { compileFeelExpression } from '../../src/dmn/feel-compiler.js';
import { roundNumber } from '../../src/dmn/feel-numbers.js';

const feel = (text: string, variables: Record<string, unknown> = {}) => compileFeelExpression(text).evaluate(variables);

describe('dmn/feel-numbers', () => {
  it('should make 0.1 + 0.2 = 0.3 true', () => {
    expect(feel('0.1 + 0.2 = 0.3')).to.equal(true);
    expect(feel('0.1 + 0.2')).to.equal(0.3);
  });

  it('should keep money sums exact', () => {
    expect(feel('19.99 * 3 + 0.03')).to.equal(60);
    expect(feel('sum([0.1, 0.2, 0.3])')).to.equal(0.6);
    expect(feel('price * quantity', { price: 1.1, quantity: 3 })).to.equal(3.3);
  });

  it('should leave integers alone, also beyond 15 digits up to 2^53', () => {
    expect(roundNumber(9007199254740991)).to.equal(9007199254740991);
    expect(feel('1234567890123 * 1000')).to.equal(1234567890123000);
  });

  it('should diverge from decimal128 where 15 digits are not enough (documented)', () => {
    expect(feel('1 / 3')).to.equal(0.333333333333333);
    expect(feel('12345678901234567890 + 1')).to.equal(12345678901234567000);
  });
});
