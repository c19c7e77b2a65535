/** Specifies the public expression API end to end: examples from models, shims, results and errors. */
import { expect } from 'chai';
import { OptimisticLockingError } from '../../src/core/errors.js';
import {
  compileExpression,
  evaluateCondition,
  ExpressionError,
  isExpression,
  JodaDateTime,
  SpinJsonNode,
  type ExecutionShim,
  type ExpressionContext,
} from '../../src/expressions/index.js';
import { contextOf, executionShim, FIXED_NOW } from './context-fixture.js';

function evaluate(text: string, variables: Record<string, unknown> = {}, extras: Partial<ExpressionContext> = {}): unknown {
  return compileExpression(text).evaluate(contextOf(variables, extras));
}

function errorOf(run: () => unknown): ExpressionError {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(ExpressionError);
    return error as ExpressionError;
  }
  throw new Error('expected an ExpressionError');
}

describe('compile-expression', () => {
  describe('the examples models rely on', () => {
    it('should evaluate ${amount > 1000}', () => {
      expect(evaluate('${amount > 1000}', { amount: 1500 })).to.equal(true);
      expect(evaluate('${amount > 1000}', { amount: 999 })).to.equal(false);
    });

    it('should evaluate ${approved == true && not empty reviewer}', () => {
      const text = '${approved == true && not empty reviewer}';
      expect(evaluate(text, { approved: true, reviewer: 'kermit' })).to.equal(true);
      expect(evaluate(text, { approved: true, reviewer: '' })).to.equal(false);
      expect(evaluate(text, { approved: 'true', reviewer: null })).to.equal(false);
    });

    it("should evaluate ${customer.tier eq 'gold'}", () => {
      expect(evaluate("${customer.tier eq 'gold'}", { customer: { tier: 'gold' } })).to.equal(true);
      expect(evaluate("${customer.tier eq 'gold'}", { customer: {} })).to.equal(false);
    });

    it('should evaluate #{execution.processBusinessKey} through the getter', () => {
      expect(evaluate('#{execution.processBusinessKey}', {}, { execution: executionShim({}) })).to.equal('order-42');
    });

    it('should evaluate ${now()} to a Date from the clock', () => {
      expect(evaluate('${now()}')).to.deep.equal(FIXED_NOW);
    });

    it('should evaluate ${dateTime().plusDays(3).toDate()}', () => {
      expect(evaluate('${dateTime().plusDays(3).toDate()}')).to.deep.equal(new Date('2024-02-03T10:15:30.000Z'));
    });

    it("should evaluate ${S(payload).prop('code').stringValue()}", () => {
      expect(evaluate("${S(payload).prop('code').stringValue()}", { payload: '{"code":"X7"}' })).to.equal('X7');
    });
  });

  describe('results', () => {
    it('should return the raw value of a lone expression', () => {
      const when = new Date(0);
      expect(evaluate('${n}', { n: 5 })).to.equal(5);
      expect(evaluate('${d}', { d: when })).to.equal(when);
      expect(evaluate('${o}', { o: { a: 1 } })).to.deep.equal({ a: 1 });
      expect(evaluate('${dateTime()}')).to.be.instanceOf(JodaDateTime);
      expect(evaluate('${S("[1]")}')).to.be.instanceOf(SpinJsonNode);
    });

    it('should return null rather than undefined', () => {
      expect(evaluate('${v}', { v: undefined })).to.equal(null);
    });

    it('should build a string from a composite template', () => {
      expect(evaluate('user-${id}', { id: 7 })).to.equal('user-7');
      expect(evaluate('${a}/${b}: ${c}', { a: 'x', b: null, c: true })).to.equal('x/: true');
    });

    it('should print dates and wrappers in composites as Camunda would', () => {
      expect(evaluate('at ${now()}')).to.equal('at Wed Jan 31 10:15:30 UTC 2024');
      expect(evaluate('due ${dateTime().plusHours(1)}')).to.equal('due 2024-01-31T11:15:30.000Z');
      expect(evaluate('json ${S(p)}', { p: { a: [1] } })).to.equal('json {"a":[1]}');
    });

    it('should return literal text as is, applying EL escapes', () => {
      const compiled = compileExpression('no \\${expression} here');
      expect(compiled.isLiteral).to.equal(true);
      expect(compiled.evaluate(contextOf({}))).to.equal('no ${expression} here');
      expect(compileExpression('${x}').isLiteral).to.equal(false);
    });

    it('should treat #{} and ${} the same', () => {
      expect(evaluate('#{a * 2}', { a: 4 })).to.equal(evaluate('${a * 2}', { a: 4 }));
      expect(evaluate('id-#{a}', { a: 4 })).to.equal('id-4');
    });
  });

  describe('operators end to end', () => {
    it('should follow EL precedence', () => {
      expect(evaluate('${1 + 2 * 3}')).to.equal(7);
      expect(evaluate('${!a && b}', { a: false, b: true })).to.equal(true);
      expect(evaluate('${a || b && c}', { a: true, b: false, c: false })).to.equal(true);
      expect(evaluate("${n > 10 ? 'big' : n > 5 ? 'medium' : 'small'}", { n: 7 })).to.equal('medium');
      expect(evaluate('${10 div 4 + 7 mod 3}')).to.equal(3.5);
    });

    it('should short-circuit so guarded navigation never fails', () => {
      expect(evaluate('${false && unknown.x}')).to.equal(false);
      expect(evaluate('${true || unknown.x}')).to.equal(true);
      expect(evaluate('${o != null && o.size() > 0}', { o: null })).to.equal(false);
    });

    it('should coerce logical operands: null is false and "true" is true', () => {
      expect(evaluate('${flag && "true"}', { flag: null })).to.equal(false);
      expect(evaluate('${flag || "TRUE"}', { flag: null })).to.equal(true);
    });

    it('should yield null through a null base and index', () => {
      expect(evaluate('${a.b.c}', { a: null })).to.equal(null);
      expect(evaluate('${a[k]}', { a: { x: 1 }, k: null })).to.equal(null);
      expect(evaluate('${empty a.b}', { a: null })).to.equal(true);
    });

    it('should compare numbers with numeric strings and negate values', () => {
      expect(evaluate("${amount == '1500'}", { amount: 1500 })).to.equal(true);
      expect(evaluate('${-a + 1}', { a: '2' })).to.equal(-1);
      expect(evaluate('${-n}', { n: null })).to.equal(0);
    });

    it('should call allow-listed methods on variables', () => {
      expect(evaluate("${name.toUpperCase().startsWith('AN')}", { name: 'anna' })).to.equal(true);
      expect(evaluate('${items.size() == 2 && items.get(1) == 2}', { items: [1, 2] })).to.equal(true);
      expect(evaluate("${order.containsKey('id')}", { order: { id: 1 } })).to.equal(true);
      expect(evaluate("${'a,b'.split(',')[1]}")).to.equal('b');
      expect(evaluate('${d.getTime()}', { d: new Date(42) })).to.equal(42);
      expect(evaluate('${(7 / 2).intValue()}')).to.equal(3);
    });

    it('should navigate Spin nodes', () => {
      const payload = '{"items":[{"id":"a"},{"id":"b"}],"flag":true}';
      expect(evaluate("${S(payload).prop('items').elements().get(1).prop('id').stringValue()}", { payload })).to.equal('b');
      expect(evaluate("${S(payload).prop('items').elements().size()}", { payload })).to.equal(2);
      expect(evaluate("${S(payload).hasProp('flag') and S(payload).prop('flag').boolValue()}", { payload })).to.equal(true);
    });
  });

  describe('the execution and task shims', () => {
    it('should call execution methods with arguments', () => {
      const variables: Record<string, unknown> = { a: 'A' };
      const execution = executionShim(variables);
      expect(evaluate("${execution.getVariable('a')}", {}, { execution })).to.equal('A');
      expect(evaluate("${execution.setVariable('b', 1 + 1)}", {}, { execution })).to.equal(null);
      expect(variables.b).to.equal(2);
      expect(evaluate("${execution.hasVariable('b')}", {}, { execution })).to.equal(true);
    });

    it('should map bean properties to getters on the execution', () => {
      const execution = executionShim({});
      expect(evaluate('${execution.activityId}-${execution.id}', {}, { execution })).to.equal('Task_Review-exec-1');
    });

    it('should bind execution ahead of a variable with the same name', () => {
      const execution = executionShim({});
      expect(evaluate('${execution.processInstanceId}', { execution: { processInstanceId: 'var' } }, { execution })).to.equal('pi-1');
    });

    it('should read task data properties and getters, including is-getters', () => {
      const task = { name: 'Review', getAssignee: () => 'kermit', isSuspended: () => false };
      expect(evaluate('${task.name} by ${task.assignee}', {}, { task })).to.equal('Review by kermit');
      expect(evaluate('${task.suspended}', {}, { task })).to.equal(false);
    });

    it('should refuse members a shim does not have, and Object internals', () => {
      const execution = executionShim({});
      expect(errorOf(() => evaluate('${execution.nothing}', {}, { execution })).message).to.equal(
        "Unknown property used in expression: ${execution.nothing}. Cause: Property 'nothing' not found on execution",
      );
      expect(errorOf(() => evaluate('${execution.toString()}', {}, { execution })).message).to.match(/Unknown method used/);
      expect(errorOf(() => evaluate('${execution.constructor}', {}, { execution })).message).to.match(/not accessible/);
    });

    it('should accept a class-based shim, reaching its prototype methods but not Object.prototype', () => {
      class ExecutionEntity implements ExecutionShim {
        getVariable(name: string): unknown {
          return name.toUpperCase();
        }
        setVariable(): void {}
        getProcessBusinessKey(): string {
          return 'bk';
        }
        getProcessInstanceId(): string {
          return 'pi';
        }
        getActivityId(): string {
          return 'act';
        }
        getId(): string {
          return 'id';
        }
        getProcessDefinitionId(): string {
          return 'pd';
        }
      }
      const execution = new ExecutionEntity();
      expect(evaluate("${execution.getVariable('x')}:${execution.processBusinessKey}", {}, { execution })).to.equal('X:bk');
      expect(errorOf(() => evaluate("${execution.hasOwnProperty('x')}", {}, { execution })).message).to.match(/Method 'hasOwnProperty' not found/);
    });

    it('should let engine errors raised by a shim pass through unchanged', () => {
      const execution = { ...executionShim({}), setVariable: () => { throw new OptimisticLockingError('changed'); } };
      expect(() => evaluate("${execution.setVariable('a', 1)}", {}, { execution })).to.throw(OptimisticLockingError);
    });
  });

  describe('errors', () => {
    it('should report an unknown identifier as Camunda does', () => {
      const error = errorOf(() => evaluate('${x > 5}'));
      expect(error.message).to.equal("Unknown property used in expression: ${x > 5}. Cause: Cannot resolve identifier 'x'");
      expect(error.expression).to.equal('${x > 5}');
      expect(error.status).to.equal(500);
      expect(error.type).to.equal('ProcessEngineException');
    });

    it('should throw syntax errors at compile time with the position', () => {
      const error = errorOf(() => compileExpression('${a +* b}'));
      expect(error.position).to.equal(5);
      expect(error.message).to.match(/syntax error at position 5, encountered '\*'/);
    });

    it('should reject unknown functions at compile time', () => {
      expect(errorOf(() => compileExpression('${currentUser()}')).message).to.match(/Could not resolve function 'currentUser'/);
      expect(errorOf(() => compileExpression('${now(1)}')).message).to.match(/does not take 1 argument/);
    });

    it('should refuse ${x.constructor} and ${a.__proto__}', () => {
      expect(errorOf(() => evaluate('${x.constructor}', { x: {} })).message).to.match(/Property 'constructor' is not accessible/);
      expect(errorOf(() => evaluate('${a.__proto__}', { a: 'text' })).message).to.match(/Property '__proto__' is not accessible/);
      expect(errorOf(() => evaluate("${a['constructor']}", { a: [] })).message).to.match(/not accessible/);
    });

    it('should name a method that is not allowed', () => {
      expect(errorOf(() => evaluate("${s.padStart(5, '0')}", { s: 'x' })).message).to.match(/Unknown method used in expression: .*Method 'padStart'/);
      expect(errorOf(() => evaluate('${o.hasOwnProperty("a")}', { o: { a: 1 } })).message).to.match(/Method 'hasOwnProperty'/);
    });

    it('should fail when calling a method on null', () => {
      expect(errorOf(() => evaluate('${s.length()}', { s: null })).message).to.match(/target unreachable/);
    });

    it('should wrap coercion failures as evaluation errors', () => {
      expect(errorOf(() => evaluate("${'abc' + 1}")).message).to.equal(
        "Error while evaluating expression: ${'abc' + 1}. Cause: Cannot coerce 'abc' of java.lang.String to a number",
      );
    });
  });

  describe('compileExpression caching and isExpression', () => {
    it('should return the same compilation for the same text', () => {
      expect(compileExpression('${a + 1}')).to.equal(compileExpression('${a + 1}'));
    });

    it('should detect both expression forms', () => {
      expect(isExpression('${a}')).to.equal(true);
      expect(isExpression('x #{a}')).to.equal(true);
      expect(isExpression('plain $ { text }')).to.equal(false);
    });
  });

  describe('evaluateCondition', () => {
    it('should return boolean results as they are', () => {
      expect(evaluateCondition('${amount > 1000}', contextOf({ amount: 1001 }))).to.equal(true);
    });

    it("should coerce 'true' and 'false' strings", () => {
      expect(evaluateCondition('${flag}', contextOf({ flag: 'TRUE' }))).to.equal(true);
      expect(evaluateCondition('false', contextOf({}))).to.equal(false);
    });

    it('should reject null and non-boolean results', () => {
      expect(errorOf(() => evaluateCondition('${v}', contextOf({ v: null }))).message).to.match(/returns null/);
      expect(errorOf(() => evaluateCondition('${v}', contextOf({ v: 1 }))).message).to.match(/returns non-Boolean/);
      expect(errorOf(() => evaluateCondition('${v}', contextOf({ v: 'yes' }))).message).to.match(/returns non-Boolean/);
    });
  });
});
