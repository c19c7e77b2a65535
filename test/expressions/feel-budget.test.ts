/** Bounds on one FEEL evaluation: nesting depth, steps (ranges, function calls) and the regex built-ins. */
import { expect } from 'chai';
import { evaluateFeel, ExpressionError } from '../../src/expressions/index.js';
import { FEEL_STEP_BUDGET, MAX_FEEL_LENGTH, MAX_FEEL_NESTING } from '../../src/expressions/feel-budget.js';

function budgetErrorOf(expression: string, variables: Record<string, unknown> = {}): ExpressionError {
  try {
    evaluateFeel(expression, variables);
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error(`'${expression}' was evaluated`);
}

describe('expressions/feel-budget', () => {
  it('should fail a FEEL evaluation that iterates beyond the step budget', () => {
    const error = budgetErrorOf('count(for i in 1..3000000 return i)');
    expect(error.message).to.equal(
      `Error while evaluating FEEL expression 'count(for i in 1..3000000 return i)': FEEL evaluation exceeded its budget of ${FEEL_STEP_BUDGET} steps (iterated elements and function calls)`,
    );
  });

  it('should stop a range that never reaches its end and runaway recursion', () => {
    expect(budgetErrorOf('for i in 1.5..3 return i').message).to.include('exceeded its budget');
    expect(budgetErrorOf('{f: function(n) if n = 0 then 0 else f(n - 1) + f(n - 1), r: f(40)}.r').message).to.include('exceeded its budget');
  });

  it('should count nested iterations over list variables, whose cartesian product feelin builds at once', () => {
    // given a list of a thousand elements: three nested iterations would build a billion contexts
    const list = Array.from({ length: 1000 }, (_, i) => i);
    expect(budgetErrorOf('count(for a in l, b in l, c in l return 0)', { l: list }).message).to.include('exceeded its budget');
    expect(budgetErrorOf('some a in l, b in l, c in l satisfies a + b + c < 0', { l: list }).message).to.include('exceeded its budget');
    // and iterations within the budget keep their results
    expect(evaluateFeel('for a in (for b in l return b * 2) return a + 1', { l: [1, 2, 3] })).to.deep.equal([3, 5, 7]);
    expect(evaluateFeel('for i in 0..4 return if i = 0 then 1 else i * partial[-1]', {})).to.deep.equal([1, 1, 2, 6, 24]);
    expect(evaluateFeel('every x in l satisfies x > 0', { l: [1, 2, 3] })).to.equal(true);
  });

  it('should give every evaluation a fresh budget and leave ordinary iteration alone', () => {
    for (let run = 0; run < 3; run++) expect(evaluateFeel('sum(for i in 1..10000 return i)', {})).to.equal(50005000);
  });

  it('should refuse nesting deeper than the limit as a syntax error, before parsing', () => {
    const expression = `${'('.repeat(1000)}1${')'.repeat(1000)}`;
    const error = budgetErrorOf(expression);
    expect(error.position).to.equal(MAX_FEEL_NESTING);
    expect(error.message).to.match(/^Syntax error in FEEL expression '\(+1\)+' at position 200: nesting deeper than 200 levels$/);
    expect(evaluateFeel(`${'('.repeat(MAX_FEEL_NESTING)}1${')'.repeat(MAX_FEEL_NESTING)}`, {})).to.equal(1);
    expect(evaluateFeel('string length("((((((")', {})).to.equal(6);
  });

  it('should refuse a text longer than the limit as a syntax error, before parsing', () => {
    // a run of short words, which feelin tries to read as one name with spaces, took minutes at 120,000 characters
    const error = budgetErrorOf('a b c '.repeat(20_000));
    expect(error.position).to.equal(MAX_FEEL_LENGTH);
    expect(error.message).to.match(/' at position 10000: longer than 10000 characters$/);
    expect(evaluateFeel(`count([${Array(1900).fill('1234').join(',')}])`, {})).to.equal(1900);
  });

  it('should answer matches() with a catastrophic pattern instead of stalling', () => {
    expect(evaluateFeel('matches(s, "(a+)+b")', { s: 'a'.repeat(26) })).to.equal(false);
    expect(evaluateFeel('matches(s, "^A+B$", "i")', { s: 'aab' })).to.equal(true);
    expect(budgetErrorOf('matches(s, "(a+)+b", "i")', { s: 'a'.repeat(26) }).message).to.include("Regular expression '(a+)+b' refused");
  });

  it('should keep replace() and split() as FEEL defines them', () => {
    expect(evaluateFeel('replace("abcd", "(ab)|(a)", "[1=$1][2=$2]")', {})).to.equal('[1=ab][2=]cd');
    expect(evaluateFeel('replace("abc", "b", "[$0]")', {})).to.equal('a[b]c');
    expect(evaluateFeel('replace("AbA", "a", "x", "i")', {})).to.equal('xbx');
    expect(evaluateFeel('split("John Doe", "\\\\s")', {})).to.deep.equal(['John', 'Doe']);
    expect(evaluateFeel('matches(null, "a")', {})).to.equal(null);
  });

  it('should let a variable named like a regex built-in shadow it, as feelin does', () => {
    expect(evaluateFeel('split', { split: 'mine' })).to.equal('mine');
  });
});
