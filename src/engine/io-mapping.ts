/** Camunda input/output mappings: parameters as text, JUEL, camunda:list, camunda:map or scripts. */
import { ProcessEngineError } from '../core/errors.js';
import { compileExpression, type ExpressionContext } from '../expressions/index.js';
import { runScript, type ScriptOptions } from './script-runner.js';

interface ParameterDefinition {
  $type: string;
  value?: string;
  items?: ParameterDefinition[];
  entries?: Array<{ key: string; value?: string; definition?: ParameterDefinition }>;
  scriptFormat?: string;
}

interface Parameter {
  name: string;
  value?: string;
  definition?: ParameterDefinition;
}

interface InputOutput {
  $type: 'camunda:InputOutput';
  inputParameters?: Parameter[];
  outputParameters?: Parameter[];
}

export interface MappingEvaluation {
  expressions: ExpressionContext;
  variables: Record<string, unknown>;
  scripts: ScriptOptions;
  where: string;
}

export function inputOutputOf(behaviour: Record<string, unknown>): InputOutput | undefined {
  const extensions = behaviour.extensionElements as { values?: Array<{ $type: string }> } | undefined;
  return extensions?.values?.find((value): value is InputOutput => value.$type === 'camunda:InputOutput');
}

function valueOf(text: string | undefined, evaluation: MappingEvaluation): unknown {
  if (text === undefined) return null;
  try {
    return compileExpression(text).evaluate(evaluation.expressions);
  } catch (thrown) {
    throw new ProcessEngineError(`${evaluation.where}: cannot evaluate '${text}': ${thrown instanceof Error ? thrown.message : String(thrown)}`, { cause: thrown });
  }
}

function definitionValue(definition: ParameterDefinition, evaluation: MappingEvaluation): unknown {
  switch (definition.$type) {
    case 'camunda:List':
      return (definition.items ?? []).map((item) => definitionValue(item, evaluation));
    case 'camunda:Map':
      return Object.fromEntries((definition.entries ?? []).map((entry) => [entry.key, entry.definition ? definitionValue(entry.definition, evaluation) : valueOf(entry.value, evaluation)]));
    case 'camunda:Script':
      return runScript(definition.scriptFormat, definition.value ?? '', { variables: evaluation.variables, execution: evaluation.expressions.execution }, evaluation.scripts, evaluation.where);
    default:
      return valueOf(definition.value, evaluation);
  }
}

function parameterValue(parameter: Parameter, evaluation: MappingEvaluation): unknown {
  return parameter.definition ? definitionValue(parameter.definition, evaluation) : valueOf(parameter.value, evaluation);
}

/** Evaluates the parameters in order; later ones see earlier ones (they are set one by one, as in Camunda). */
export function evaluateParameters(parameters: Parameter[] | undefined, evaluation: MappingEvaluation, assign: (name: string, value: unknown) => void): void {
  for (const parameter of parameters ?? []) assign(parameter.name, parameterValue({ ...parameter }, { ...evaluation, where: `${evaluation.where} parameter '${parameter.name}'` }));
}
