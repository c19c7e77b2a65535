/** Walks a parsed JUEL template against an expression context, with EL's coercion and null rules. */
import { CamundaError } from '../core/errors.js';
import { acceptsArity } from './el-object.js';
import type { ExpressionContext } from './expression-context.js';
import { ExpressionError, MethodNotFoundError, PropertyNotFoundError } from './expression-error.js';
import type { JuelNode, JuelTemplate } from './juel-ast.js';
import { JUEL_BUILTINS } from './juel-builtins.js';
import {
  coerceToBoolean,
  coerceToString,
  elArithmetic,
  elCompare,
  elEquals,
  elNegate,
  isArithmetic,
  isEmptyValue,
  isNull,
} from './juel-coercions.js';
import { getShimProperty, getValueProperty, invokeShimMethod, invokeValueMethod } from './juel-methods.js';
import { SpinJsonNode, toPlainJson } from './spin-json-node.js';

/**
 * Evaluates a template: a lone `${…}` yields its raw value, anything else the concatenated text.
 * Failures surface as ExpressionError with Camunda's message prefixes; errors the shims raise pass through untouched.
 */
export function evaluateTemplate(template: JuelTemplate, ctx: ExpressionContext): unknown {
  const { parts } = template;
  try {
    if (parts.length === 1 && parts[0].kind === 'eval') return normalize(SpinJsonNode.unwrapVariableView(evaluateNode(parts[0].expression, ctx)));
    let text = '';
    for (const part of parts) text += part.kind === 'text' ? part.text : coerceToString(evaluateNode(part.expression, ctx));
    return text;
  } catch (error) {
    throw translateError(template.source, error);
  }
}

/** Rejects unknown functions and wrong argument counts up front, as JUEL does when it binds an expression. */
export function checkFunctions(template: JuelTemplate): void {
  const visit = (node: JuelNode): void => {
    switch (node.kind) {
      case 'functionCall': {
        const builtin = JUEL_BUILTINS.get(node.name);
        if (builtin === undefined) {
          throw new ExpressionError(template.source, `Error parsing '${template.source}': Could not resolve function '${node.name}'`, {
            position: node.pos,
          });
        }
        if (!acceptsArity(builtin.arity, node.args.length)) {
          throw new ExpressionError(
            template.source,
            `Error parsing '${template.source}': function '${node.name}' does not take ${node.args.length} argument(s)`,
            { position: node.pos },
          );
        }
        node.args.forEach(visit);
        return;
      }
      case 'methodCall':
        visit(node.object);
        node.args.forEach(visit);
        return;
      case 'property':
        visit(node.object);
        visit(node.property);
        return;
      case 'unary':
        visit(node.operand);
        return;
      case 'binary':
        visit(node.left);
        visit(node.right);
        return;
      case 'conditional':
        visit(node.test);
        visit(node.consequent);
        visit(node.alternate);
        return;
      case 'literal':
      case 'identifier':
        return;
    }
  };
  for (const part of template.parts) if (part.kind === 'eval') visit(part.expression);
}

function evaluateNode(node: JuelNode, ctx: ExpressionContext): unknown {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'identifier':
      return resolveIdentifier(node.name, ctx);
    case 'property': {
      const base = evaluateNode(node.object, ctx);
      if (isNull(base)) return null;
      const key = evaluateNode(node.property, ctx);
      if (isNull(key)) return null;
      const shim = shimName(base, ctx);
      return normalize(shim === undefined ? getValueProperty(base, key) : fromHost(getShimProperty(base as object, shim, coerceToString(key)), ctx));
    }
    case 'methodCall': {
      const base = evaluateNode(node.object, ctx);
      if (isNull(base)) {
        throw new PropertyNotFoundError(`Cannot call method '${node.method}': target unreachable, base expression resolved to null`);
      }
      const args = node.args.map((arg) => evaluateNode(arg, ctx));
      const shim = shimName(base, ctx);
      if (shim === undefined) return normalize(invokeValueMethod(base, node.method, args));
      // Shims are host code: they take plain values (a node set as a variable is the JSON it holds) and give variables back.
      return normalize(fromHost(invokeShimMethod(base as object, shim, node.method, args.map(toPlainJson)), ctx));
    }
    case 'functionCall': {
      // checkFunctions ran at compile time, so the lookup cannot miss.
      const builtin = JUEL_BUILTINS.get(node.name)!;
      return builtin.call(
        node.args.map((arg) => evaluateNode(arg, ctx)),
        ctx.clock,
      );
    }
    case 'unary': {
      const operand = evaluateNode(node.operand, ctx);
      switch (node.operator) {
        case '-':
          return elNegate(operand);
        case '!':
          return !coerceToBoolean(operand);
        case 'empty':
          return isEmptyValue(operand);
      }
      break;
    }
    case 'binary': {
      const { operator } = node;
      // Logical operators short-circuit, so the right side may rely on the left, e.g. `x != null && x.y`.
      if (operator === '&&') return coerceToBoolean(evaluateNode(node.left, ctx)) && coerceToBoolean(evaluateNode(node.right, ctx));
      if (operator === '||') return coerceToBoolean(evaluateNode(node.left, ctx)) || coerceToBoolean(evaluateNode(node.right, ctx));
      const left = evaluateNode(node.left, ctx);
      const right = evaluateNode(node.right, ctx);
      if (operator === '==') return elEquals(left, right);
      if (operator === '!=') return !elEquals(left, right);
      if (isArithmetic(operator)) return elArithmetic(operator, left, right);
      return elCompare(operator, left, right);
    }
    case 'conditional':
      return coerceToBoolean(evaluateNode(node.test, ctx)) ? evaluateNode(node.consequent, ctx) : evaluateNode(node.alternate, ctx);
  }
}

/** `execution` and `task` bind to the shims first, as Camunda's VariableScopeElResolver does, then variables. */
function resolveIdentifier(name: string, ctx: ExpressionContext): unknown {
  if (name === 'execution' && ctx.execution !== undefined) return ctx.execution;
  if (name === 'task' && ctx.task !== undefined) return ctx.task;
  const result = ctx.resolve(name);
  if (!result.found) throw new PropertyNotFoundError(`Cannot resolve identifier '${name}'`);
  return normalize(SpinJsonNode.ofVariable(result.value));
}

/**
 * Variables reach expressions as Camunda hands them over: an object or array (a Json variable) as a Spin JSON node.
 * The shims themselves stay as they are, so `task.getExecution()` is still the execution.
 */
function fromHost(value: unknown, ctx: ExpressionContext): unknown {
  if (value === ctx.execution || value === ctx.task) return value;
  return SpinJsonNode.ofVariable(value);
}

/** Shims are recognised by identity, so only the objects the caller handed over get their wider method access. */
function shimName(value: unknown, ctx: ExpressionContext): string | undefined {
  if (ctx.execution !== undefined && value === ctx.execution) return 'execution';
  if (ctx.task !== undefined && value === ctx.task) return 'task';
  return undefined;
}

function normalize(value: unknown): unknown {
  return value === undefined ? null : value;
}

/** Camunda's JuelExpression wraps EL failures with these prefixes; its engine exceptions propagate as they are. */
function translateError(source: string, error: unknown): Error {
  if (error instanceof CamundaError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof PropertyNotFoundError) {
    return new ExpressionError(source, `Unknown property used in expression: ${source}. Cause: ${message}`, { cause: error });
  }
  if (error instanceof MethodNotFoundError) {
    return new ExpressionError(source, `Unknown method used in expression: ${source}. Cause: ${message}`, { cause: error });
  }
  return new ExpressionError(source, `Error while evaluating expression: ${source}. Cause: ${message}`, { cause: error });
}
