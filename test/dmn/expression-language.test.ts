/** Expression languages: declared on an element or the definitions, Camunda 7's defaults, and `${…}` files of Camunda ≤ 7.12. */
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { DecisionEvaluationError, evaluateDecision, parseDmn, type DmnModel } from '../../src/dmn/index.js';
import { chooseLanguage } from '../../src/dmn/expression-language.js';

const legacyFixture = readFileSync(new URL('../fixtures/dmn/expression-language-legacy-juel.dmn', import.meta.url), 'utf8');
const declaredFixture = readFileSync(new URL('../fixtures/dmn/expression-language-declared.dmn', import.meta.url), 'utf8');

describe('dmn/expression-language', () => {
  describe('choosing the language', () => {
    it('should take the element attribute first, then the definitions attribute unless it names FEEL, then FEEL', () => {
      expect(chooseLanguage('juel', 'feel', 'x')).to.deep.equal({ language: 'juel' });
      expect(chooseLanguage('JUEL', undefined, 'x')).to.deep.equal({ language: 'juel' });
      expect(chooseLanguage('feel', 'juel', 'x')).to.deep.equal({ language: 'feel' });
      expect(chooseLanguage(undefined, 'juel', 'x')).to.deep.equal({ language: 'juel' });
      expect(chooseLanguage(undefined, 'http://www.omg.org/spec/FEEL/20140401', 'x')).to.deep.equal({ language: 'feel' });
      expect(chooseLanguage(undefined, undefined, 'x')).to.deep.equal({ language: 'feel' });
    });

    it('should read an undeclared `${…}` or `#{…}` text as JUEL, which FEEL cannot parse', () => {
      expect(chooseLanguage(undefined, undefined, ' ${amount}')).to.deep.equal({ language: 'juel' });
      expect(chooseLanguage(undefined, 'https://www.omg.org/spec/DMN/20191111/FEEL/', '#{amount}')).to.deep.equal({ language: 'juel' });
      expect(chooseLanguage('feel', undefined, '${amount}')).to.deep.equal({ language: 'feel' });
    });

    it('should name a script language as unsupported, wherever it is declared', () => {
      expect(chooseLanguage('groovy', undefined, 'x')).to.deep.equal({ unsupported: 'groovy' });
      expect(chooseLanguage(undefined, 'javascript', 'x')).to.deep.equal({ unsupported: 'javascript' });
    });
  });

  describe('a file of Camunda 7.12 or earlier: `${…}` without any expressionLanguage', () => {
    let model: DmnModel;
    before(async () => {
      model = await parseDmn(legacyFixture, 'expression-language-legacy-juel.dmn');
    });

    it('should evaluate `${…}` and `#{…}` input expressions and output entries as JUEL beside FEEL input entries', () => {
      // given an order of 5000 from the EU: rule 2 (`>= 1000`, `"EU","US"`)
      const result = evaluateDecision(model, 'approver', { order: { amount: 5000, region: 'EU' }, clerk: 'carl' });
      // then its JUEL output entries ran
      expect(result.resultList).to.deep.equal([{ approver: 'anna', reason: 'eu' }]);
      expect(evaluateDecision(model, 'approver', { order: { amount: 50, region: 'US' }, clerk: 'carl' }).resultList).to.deep.equal([{ approver: 'carl', reason: 'small order' }]);
    });

    it('should evaluate a `${…}` literal expression as JUEL', () => {
      expect(evaluateDecision(model, 'doubledAmount', { order: { amount: 21 } }).resultList).to.deep.equal([{ doubled: 42 }]);
    });

    it('should fail on an unknown JUEL identifier, as Camunda does (only FEEL reads a missing variable as null)', () => {
      expect(() => evaluateDecision(model, 'approver', { clerk: 'carl' })).to.throw(DecisionEvaluationError, "Cannot resolve identifier 'order'");
    });
  });

  describe('languages declared on the definitions and on elements', () => {
    let model: DmnModel;
    before(async () => {
      model = await parseDmn(declaredFixture, 'expression-language-declared.dmn');
    });

    it('should run undeclared expressions in the definitions language (JUEL, without `${…}` as Camunda wraps them)', () => {
      // given a gold customer: rule 1's JUEL entry `customer == 'gold'` (camunda:inputVariable) and FEEL entry `>= 100`
      expect(evaluateDecision(model, 'discount', { customerType: 'gold', items: [60, 50] }).result).to.equal(0.1);
      expect(evaluateDecision(model, 'greeting', { name: 'Ada' }).resultList).to.deep.equal([{ greeting: 'ADA' }]);
    });

    it('should read output values as FEEL unary tests, whatever the definitions declare', async () => {
      const jumbled = declaredFixture.replace('<text>0.15,0.1,0</text>', '<text>0.15,</text>');
      expect(model.decisions.map((d) => d.id)).to.deep.equal(['discount', 'greeting']);
      await parseDmn(jumbled, 'jumbled.dmn').then(() => expect.fail('parsed'), (error: Error) => expect(error.message).to.contain('FEEL syntax error'));
    });

    it('should let an element declare FEEL by name or namespace against a JUEL definitions default', () => {
      // given a FEEL `sum(items)` input expression, a JUEL `${cellInput >= 1000}` entry and a FEEL (DMN 1.1 URI) output
      expect(evaluateDecision(model, 'discount', { customerType: 'silver', items: [600, 500] }).result).to.equal(0.15);
      expect(evaluateDecision(model, 'discount', { customerType: 'silver', items: [6] }).result).to.equal(0);
    });
  });
});
