/** Decision tables: input expressions, rules, outputs, the seven hit policies and the COLLECT aggregators. */
import type { DmnModdleElement } from 'dmn-moddle';
import { fail, type DmnCompiler, type Evaluator, type Location, type Tester } from './dmn-compiler.js';
import type { Aggregation, DecisionLogic, DecisionTableAudit, HitPolicy } from './dmn-model.js';
import { feelEquals, type FeelVariables } from './feel-compiler.js';
import { roundNumber } from './feel-numbers.js';
import { coerceToTypeRef, describeValue, fromFeelValue } from './feel-values.js';

interface CompiledInput {
  readonly label: string;
  readonly typeRef: string | undefined;
  readonly evaluate: Evaluator;
}

interface CompiledOutput {
  /** The output's name; a single unnamed output takes the decision's variable name (DMN), as in the result list. */
  readonly name: string;
  readonly typeRef: string | undefined;
  /** Output values in priority order (PRIORITY, OUTPUT ORDER), empty when not given. */
  readonly priorities: readonly unknown[];
  readonly defaultValue: Evaluator | null;
}

interface CompiledRule {
  readonly index: number;
  readonly id: string | null;
  readonly tests: ReadonlyArray<Tester | null>;
  readonly outputs: readonly Evaluator[];
  /** Per output: the entry is empty. Camunda leaves such an output out of the rule's result (its DMN value is null). */
  readonly blank: readonly boolean[];
}

interface MatchedRule {
  readonly rule: CompiledRule;
  readonly outputs: unknown[];
}

/** A hit policy's result, with the rules it chose and a COLLECT aggregate (for the evaluation's history). */
interface HitPolicyOutcome {
  value: unknown;
  resultList: Array<Record<string, unknown>>;
  rules?: readonly MatchedRule[];
  collectResultValue?: unknown;
}

const HIT_POLICIES: Record<string, HitPolicy> = {
  UNIQUE: 'UNIQUE', ANY: 'ANY', FIRST: 'FIRST', PRIORITY: 'PRIORITY', RULE_ORDER: 'RULE ORDER', 'RULE ORDER': 'RULE ORDER',
  OUTPUT_ORDER: 'OUTPUT ORDER', 'OUTPUT ORDER': 'OUTPUT ORDER', COLLECT: 'COLLECT',
};

/** Compiles a `dmn:DecisionTable`; every problem goes to `compiler.problems`. */
export function compileDecisionTable(
  compiler: DmnCompiler,
  table: DmnModdleElement,
  scope: ReadonlySet<string>,
  decisionLabel: string,
  decisionKey: string,
  variableName: string,
): DecisionLogic {
  const where = (detail: string, elementId: string | null): Location => ({
    decisionKey,
    description: `${decisionLabel} (${detail})`,
    elementId: elementId ?? table.id ?? null,
  });
  const hitPolicy = HIT_POLICIES[String(table.hitPolicy ?? 'UNIQUE')];
  if (!hitPolicy) compiler.problem(`${decisionLabel}: unknown hit policy '${String(table.hitPolicy)}'`, table.id ?? null);
  const aggregation = (table.aggregation as Aggregation | undefined) ?? null;
  if (aggregation && hitPolicy !== 'COLLECT') compiler.problem(`${decisionLabel}: aggregation ${aggregation} needs the COLLECT hit policy`, table.id ?? null);

  const inputClauses = (table.input as DmnModdleElement[] | undefined) ?? [];
  const outputClauses = (table.output as DmnModdleElement[] | undefined) ?? [];
  if (outputClauses.length === 0) compiler.problem(`${decisionLabel}: a decision table needs at least one output`, table.id ?? null);
  if (aggregation && outputClauses.length > 1) compiler.problem(`${decisionLabel}: aggregation ${aggregation} needs exactly one output`, table.id ?? null);

  const inputs: CompiledInput[] = inputClauses.map((clause, i) => {
    const expression = clause.inputExpression as DmnModdleElement | undefined;
    const text = String(expression?.text ?? '');
    const label = String(clause.label ?? text);
    const at = where(`input ${i + 1} '${label}'`, clause.id ?? null);
    // Camunda evaluates a missing or empty input expression to null, which the input entries then test.
    const evaluate = text.trim() === '' ? () => null : compiler.expression(text, expression?.expressionLanguage as string | undefined, scope, at);
    return { label, typeRef: expression?.typeRef as string | undefined, evaluate };
  });

  const outputs: CompiledOutput[] = outputClauses.map((clause, i) => {
    const name = (clause.name as string | undefined) || (outputClauses.length === 1 ? variableName : `output${i + 1}`);
    if (!clause.name && outputClauses.length > 1) compiler.problem(`${decisionLabel}: output ${i + 1} has no name; a table with several outputs must name them`, clause.id ?? null);
    const at = where(`output '${name}'`, clause.id ?? null);
    const defaultEntry = clause.defaultOutputEntry as DmnModdleElement | undefined;
    const priorities = outputValues(compiler, clause, scope, at);
    return {
      name,
      typeRef: clause.typeRef as string | undefined,
      priorities,
      defaultValue: defaultEntry?.text ? compiler.expression(String(defaultEntry.text), defaultEntry.expressionLanguage as string | undefined, scope, where(`default output '${name}'`, defaultEntry.id ?? clause.id ?? null)) : null,
    };
  });
  if ((hitPolicy === 'PRIORITY' || hitPolicy === 'OUTPUT ORDER') && outputs.every((o) => o.priorities.length === 0)) {
    compiler.problem(`${decisionLabel}: hit policy ${hitPolicy} needs output values that give the priority order`, table.id ?? null);
  }

  // Filled by the compiler's `finish`, before the model is returned and anything can evaluate it.
  const rules: CompiledRule[] = [];
  compiler.later((table.rule as DmnModdleElement[] | undefined) ?? [], (rule, r) => {
    const ruleLabel = `rule ${r + 1}${rule.id ? ` '${rule.id}'` : ''}`;
    const entries = (rule.inputEntry as DmnModdleElement[] | undefined) ?? [];
    const outputEntries = (rule.outputEntry as DmnModdleElement[] | undefined) ?? [];
    if (entries.length !== inputs.length) compiler.problem(`${decisionLabel} (${ruleLabel}): ${entries.length} input entries for ${inputs.length} inputs`, rule.id ?? null);
    if (outputEntries.length !== outputs.length) compiler.problem(`${decisionLabel} (${ruleLabel}): ${outputEntries.length} output entries for ${outputs.length} outputs`, rule.id ?? null);
    const tests = entries.map((entry, i) => {
      const clause = inputClauses[i];
      const text = String(entry.text ?? '');
      const at = where(`${ruleLabel}, input '${inputs[i]?.label ?? i + 1}', entry '${text}'`, entry.id ?? rule.id ?? null);
      return compiler.unaryTests(text, entry.expressionLanguage as string | undefined, scope, clause?.inputVariable as string | undefined, at);
    });
    const blank = outputEntries.map((entry) => String(entry.text ?? '').trim() === '');
    const ruleOutputs = outputEntries.map((entry, i) => {
      const at = where(`${ruleLabel}, output '${outputs[i]?.name ?? i + 1}'`, entry.id ?? rule.id ?? null);
      return blank[i] ? () => null : compiler.expression(String(entry.text), entry.expressionLanguage as string | undefined, scope, at);
    });
    rules.push({ index: r + 1, id: rule.id ?? null, tests, outputs: ruleOutputs, blank });
  });

  const evaluateTable = (variables: FeelVariables, rawInputs: Readonly<Record<string, unknown>>) => {
    const values = inputs.map((input, i) => {
      const value = input.evaluate(variables, rawInputs);
      const checked = coerceToTypeRef(value, input.typeRef, true);
      if (!checked.ok) throw fail(where(`input ${i + 1} '${input.label}'`, null), `wrong input type: ${checked.reason}`);
      return checked.value;
    });
    const matched: MatchedRule[] = [];
    for (const rule of rules) {
      if (!matches(rule, values, variables, rawInputs)) continue;
      matched.push({ rule, outputs: ruleOutputs(rule, variables, rawInputs) });
      if (hitPolicy === 'FIRST') break;
    }
    const { value, resultList, rules: chosen = [], collectResultValue = null } = applyHitPolicy(matched, variables, rawInputs);
    return { value, resultList, audit: auditOf(values, chosen, collectResultValue) };
  };

  const auditOf = (values: readonly unknown[], chosen: readonly MatchedRule[], collectResultValue: unknown): DecisionTableAudit => ({
    inputs: inputs.map((input, i) => ({ clauseId: inputClauses[i].id ?? null, clauseName: (inputClauses[i].label as string | undefined) ?? null, value: fromFeelValue(values[i]) })),
    // Camunda numbers the matched rules in the order the hit policy returns them, from 1.
    outputs: chosen.flatMap((row, order) => outputs.map((output, i) => ({
      clauseId: outputClauses[i].id ?? null,
      clauseName: (outputClauses[i].label as string | undefined) ?? null,
      ruleId: row.rule.id,
      ruleOrder: order + 1,
      variableName: output.name,
      value: fromFeelValue(row.outputs[i]),
    }))),
    collectResultValue: typeof collectResultValue === 'number' ? collectResultValue : null,
    executedDecisionElements: (inputs.length + outputs.length) * rules.length,
  });

  const matches = (rule: CompiledRule, values: unknown[], variables: FeelVariables, rawInputs: Readonly<Record<string, unknown>>): boolean => {
    for (let i = 0; i < rule.tests.length; i++) {
      const test = rule.tests[i];
      if (test !== null && !test(variables, rawInputs, values[i])) return false;
    }
    return true;
  };

  const ruleOutputs = (rule: CompiledRule, variables: FeelVariables, rawInputs: Readonly<Record<string, unknown>>): unknown[] =>
    rule.outputs.map((evaluate, i) => {
      const output = outputs[i];
      const checked = coerceToTypeRef(evaluate(variables, rawInputs), output.typeRef, true);
      if (!checked.ok) throw fail(where(`rule ${rule.index}${rule.id ? ` '${rule.id}'` : ''}, output '${output.name}'`, null), `wrong output type: ${checked.reason}`);
      return checked.value;
    });

  const toEntry = (values: readonly unknown[]): Record<string, unknown> => {
    const entry: Record<string, unknown> = {};
    outputs.forEach((output, i) => { entry[output.name] = values[i]; });
    return entry;
  };
  // DMN: a single output is the value itself, several outputs form a context.
  const toValue = (values: readonly unknown[]): unknown => (outputs.length === 1 ? values[0] : toEntry(values));
  const toList = (rows: readonly MatchedRule[]) => rows.map((row) => {
    const entry: Record<string, unknown> = {};
    outputs.forEach((output, i) => { if (!row.rule.blank[i]) entry[output.name] = row.outputs[i]; });
    return toJs(entry);
  });

  const applyHitPolicy = (matched: MatchedRule[], variables: FeelVariables, rawInputs: Readonly<Record<string, unknown>>): HitPolicyOutcome => {
    if (matched.length === 0) {
      if (aggregation === 'COUNT') return { value: 0, resultList: [{ [outputs[0].name]: 0 }] };
      if (outputs.some((o) => o.defaultValue !== null)) {
        const defaults = outputs.map((o) => (o.defaultValue ? o.defaultValue(variables, rawInputs) : null));
        return { value: isSingleHit(hitPolicy) || aggregation ? toValue(defaults) : [toValue(defaults)], resultList: [toJs(toEntry(defaults))] };
      }
      return { value: isSingleHit(hitPolicy) || aggregation ? null : [], resultList: [] };
    }
    switch (hitPolicy) {
      case 'UNIQUE':
        if (matched.length > 1) {
          throw fail(where(`hit policy UNIQUE`, null), `${matched.length} rules match (${matched.map(ruleName).join(', ')}) but the UNIQUE hit policy allows only one`);
        }
        return single(matched[0]);
      case 'ANY': {
        const first = matched[0];
        const differing = matched.find((row) => !row.outputs.every((value, i) => sameValue(value, first.outputs[i])));
        if (differing) {
          throw fail(where('hit policy ANY', null), `rules ${ruleName(first)} and ${ruleName(differing)} match with different outputs (${describeValue(toEntry(first.outputs))} and ${describeValue(toEntry(differing.outputs))}) but the ANY hit policy requires equal outputs`);
        }
        return single(first);
      }
      case 'FIRST':
        return single(matched[0]);
      case 'PRIORITY':
        return single(sortByPriority(matched)[0]);
      case 'OUTPUT ORDER':
        return many(sortByPriority(matched));
      case 'RULE ORDER':
        return many(matched);
      default:
        return aggregation ? aggregate(matched, aggregation) : many(matched);
    }
  };

  const single = (row: MatchedRule) => ({ value: toValue(row.outputs), resultList: toList([row]), rules: [row] });
  const many = (rows: MatchedRule[]) => ({ value: rows.map((row) => toValue(row.outputs)), resultList: toList(rows), rules: rows });

  const sortByPriority = (rows: MatchedRule[]): MatchedRule[] => {
    const rank = (row: MatchedRule) => outputs.map((output, i) => {
      const index = output.priorities.findIndex((p) => feelEquals(p, row.outputs[i]));
      return index < 0 ? output.priorities.length : index;
    });
    const ranked = rows.map((row) => ({ row, rank: rank(row) }));
    // Array.prototype.sort is stable, so rules of equal priority keep their order.
    ranked.sort((a, b) => {
      for (let i = 0; i < a.rank.length; i++) if (a.rank[i] !== b.rank[i]) return a.rank[i] - b.rank[i];
      return 0;
    });
    return ranked.map((r) => r.row);
  };

  const aggregate = (rows: MatchedRule[], kind: Aggregation) => {
    const name = outputs[0].name;
    // Camunda counts every matched rule; SUM, MIN and MAX ignore null outputs.
    const values = rows.map((row) => row.outputs[0]);
    let value: unknown;
    if (kind === 'COUNT') {
      value = values.length;
    } else {
      const present = values.filter((v) => v !== null);
      if (present.some((v) => typeof v !== 'number')) {
        throw fail(where(`hit policy COLLECT ${kind}`, null), `aggregation ${kind} needs numbers but got ${present.map(describeValue).join(', ')}`);
      }
      const numbers = present as number[];
      if (numbers.length === 0) value = null;
      else if (kind === 'SUM') value = roundNumber(numbers.reduce((a, b) => a + b, 0));
      else value = kind === 'MIN' ? Math.min(...numbers) : Math.max(...numbers);
    }
    return { value, resultList: [{ [name]: toJs(value) }], rules: rows, collectResultValue: value };
  };

  return {
    multiHit: hitPolicy === 'RULE ORDER' || hitPolicy === 'OUTPUT ORDER' || (hitPolicy === 'COLLECT' && !aggregation),
    evaluate: evaluateTable,
  };
}

function isSingleHit(policy: HitPolicy | undefined): boolean {
  return policy === undefined || policy === 'UNIQUE' || policy === 'ANY' || policy === 'FIRST' || policy === 'PRIORITY';
}

function ruleName(row: MatchedRule): string {
  return `${row.rule.index}${row.rule.id ? ` '${row.rule.id}'` : ''}`;
}

function sameValue(a: unknown, b: unknown): boolean {
  return feelEquals(a, b) || (a === null && b === null);
}

function toJs(value: unknown): Record<string, unknown> {
  return fromFeelValue(value) as Record<string, unknown>;
}

/** The output values (`"high","medium","low"`) of an output clause, in order; they give PRIORITY/OUTPUT ORDER ranks. */
function outputValues(compiler: DmnCompiler, clause: DmnModdleElement, scope: ReadonlySet<string>, at: Location): unknown[] {
  const text = (clause.outputValues as DmnModdleElement | undefined)?.text;
  if (typeof text !== 'string' || text.trim() === '') return [];
  const before = compiler.problems.length;
  // Always FEEL: output values are DMN unary tests, whatever language the file declares for expressions.
  const evaluate = compiler.expression(`[${text}]`, 'feel', scope, at);
  if (compiler.problems.length > before) return [];
  try {
    const values = evaluate({}, {});
    return Array.isArray(values) ? values : [];
  } catch (error) {
    compiler.problem(`${at.description}: output values '${text}' must be literal values (${(error as Error).message})`, at.elementId);
    return [];
  }
}
