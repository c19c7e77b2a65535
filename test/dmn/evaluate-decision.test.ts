/** Decision requirements graphs, knowledge models, literal expressions, JUEL, and the convenience entry point. */
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { FeelDateTime } from 'feelin';
import { DecisionEvaluationError, evaluateDecision, evaluateDmn, parseDmn, type DmnModel } from '../../src/dmn/index.js';
import * as packageRoot from '../../src/index.js';

const fixture = readFileSync(new URL('../fixtures/dmn/evaluate-decision.dmn', import.meta.url), 'utf8');

describe('dmn/evaluate-decision', () => {
  let model: DmnModel;
  before(async () => {
    model = await parseDmn(fixture, 'evaluate-decision.dmn');
  });

  it('should bind required decisions under their names (DMN) and their output names (Camunda, lists for COLLECT)', () => {
    // given month 1 (Winter) and 5 guests (COLLECT gives starter and main, bound as a list under `course`)
    // when
    const result = evaluateDecision(model, 'dish', { month: 1, guestCount: 5 });
    // then
    expect(result.resultList).to.deep.equal([{ dish: 'Stew with starter' }]);
    expect(result.result).to.equal('Stew with starter');
    expect(result.decisionName).to.equal('Dish');
  });

  it('should evaluate other branches of the graph', () => {
    expect(evaluateDecision(model, 'dish', { month: 6, guestCount: 2 }).result).to.equal('Salad');
  });

  it('should invoke a business knowledge model from a literal expression', () => {
    const result = evaluateDecision(model, 'greeting', { name: 'Ada' });
    expect(result.result).to.equal('Hello Ada!!!');
    expect(result.resultList).to.deep.equal([{ greeting: 'Hello Ada!!!' }]);
  });

  it('should evaluate juel literal expressions', () => {
    expect(evaluateDecision(model, 'juelGreeting', { name: 'Ada' }).resultList).to.deep.equal([{ juelGreeting: 'Hello Ada!' }]);
  });

  it('should read a variable nobody passed as null in FEEL (Camunda 7.21+), but refuse it in JUEL as Camunda does', () => {
    expect(evaluateDecision(model, 'greeting', {}).resultList).to.deep.equal([{ greeting: null }]);
    expect(() => evaluateDecision(model, 'juelGreeting', {})).to.throw(DecisionEvaluationError, "Cannot resolve identifier 'name'");
  });

  it('should take a Date input as a UTC date and time and return a Date in the result list', () => {
    const result = evaluateDecision(model, 'deadline', { start: new Date('2024-03-30T23:00:00Z') });
    expect(result.result).to.be.instanceOf(FeelDateTime);
    expect(result.resultList).to.deep.equal([{ deadline: new Date('2024-04-01T01:00:00Z') }]);
  });

  it('should fail with the decision in the message when a required decision fails', () => {
    expect(() => evaluateDecision(model, 'dish', { month: 1, guestCount: 'five' })).to.throw(DecisionEvaluationError, /^Decision 'guests'.*'five'/);
  });

  it('should fail for an unknown decision key', () => {
    expect(() => evaluateDecision(model, 'nope', {})).to.throw(DecisionEvaluationError, "No decision with key 'nope'");
  });

  it('should list decisions, versionTag, historyTimeToLive, the graph, input data and knowledge models', () => {
    const dish = model.decisions.find((d) => d.id === 'dish');
    expect(dish).to.include({ name: 'Dish', versionTag: '2.0', historyTimeToLive: 180, logicKind: 'decisionTable' });
    expect(dish?.requiredDecisions).to.deep.equal(['season', 'guests']);
    expect(model.decisions.find((d) => d.id === 'greeting')?.logicKind).to.equal('literalExpression');
    expect(model.decisionRequirements).to.deep.equal({ id: 'dishDrg', name: 'Dish decisions', namespace: 'http://camunda.org/schema/1.0/dmn' });
    expect(model.inputData.map((i) => i.name)).to.deep.equal(['month', 'guestCount']);
    expect(model.knowledgeModels.map((k) => [k.name, k.parameters])).to.deep.equal([['format greeting', ['person', 'times']]]);
  });

  it('should parse and evaluate in one call through the package entry point, which also offers the worker SDK', async () => {
    const result = await packageRoot.evaluateDmn(fixture, 'season', { month: 12 });
    expect(result.resultList).to.deep.equal([{ seasonName: 'Winter' }]);
    expect(await evaluateDmn(fixture, 'season', { month: 4 })).to.deep.include({ result: 'Other' });
    expect(Object.keys(packageRoot).sort()).to.deep.equal(['DecisionEvaluationError', 'createWorker', 'evaluateDecision', 'evaluateDmn', 'parseDmn']);
  });
});
