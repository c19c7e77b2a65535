/** Parse-time refusals and format handling: every problem is a ParseError with details, nothing is half-parsed. */
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { ParseError } from '../../src/core/errors.js';
import { DecisionEvaluationError, evaluateDecision, parseDmn, type DmnModel } from '../../src/dmn/index.js';

const tableFixture = readFileSync(new URL('../fixtures/dmn/decision-table.dmn', import.meta.url), 'utf8');
const drgFixture = readFileSync(new URL('../fixtures/dmn/evaluate-decision.dmn', import.meta.url), 'utf8');
const dmn11 = readFileSync(new URL('../fixtures/dmn/bench-table-dmn11.dmn', import.meta.url), 'utf8');
const unsupportedFixture = readFileSync(new URL('../fixtures/dmn/parse-dmn-unsupported-constructs.dmn', import.meta.url), 'utf8');

interface Problem { message: string; line: number; column: number; mainElementId: string | null; elementIds: string[] }

async function refusal(xml: string, resource = 'broken.dmn', options = { javascript: false }): Promise<{ error: ParseError; problems: Problem[] }> {
  try {
    await parseDmn(xml, resource, options);
  } catch (error) {
    expect(error).to.be.instanceOf(ParseError);
    const details = (error as ParseError).details as Record<string, { errors: Problem[] }>;
    return { error: error as ParseError, problems: details[resource].errors };
  }
  throw new Error('the resource parsed');
}

describe('dmn/parse-dmn', () => {
  it('should refuse a FEEL syntax error in an input entry naming decision, rule, input and entry', async () => {
    // given
    const xml = tableFixture.replace('<text>[10..20]</text>', '<text>[10..</text>');
    // when
    const { error, problems } = await refusal(xml);
    // then
    expect(error.status).to.equal(400);
    expect(problems).to.have.length(1);
    expect(problems[0].message).to.match(/^decision 'unique' \(rule 2 'unique_r2', input 'X', entry '\[10\.\.'\): FEEL syntax error/);
    expect(problems[0]).to.include({ mainElementId: 'unique_r2_i0' });
    expect(problems[0].elementIds).to.deep.equal(['unique_r2_i0']);
    const lines = xml.split('\n');
    const entryLine = lines.findIndex((line) => line.includes('id="unique_r2_i0"'));
    expect(problems[0]).to.include({ line: entryLine + 1, column: lines[entryLine].indexOf('<') + 1 });
    expect(error.message).to.contain(`| resource broken.dmn | element unique_r2_i0 | line ${entryLine + 1} |`);
  });

  it('should refuse syntax errors in output entries and input expressions, listing all of them', async () => {
    const xml = tableFixture.replace('<text>"small"</text>', '<text>"small" +</text>').replace('<text>category</text>', '<text>category ></text>');
    const { problems } = await refusal(xml);
    expect(problems.map((p) => p.mainElementId)).to.deep.equal(['unique_r1_o0', 'strings_in']);
    expect(problems[0].message).to.contain("rule 1 'unique_r1', output 'result'");
    expect(problems[1].message).to.contain("input 1 'Category'");
  });

  it('should refuse a cycle of required decisions', async () => {
    const xml = drgFixture.replace('<requiredInput href="#month" />', '<requiredDecision href="#dish" />');
    const { problems } = await refusal(xml);
    expect(problems[0].message).to.equal("Required decisions form a cycle: 'season' -> 'dish' -> 'season'");
  });

  it('should refuse a requirement that points nowhere', async () => {
    const xml = drgFixture.replace('<requiredDecision href="#guests" />', '<requiredDecision href="#missing" />');
    const { problems } = await refusal(xml);
    expect(problems[0].message).to.contain("decision 'dish' requires 'missing'");
  });

  it('should refuse DOCTYPE and ENTITY declarations', async () => {
    const xml = tableFixture.replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>');
    const { problems } = await refusal(xml);
    expect(problems[0].message).to.contain('DOCTYPE');
  });

  it('should refuse XML that is not DMN with its line', async () => {
    const { problems } = await refusal('<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/"><decision id="a"></definitions>');
    expect(problems[0].message).to.not.equal('');
  });

  it('should refuse PRIORITY without output values', async () => {
    const xml = tableFixture.replace(/<outputValues id="priority_ov0">[\s\S]*?<\/outputValues>/, '');
    const { problems } = await refusal(xml);
    expect(problems.map((p) => p.message)).to.deep.equal(["decision 'priority': hit policy PRIORITY needs output values that give the priority order"]);
  });

  describe('unsupported constructs refuse only the decisions using them', () => {
    let model: DmnModel;
    before(async () => {
      model = await parseDmn(unsupportedFixture, 'parse-dmn-unsupported-constructs.dmn');
    });

    it('should deploy every decision of a file with a script language, a decision service and a dangling diagram shape', () => {
      expect(model.decisions.map((d) => d.id)).to.deep.equal(['fee', 'riskScore', 'riskClass', 'region', 'discount']);
      expect(evaluateDecision(model, 'fee', { items: 3 }).resultList).to.deep.equal([{ fee: 5 }]);
    });

    it('should refuse to evaluate a decision in groovy, or in javascript while it is off, naming the expression and the language', () => {
      expect(() => evaluateDecision(model, 'riskScore', { items: 3 })).to.throw(DecisionEvaluationError, "Decision 'riskScore' uses expression language 'groovy', which this engine cannot run (only FEEL, JUEL and enabled JavaScript)");
      expect(() => evaluateDecision(model, 'region', { country: 'DE' })).to.throw(DecisionEvaluationError, "Decision 'region' (rule 1 'regionEu', input 'Country', entry '['DE', 'FR'].includes(cellInput)') uses expression language 'javascript', which is disabled (set JAVASCRIPT_SCRIPTS=true for trusted deployments)");
    });

    it('should run a javascript input entry with cellInput when JavaScript is enabled, and refuse its syntax errors', async () => {
      const enabled = await parseDmn(unsupportedFixture, 'parse-dmn-unsupported-constructs.dmn', { javascript: true });
      expect(evaluateDecision(enabled, 'region', { country: 'FR' }).resultList).to.deep.equal([{ region: 'EU' }]);
      expect(evaluateDecision(enabled, 'region', { country: 'US' }).resultList).to.deep.equal([]);
      expect(() => evaluateDecision(enabled, 'riskScore', { items: 3 })).to.throw(DecisionEvaluationError, "expression language 'groovy'");
      const { problems } = await refusal(unsupportedFixture.replace('.includes(cellInput)', '.includes(cellInput'), 'broken.dmn', { javascript: true });
      expect(problems.map((p) => p.mainElementId)).to.deep.equal(['regionEuCountry']);
      expect(problems[0].message).to.contain('JavaScript syntax error');
    });

    it('should refuse a decision requiring a refused decision with the required decision\'s reason', () => {
      expect(() => evaluateDecision(model, 'riskClass', { items: 3 })).to.throw(DecisionEvaluationError, "Decision 'riskScore' uses expression language 'groovy'");
    });

    it('should ignore a decision service as Camunda 7 does, and refuse only the decision invoking it', () => {
      expect(() => evaluateDecision(model, 'discount', { items: 3 })).to.throw(DecisionEvaluationError, "Decision 'discount' invokes decision service 'pricingService', and decision services are not evaluated here (Camunda 7 ignores them)");
    });

    it('should say at deploy what is ignored or refused', () => {
      expect(model.warnings).to.deep.equal([
        'parse-dmn-unsupported-constructs.dmn: unresolved reference <removedDecision>',
        "parse-dmn-unsupported-constructs.dmn: decision service 'pricingService' is ignored, as in Camunda 7; its decisions deploy on their own",
        "parse-dmn-unsupported-constructs.dmn: decision 'riskScore' uses expression language 'groovy', which this engine cannot run (only FEEL, JUEL and enabled JavaScript); the decision deploys but every evaluation of it fails",
        "parse-dmn-unsupported-constructs.dmn: decision 'region' (rule 1 'regionEu', input 'Country', entry '['DE', 'FR'].includes(cellInput)') uses expression language 'javascript', which is disabled (set JAVASCRIPT_SCRIPTS=true for trusted deployments); the decision deploys but every evaluation of it fails",
        "parse-dmn-unsupported-constructs.dmn: decision 'discount' invokes decision service 'pricingService', and decision services are not evaluated here (Camunda 7 ignores them); the decision deploys but every evaluation of it fails",
      ]);
    });

    it('should still refuse the whole file for a syntax error in a supported language', async () => {
      const { problems } = await refusal(unsupportedFixture.replace('<text>&lt;= 10</text>', '<text>&lt;= </text>'));
      expect(problems.map((p) => p.mainElementId)).to.deep.equal(['feeFewItems']);
    });
  });

  it('should read DMN 1.1 through dmn-migrate and DMN 1.5 by its namespace', async () => {
    const migrated = await parseDmn(dmn11, 'old.dmn');
    expect(migrated.decisions.map((d) => d.id)).to.deep.equal(['risk']);
    const dmn15 = tableFixture.replace('https://www.omg.org/spec/DMN/20191111/MODEL/', 'https://www.omg.org/spec/DMN/20230324/MODEL/');
    const model = await parseDmn(dmn15, 'new.dmn');
    expect(evaluateDecision(model, 'first', { x: 11 }).result).to.equal('big');
  });
});
