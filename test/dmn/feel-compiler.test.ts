/** The compile-once wrapper around feelin: parse counts, unary test forms, warnings as failures. */
import { expect } from 'chai';
import { compileFeelExpression, compileUnaryTests, feelCompilationCount, FeelEvaluationFailure, FeelSyntaxError } from '../../src/dmn/feel-compiler.js';

describe('dmn/feel-compiler', () => {
  it('should parse an expression once however often it is evaluated', () => {
    // given
    const before = feelCompilationCount();
    const compiled = compileFeelExpression('age >= 18 and category in ["A", "B"]');
    const afterCompile = feelCompilationCount();
    // when
    const results = [];
    for (let age = 0; age < 1000; age++) results.push(compiled.evaluate({ age, category: 'A' }));
    // then
    expect(afterCompile - before).to.equal(1);
    expect(feelCompilationCount()).to.equal(afterCompile);
    expect(results.filter(Boolean)).to.have.length(982);
  });

  it('should compile unary tests once, never per evaluation', () => {
    const before = feelCompilationCount();
    const tests = compileUnaryTests('< 5, [10..20], "x"');
    const afterCompile = feelCompilationCount();
    for (let i = 0; i < 100; i++) tests.test({}, i);
    // `< 5` and `[10..20]` as FEEL tests, plus the interval's literal for the JS fast path; `5` and `"x"` are read without feelin
    expect(afterCompile - before).to.equal(3);
    expect(feelCompilationCount()).to.equal(afterCompile);
  });

  it('should read plain literal cells (integers, strings, booleans) without parsing them, as feelin would', () => {
    // given
    const before = feelCompilationCount();

    // when
    const values = ['42', '-7', '"gold"', 'true', 'false'].map((text) => compileFeelExpression(text).evaluate({}));
    const tests = ['42', '"gold"', 'false'].map((text) => compileUnaryTests(text));

    // then
    expect(feelCompilationCount()).to.equal(before);
    expect(values).to.deep.equal([42, -7, 'gold', true, false]);
    expect(tests.map((test) => [test.test({}, 42), test.test({}, 'gold'), test.test({}, false), test.test({}, null)])).to.deep.equal([
      [true, false, false, false], [false, true, false, false], [false, false, true, false],
    ]);
    expect(compileFeelExpression('0.1').constant).to.deep.equal({ value: 0.1 });
    expect(feelCompilationCount()).to.equal(before + 1);
  });

  it('should read names with spaces known to the scope', () => {
    expect(compileFeelExpression('Monthly Income * 12', new Set(['Monthly Income'])).evaluate({ 'Monthly Income': 1000 })).to.equal(12000);
    expect(compileFeelExpression('Date and Time + 1', new Set(['Date and Time'])).evaluate({ 'Date and Time': 1 })).to.equal(2);
  });

  it('should throw a syntax error with the position', () => {
    expect(() => compileFeelExpression('1 +')).to.throw(FeelSyntaxError, "FEEL syntax error in '1 +'").with.property('position', 3);
  });

  it('should turn feelin warnings into failures instead of null', () => {
    expect(() => compileFeelExpression('a + "x"').evaluate({ a: 1 })).to.throw(FeelEvaluationFailure, 'Can\'t add \'"x"\' to \'1\'');
  });

  it('should read a missing variable or context entry as null, as the FEEL-Scala engine of Camunda 7.21+', () => {
    expect(compileFeelExpression('missing').evaluate({})).to.equal(null);
    expect(compileFeelExpression('customer.tier').evaluate({ customer: {} })).to.equal(null);
    expect(compileFeelExpression('missing = null').evaluate({})).to.equal(true);
  });

  it('should keep the null FEEL specifies for a null operand', () => {
    expect(compileFeelExpression('10 + x').evaluate({ x: null })).to.equal(null);
  });

  it('should turn a feelin exception into a failure', () => {
    expect(() => compileFeelExpression('date(x)').evaluate({ x: '-2017-01-01' })).to.throw(FeelEvaluationFailure, 'not implemented');
  });

  it('should compare a boolean expression with the input unless it uses ?', () => {
    expect(compileUnaryTests('flag').test({ flag: false }, false)).to.equal(true);
    expect(compileUnaryTests('? = false').test({}, false)).to.equal(true);
    expect(compileUnaryTests('not(true)').test({}, false)).to.equal(true);
  });

  describe('evaluation budget', () => {
    it('should fail an evaluation that iterates beyond the step budget, and the next one again from a fresh budget', () => {
      const compiled = compileFeelExpression('count(for i in 1..n return i)', new Set(['n']));
      expect(() => compiled.evaluate({ n: 3_000_000 })).to.throw(FeelEvaluationFailure, "FEEL expression 'count(for i in 1..n return i)' failed: FEEL evaluation exceeded its budget of 100000 steps");
      expect(compiled.evaluate({ n: 1000 })).to.equal(1000);
    });

    it('should count nested iterations over list variables against the budget', () => {
      const compiled = compileFeelExpression('count(for a in l, b in l, c in l return 0)', new Set(['l']));
      expect(() => compiled.evaluate({ l: Array.from({ length: 1000 }, (_, i) => i) })).to.throw(FeelEvaluationFailure, 'exceeded its budget');
      expect(compiled.evaluate({ l: [1, 2] })).to.equal(8);
    });

    it('should refuse nesting deeper than 200 levels and texts longer than 10000 characters as syntax errors', () => {
      const text = `${'('.repeat(1000)}1${')'.repeat(1000)}`;
      expect(() => compileFeelExpression(text)).to.throw(FeelSyntaxError).with.property('position', 200);
      expect(() => compileUnaryTests(`[${'('.repeat(300)}1${')'.repeat(300)}]`)).to.throw(FeelSyntaxError);
      expect(() => compileUnaryTests('a b c '.repeat(20_000))).to.throw(FeelSyntaxError, 'longer than 10000 characters at position 10000');
    });

    it('should run matches() on the linear-time engine, also in unary tests', () => {
      const compiled = compileFeelExpression('matches(s, "(a+)+b")', new Set(['s']));
      expect(compiled.evaluate({ s: 'a'.repeat(26) })).to.equal(false);
      expect(compiled.evaluate({ s: 'aab' })).to.equal(true);
      expect(compileUnaryTests('matches(?, "(a+)+b")').test({}, 'a'.repeat(26))).to.equal(false);
    });
  });
});
