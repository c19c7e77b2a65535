/** Specifies Json variables in JUEL as Camunda hands them over: Spin JSON nodes, still readable as the Map or List they hold. */
import { expect } from 'chai';
import { compileExpression, ExpressionError, SpinJsonNode, toPlainJson, type ExpressionContext } from '../../src/expressions/index.js';
import { contextOf, executionShim } from './context-fixture.js';

function evaluate(text: string, variables: Record<string, unknown>, extras: Partial<ExpressionContext> = {}): unknown {
  return compileExpression(text).evaluate(contextOf(variables, extras));
}

function errorMessageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(ExpressionError);
    return (error as ExpressionError).message;
  }
  throw new Error('expected an ExpressionError');
}

describe('spin-json-node', () => {
  // A Json variable as the engine projects it: its parsed JSON.
  const creditScores = [720, 650, 810];
  const order = { id: 'o-1', amount: 120.5, express: true, note: null, customer: { name: 'Ada', tier: 'gold' }, lines: [{ sku: 'A' }, { sku: 'B' }] };

  describe('a Json variable read in an expression', () => {
    it('should be a Spin node: elements(), prop() and the typed value readers work on it', () => {
      expect(evaluate('${creditScores.elements().size()}', { creditScores })).to.equal(3);
      expect(evaluate('${creditScores.elements().get(2).numberValue()}', { creditScores })).to.equal(810);
      expect(evaluate("${order.prop('customer').prop('name').stringValue()}", { order })).to.equal('Ada');
      expect(evaluate("${order.prop('amount').numberValue() > 100}", { order })).to.equal(true);
      expect(evaluate("${order.prop('express').boolValue()}", { order })).to.equal(true);
      expect(evaluate("${order.prop('note').isNull()}", { order })).to.equal(true);
      expect(evaluate("${order.hasProp('customer') and not order.hasProp('discount')}", { order })).to.equal(true);
      expect(evaluate("${order.prop('lines').elements()[1].prop('sku').stringValue()}", { order })).to.equal('B');
    });

    it('should report its kind as Spin does', () => {
      expect(evaluate('${order.isObject() and not order.isArray()}', { order })).to.equal(true);
      expect(evaluate('${creditScores.isArray()}', { creditScores })).to.equal(true);
      expect(evaluate("${order.prop('id').isString() and order.prop('id').isValue()}", { order })).to.equal(true);
      expect(evaluate("${order.prop('amount').isNumber() and order.prop('express').isBoolean()}", { order })).to.equal(true);
      expect(evaluate("${order.prop('customer').isValue()}", { order })).to.equal(false);
    });

    it('should keep every digit of a Long beyond 2^53 when it prints itself, and read it as a number', () => {
      const ledger = { id: 9007199254740993n };
      expect(evaluate('${S(ledger).toString()}', { ledger })).to.equal('{"id":9007199254740993}');
      expect(evaluate(`\${S('{"id":9007199254740993}').prop('id').isNumber()}`, {})).to.equal(true);
      expect(evaluate('${ledger.prop(\'id\').numberValue() > 9007199254740000}', { ledger })).to.equal(true);
      expect(evaluate(`\${S('{"id":9007199254740993}').id > 0}`, {})).to.equal(true);
      expect(evaluate(`\${S('{"id":9007199254740993}').prop('id').value() + 0}`, {})).to.equal(9007199254740992);
    });

    it('should list field names and print itself as JSON text', () => {
      expect(evaluate("${order.prop('customer').fieldNames()}", { order })).to.deep.equal(['name', 'tier']);
      expect(evaluate("${order.prop('customer').toString()}", { order })).to.equal('{"name":"Ada","tier":"gold"}');
      expect(evaluate('Scores: ${creditScores}', { creditScores })).to.equal('Scores: [720,650,810]');
      expect(evaluate("${order.prop('customer').value()}", { order })).to.deep.equal({ name: 'Ada', tier: 'gold' });
    });

    it('should be the same node S() makes of the variable or of its JSON text', () => {
      expect(evaluate('${S(order) == order}', { order })).to.equal(true);
      expect(evaluate('${S(text) == order}', { order, text: JSON.stringify(order) })).to.equal(true);
      expect(evaluate("${S(order).prop('customer').prop('tier').stringValue()}", { order })).to.equal('gold');
    });

    it('should keep member access, index access and the Map and List methods working', () => {
      expect(evaluate("${order.customer.tier eq 'gold'}", { order })).to.equal(true);
      expect(evaluate('${order.amount * 2}', { order })).to.equal(241);
      expect(evaluate('${order.lines[0].sku}', { order })).to.equal('A');
      expect(evaluate('${order.discount == null}', { order })).to.equal(true);
      expect(evaluate('${creditScores.size() == 3 && creditScores.contains(650) && creditScores[0] == 720}', { creditScores })).to.equal(true);
      expect(evaluate("${order.containsKey('customer') and order.get('id') == 'o-1'}", { order })).to.equal(true);
      expect(evaluate('${empty order.lines or empty emptyList}', { order, emptyList: [] })).to.equal(true);
      expect(evaluate('${not empty order.lines}', { order })).to.equal(true);
    });

    it('should yield the variable itself when the whole expression is the variable or a part of it', () => {
      expect(evaluate('${order}', { order })).to.equal(order);
      expect(evaluate('${order.customer}', { order })).to.equal(order.customer);
    });

    it('should reach shims as plain JSON and come back from them as a node', () => {
      const variables: Record<string, unknown> = { order };
      const execution = executionShim(variables);
      evaluate("${execution.setVariable('picked', S(order).prop('customer'))}", variables, { execution });
      expect(variables.picked).to.deep.equal({ name: 'Ada', tier: 'gold' });
      expect(evaluate("${execution.getVariable('order').prop('id').stringValue()}", {}, { execution })).to.equal('o-1');
    });
  });

  describe('errors', () => {
    it('should name an unknown method and the Spin node type', () => {
      const message = errorMessageOf(() => evaluate('${creditScores.stream()}', { creditScores }));
      expect(message).to.equal(
        "Unknown method used in expression: ${creditScores.stream()}. Cause: Method 'stream' with 0 argument(s) not found or not allowed on type org.camunda.spin.json.SpinJsonNode",
      );
    });

    it('should fail like Spin when a node holds another kind of JSON', () => {
      expect(errorMessageOf(() => evaluate('${order.elements()}', { order }))).to.contain("SPIN/JACKSON-JSON-01002 Expected 'Array', got 'OBJECT'");
      expect(errorMessageOf(() => evaluate("${order.prop('id').numberValue()}", { order }))).to.contain("Expected 'Number', got 'STRING'");
      expect(errorMessageOf(() => evaluate("${order.prop('missing')}", { order }))).to.contain("SPIN/JACKSON-JSON-01001 Unable to find 'missing'");
    });

    it('should refuse jsonPath() with a clear error rather than a wrong answer', () => {
      expect(errorMessageOf(() => evaluate("${order.jsonPath('$.customer.name').stringValue()}", { order }))).to.contain(
        "jsonPath('$.customer.name') is not supported by this engine",
      );
    });
  });

  describe('toPlainJson', () => {
    it('should turn nodes, also inside lists, into the JSON they hold, leaving other values as they are', () => {
      const elements = SpinJsonNode.of('[{"a":1},2]').elements();
      expect(toPlainJson(elements)).to.deep.equal([{ a: 1 }, 2]);
      expect(toPlainJson({ node: SpinJsonNode.of('"x"'), n: 1 })).to.deep.equal({ node: 'x', n: 1 });
      const untouched = { a: [1, 2] };
      expect(toPlainJson(untouched)).to.equal(untouched);
    });

    it('should serialize a node as its JSON', () => {
      expect(JSON.stringify({ v: SpinJsonNode.of('{"a":[1]}') })).to.equal('{"v":{"a":[1]}}');
    });
  });
});
