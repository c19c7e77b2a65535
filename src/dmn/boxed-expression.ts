/** Boxed expressions other than decision tables: literal expressions, contexts, invocations, lists, relations, functions. */
import type { DmnModdleElement } from 'dmn-moddle';
import { FeelFunction } from 'feelin';
import { fail, type DmnCompiler, type Evaluator, type Location } from './dmn-compiler.js';
import { compileDecisionTable } from './decision-table.js';
import { describeValue } from './feel-values.js';

/** Compiles any boxed expression to an evaluator of its DMN value; an unsupported kind refuses its decision. */
export function compileBoxedExpression(compiler: DmnCompiler, expression: DmnModdleElement | undefined, scope: ReadonlySet<string>, where: Location): Evaluator {
  if (!expression) {
    // Camunda 7 ignores a decision whose logic it cannot read; here only that decision refuses evaluation.
    compiler.unsupportedConstruct(where, `${where.description} has no expression to evaluate`);
    return () => null;
  }
  const at = (detail: string, element: DmnModdleElement): Location => ({
    decisionKey: where.decisionKey,
    description: `${where.description}, ${detail}`,
    elementId: element.id ?? where.elementId,
  });
  switch (expression.$type) {
    case 'dmn:LiteralExpression': {
      const text = String(expression.text ?? '');
      if (text.trim() === '') return () => null;
      return compiler.expression(text, expression.expressionLanguage as string | undefined, scope, { ...where, elementId: expression.id ?? where.elementId });
    }
    case 'dmn:DecisionTable': {
      const logic = compileDecisionTable(compiler, expression, scope, where.description, where.decisionKey, where.description);
      return (variables, inputs) => logic.evaluate(variables, inputs).value;
    }
    case 'dmn:Context':
      return compileContext(compiler, expression, scope, where, at);
    case 'dmn:Invocation':
      return compileInvocation(compiler, expression, scope, where, at);
    case 'dmn:List': {
      const items = ((expression.elements as DmnModdleElement[] | undefined) ?? []).map((item, i) => compileBoxedExpression(compiler, item, scope, at(`item ${i + 1}`, item)));
      return (variables, inputs) => items.map((item) => item(variables, inputs));
    }
    case 'dmn:Relation': {
      const columns = ((expression.column as DmnModdleElement[] | undefined) ?? []).map((c) => String(c.name ?? ''));
      const rows = ((expression.row as DmnModdleElement[] | undefined) ?? []).map((row, r) =>
        ((row.elements as DmnModdleElement[] | undefined) ?? []).map((cell, c) => compileBoxedExpression(compiler, cell, scope, at(`row ${r + 1} column '${columns[c]}'`, cell))));
      return (variables, inputs) => rows.map((cells) => Object.fromEntries(cells.map((cell, c) => [columns[c], cell(variables, inputs)])));
    }
    case 'dmn:FunctionDefinition':
      return compileFunctionDefinition(compiler, expression, scope, where);
    default:
      compiler.unsupportedConstruct(where, `${where.description} uses a ${expression.$type.replace('dmn:', '')} expression, which this engine cannot evaluate`);
      return () => null;
  }
}

/** A `dmn:FunctionDefinition` (the logic of a BKM, or a context entry) as a FeelFunction closing over its scope. */
export function compileFunctionDefinition(compiler: DmnCompiler, definition: DmnModdleElement, scope: ReadonlySet<string>, where: Location): Evaluator {
  const kind = String(definition.kind ?? 'FEEL');
  if (kind !== 'FEEL') compiler.unsupportedConstruct(where, `${where.description} defines a ${kind} function, which this engine cannot run (only FEEL functions)`);
  const parameters = ((definition.formalParameter as DmnModdleElement[] | undefined) ?? []).map((p) => String(p.name ?? ''));
  const body = compileBoxedExpression(compiler, definition.body as DmnModdleElement | undefined, new Set([...scope, ...parameters]), where);
  return (variables, inputs) => new FeelFunction((...args: unknown[]) => {
    const bound: Record<string, unknown> = { ...variables };
    parameters.forEach((name, i) => { bound[name] = args[i] ?? null; });
    return body(bound, inputs);
  }, parameters);
}

function compileContext(compiler: DmnCompiler, context: DmnModdleElement, scope: ReadonlySet<string>, where: Location, at: (detail: string, e: DmnModdleElement) => Location): Evaluator {
  const known = new Set(scope);
  const entries = ((context.contextEntry as DmnModdleElement[] | undefined) ?? []).map((entry, i) => {
    const variable = entry.variable as DmnModdleElement | undefined;
    const name = variable?.name ? String(variable.name) : null;
    const value = compileBoxedExpression(compiler, entry.value as DmnModdleElement | undefined, new Set(known), at(`context entry '${name ?? i + 1}'`, entry));
    if (name) known.add(name);
    return { name, value };
  });
  return (variables, inputs) => {
    // Each entry sees the ones before it; a final entry without a variable is the context's result.
    let scoped: Record<string, unknown> = { ...variables };
    const result: Record<string, unknown> = {};
    for (const entry of entries) {
      const value = entry.value(scoped, inputs);
      if (entry.name === null) return value;
      result[entry.name] = value;
      scoped = { ...scoped, [entry.name]: value };
    }
    return result;
  };
}

function compileInvocation(compiler: DmnCompiler, invocation: DmnModdleElement, scope: ReadonlySet<string>, where: Location, at: (detail: string, e: DmnModdleElement) => Location): Evaluator {
  const called = invocation.calledFunction as DmnModdleElement | undefined;
  const target = compileBoxedExpression(compiler, called, scope, at('invoked function', called ?? invocation));
  const bindings = ((invocation.binding as DmnModdleElement[] | undefined) ?? []).map((binding) => {
    const name = String((binding.parameter as DmnModdleElement | undefined)?.name ?? '');
    const formula = binding.bindingFormula as DmnModdleElement | undefined;
    return { name, value: formula ? compileBoxedExpression(compiler, formula, scope, at(`binding '${name}'`, formula)) : () => null };
  });
  return (variables, inputs) => {
    const fn = target(variables, inputs);
    if (!(fn instanceof FeelFunction)) throw fail(where, `invoked '${String(called?.text ?? '')}' is not a function but '${describeValue(fn)}'`);
    const args: Record<string, unknown> = {};
    for (const binding of bindings) args[binding.name] = binding.value(variables, inputs);
    const result = fn.invoke(args);
    if (isInvocationFailure(result)) throw fail(where, `invocation of '${String(called?.text ?? '')}' failed: parameters ${Object.keys(args).join(', ')} do not match ${fn.parameterNames.join(', ')}`);
    return result;
  };
}

/** feelin signals a parameter mismatch with an InvocationFailure object, which it does not export. */
function isInvocationFailure(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'warning' in value && 'template' in value;
}
