/** Decision tables: every hit policy and aggregator, unary test forms, defaults, input variables and JUEL entries. */
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { DecisionEvaluationError, evaluateDecision, parseDmn, type DmnModel } from '../../src/dmn/index.js';

const fixture = readFileSync(new URL('../fixtures/dmn/decision-table.dmn', import.meta.url), 'utf8');
const emptyExpressionsFixture = readFileSync(new URL('../fixtures/dmn/decision-table-empty-expressions.dmn', import.meta.url), 'utf8');

describe('dmn/decision-table', () => {
  let model: DmnModel;
  before(async () => {
    model = await parseDmn(fixture, 'decision-table.dmn');
  });

  const evaluate = (key: string, inputs: Record<string, unknown>) => evaluateDecision(model, key, inputs);
  const failure = (key: string, inputs: Record<string, unknown>): DecisionEvaluationError => {
    try {
      evaluate(key, inputs);
    } catch (error) {
      expect(error).to.be.instanceOf(DecisionEvaluationError);
      return error as DecisionEvaluationError;
    }
    throw new Error(`decision ${key} did not fail`);
  };

  describe('hit policies', () => {
    it('should return the single match of a UNIQUE table, Camunda-style and as the DMN value', () => {
      // when
      const result = evaluate('unique', { x: 12 });
      // then
      expect(result.resultList).to.deep.equal([{ result: 'medium' }]);
      expect(result.result).to.equal('medium');
    });

    it('should return an empty list and null when no rule of a UNIQUE table matches', () => {
      const result = evaluate('unique', { x: 40 });
      expect(result.resultList).to.deep.equal([]);
      expect(result.result).to.equal(null);
    });

    it('should fail naming the decision and both rules when two rules of a UNIQUE table match', () => {
      const error = failure('unique', { x: 17 });
      expect(error.message).to.match(/^Decision 'unique'/);
      expect(error.message).to.contain("'unique_r2'").and.contain("'unique_r3'").and.contain('UNIQUE');
      expect(error.decisionKey).to.equal('unique');
      expect(error.status).to.equal(500);
    });

    it('should accept several matches with equal outputs in an ANY table', () => {
      expect(evaluate('any', { x: 7 }).result).to.equal('positive');
    });

    it('should fail when matches of an ANY table have different outputs', () => {
      const error = failure('any', { x: 200 });
      expect(error.message).to.contain("'any_r1'").and.contain("'any_r3'").and.contain('ANY');
    });

    it('should return the first match in rule order for FIRST', () => {
      expect(evaluate('first', { x: 11 }).resultList).to.deep.equal([{ result: 'big' }]);
      expect(evaluate('first', { x: -1 }).result).to.equal('any');
    });

    it('should return the match with the highest output priority for PRIORITY', () => {
      expect(evaluate('priority', { x: 7 }).result).to.equal('medium');
      expect(evaluate('priority', { x: 11 }).resultList).to.deep.equal([{ level: 'high' }]);
    });

    it('should return all matches in rule order for RULE ORDER', () => {
      const result = evaluate('ruleOrder', { x: 11 });
      expect(result.result).to.deep.equal(['a', 'b', 'c']);
      expect(result.resultList).to.deep.equal([{ result: 'a' }, { result: 'b' }, { result: 'c' }]);
    });

    it('should sort all matches by output priority for OUTPUT ORDER', () => {
      expect(evaluate('outputOrder', { x: 11 }).result).to.deep.equal(['high', 'medium', 'low']);
    });

    it('should collect all matches for COLLECT without aggregator', () => {
      expect(evaluate('collect', { x: 11 }).result).to.deep.equal([1, 2, 3]);
      expect(evaluate('collect', { x: 0 }).result).to.deep.equal([]);
    });

    it('should sum exactly for COLLECT SUM (0.1 + 0.2 + 0.2 = 0.5)', () => {
      const result = evaluate('collectSum', { x: 11 });
      expect(result.result).to.equal(0.5);
      expect(result.resultList).to.deep.equal([{ amount: 0.5 }]);
    });

    it('should aggregate MIN, MAX and COUNT', () => {
      expect(evaluate('collectMin', { x: 11 }).result).to.equal(1);
      expect(evaluate('collectMax', { x: 11 }).result).to.equal(3);
      expect(evaluate('collectCount', { x: 11 }).resultList).to.deep.equal([{ score: 3 }]);
      expect(evaluate('collectCount', { x: 0 }).result).to.equal(0);
      expect(evaluate('collectMax', { x: 0 }).result).to.equal(null);
    });
  });

  describe('outputs', () => {
    it('should use the default output entry when no rule matches', () => {
      expect(evaluate('defaults', { x: 5 }).resultList).to.deep.equal([{ result: 'fallback' }]);
      expect(evaluate('defaults', { x: -5 }).result).to.equal('negative');
    });

    it('should give a context for several outputs and one map entry per output', () => {
      const result = evaluate('multiOutput', { x: 4 });
      expect(result.result).to.deep.equal({ sign: 'positive', double: 8 });
      expect(result.resultList).to.deep.equal([{ sign: 'positive', double: 8 }]);
    });

    it('should fail naming rule and output when an output does not fit its typeRef', async () => {
      const xml = fixture.replace('<text>x * 2</text>', '<text>x / 3</text>');
      const other = await parseDmn(xml, 'changed.dmn');
      expect(() => evaluateDecision(other, 'multiOutput', { x: 4 })).to.throw(DecisionEvaluationError, /rule 1 'multiOutput_r1', output 'double'.*wrong output type: expected integer/);
    });
  });

  describe('unary tests', () => {
    it('should support ?, ranges, lists, not(), functions, - and variables in input entries', () => {
      const result = evaluate('unaryTests', { x: 7, y: 8 });
      expect(result.result).to.deep.equal(['question gt 5', 'list', 'not', 'dash', 'variable', 'negative']);
    });

    it('should match ranges and functions for other inputs', () => {
      expect(evaluate('unaryTests', { x: 2, y: 0 }).result).to.deep.equal(['range', 'function', 'dash', 'negative']);
    });

    it('should match string lists and negated strings', () => {
      expect(evaluate('strings', { category: 'gold' }).result).to.equal('premium');
      expect(evaluate('strings', { category: 'silver' }).result).to.equal('standard');
      expect(evaluate('strings', { category: 'blocked' }).result).to.equal('none');
    });

    it('should bind the input under camunda:inputVariable', () => {
      expect(evaluate('inputVariable', { x: 4 }).result).to.equal('between');
      expect(evaluate('inputVariable', { x: 9 }).result).to.equal('outside');
    });

    it('should evaluate juel input expressions and entries with cellInput', () => {
      expect(evaluate('juel', { x: 3 }).result).to.equal('big');
      expect(evaluate('juel', { x: 2 }).result).to.equal('small');
    });
  });

  describe('empty expressions', () => {
    let emptyModel: DmnModel;
    before(async () => {
      emptyModel = await parseDmn(emptyExpressionsFixture, 'decision-table-empty-expressions.dmn');
    });

    it('should evaluate an empty or missing input expression to null, which the input entries then test', () => {
      // given weight 10: rule 1 tests `null` on both empty inputs, rule 2 tests `"express"`, rule 3 needs `> 20`
      const result = evaluateDecision(emptyModel, 'shipping', { weight: 10 });
      // then only rule 1 matches; its empty `note` entry is left out of the rule's result, as Camunda does
      expect(result.resultList).to.deep.equal([{ carrier: 'parcel' }]);
      expect(result.result).to.deep.equal([{ carrier: 'parcel', note: null }]);
    });

    it('should let `-` and empty entries match the null of an empty input expression', () => {
      expect(evaluateDecision(emptyModel, 'shipping', { weight: 30 }).resultList).to.deep.equal([{ carrier: 'freight', note: 'heavy' }]);
    });
  });

  describe('errors', () => {
    it('should evaluate a missing input as null, as Camunda 7.21+ does, so only `-` and `null` entries match it', () => {
      // given no x: rules `> 10` and `> 0` cannot match null, rule 3 (`-`) matches anything
      const result = evaluate('first', {});
      expect(result.resultList).to.deep.equal([{ result: 'any' }]);
    });

    it('should fail naming the input when the input has the wrong type', () => {
      const error = failure('unaryTests', { x: 'seven', y: 1 });
      expect(error.message).to.contain("input 1 'X'").and.contain('wrong input type: expected number but got string');
    });

    it('should convert a number input to typeRef string as Camunda does, and refuse a non-integer for integer', () => {
      expect(evaluate('strings', { category: 5 }).result).to.equal('standard');
      expect(failure('first', { x: 1.5 }).message).to.contain('wrong input type: expected integer but got number');
    });
  });
});
