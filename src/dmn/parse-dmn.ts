/** Parses a DMN resource once: reads the XML (DMN 1.1–1.5), checks the graph, and compiles every expression. */
import { createRequire } from 'node:module';
import { migrateDiagram } from '@bpmn-io/dmn-migrate';
import { DmnModdle, type DmnModdleElement } from 'dmn-moddle';
import type { FeelFunction } from 'feelin';
import { ParseError } from '../core/errors.js';
import { compileBoxedExpression, compileFunctionDefinition } from './boxed-expression.js';
import { compileDecisionTable } from './decision-table.js';
import { DmnCompiler, fail, unsupportedError, type ParseProblem } from './dmn-compiler.js';
import type { DecisionLogic, DecisionLogicKind, DmnDecision, DmnInputData, DmnKnowledgeModel, DmnModel } from './dmn-model.js';
import { coerceToTypeRef, fromFeelValue } from './feel-values.js';

const require = createRequire(import.meta.url);
const camundaDmnModdle: object = require('camunda-dmn-moddle/resources/camunda.json');

const DMN13 = 'https://www.omg.org/spec/DMN/20191111/MODEL/';
const DMN13_DI = 'https://www.omg.org/spec/DMN/20191111/DMNDI/';
/** DMN 1.4 and 1.5 only add to 1.3; every element dmn-moddle knows keeps its meaning, so renaming the namespace suffices. */
const NEWER_NAMESPACES: ReadonlyArray<[RegExp, string]> = [
  [/https:\/\/www\.omg\.org\/spec\/DMN\/(20211108|20230324)\/MODEL\//g, DMN13],
  [/https:\/\/www\.omg\.org\/spec\/DMN\/(20211108|20230324)\/DMNDI\//g, DMN13_DI],
];
const DMN11 = 'http://www.omg.org/spec/DMN/20151101/dmn.xsd';
/** Camunda 7 also reads DMN 1.1 under this namespace (DmnModelConstants.DMN11_ALTERNATIVE_NS). */
const DMN11_ALTERNATIVE = /"http:\/\/www\.omg\.org\/spec\/DMN\/20151101\/dmn11\.xsd"/g;
const OLDER_NAMESPACES = [DMN11, 'http://www.omg.org/spec/DMN/20180521/MODEL/'];

/** Internal: a BKM with its compiled function, bound under its name for the decisions that require it. */
export interface CompiledKnowledgeModel extends DmnKnowledgeModel {
  readonly fn: FeelFunction;
  readonly requiredKnowledge: readonly string[];
}

const PARSE_MESSAGE_PREFIX = 'DMN-02004 Unable to parse DMN resource.';

/** The ParseError of a DMN resource, shaped like the BPMN parser's: one line per problem, details per resource. */
export function dmnParseError(resourceName: string, problems: ParseProblem[]): ParseError {
  const lines = problems.map((p) => `* ${p.message} | resource ${resourceName}${p.mainElementId ? ` | element ${p.mainElementId}` : ''} | line ${p.line} | column ${p.column}`);
  return new ParseError(`${PARSE_MESSAGE_PREFIX} Errors: \n${lines.join('\n')}`, { [resourceName]: { errors: problems, warnings: [] } });
}

export interface DmnParseOptions {
  /** Run `expressionLanguage="javascript"` in node:vm (JAVASCRIPT_SCRIPTS=true); off, the decisions using it refuse evaluation. */
  readonly javascript: boolean;
}

/** A DMN resource read into plain data (elements as objects with their `$type`), which a worker thread can hand over. */
export interface DmnDocument {
  readonly definitions: DmnModdleElement;
  readonly warnings: readonly string[];
  /** Problems found while reading (unresolved references); compiling adds its own. */
  readonly problems: readonly ParseProblem[];
}

/** Reads a resource into a DmnDocument: `readDmnDocument` itself, or the same on a worker thread. */
export type DmnReader = (xml: string, resourceName: string) => Promise<DmnDocument>;

/** Parses and compiles `xml`; throws a ParseError listing every problem, so nothing is ever half-parsed. */
export async function parseDmn(xml: string, resourceName: string, options: DmnParseOptions = { javascript: false }, read: DmnReader = readDmnDocument): Promise<DmnModel> {
  const document = await read(xml, resourceName);
  const compiler = new DmnCompiler(xml, options.javascript);
  compiler.problems.push(...document.problems);
  const model = await buildModel(compiler, document.definitions, resourceName, [...document.warnings]);
  // Rules compile after the rest of their decision: list the problems in the order of the file.
  const inFileOrder = [...compiler.problems].sort((a, b) => a.line - b.line || a.column - b.column);
  if (inFileOrder.length > 0) throw dmnParseError(resourceName, inFileOrder);
  return model;
}

/** Reads the XML (DMN 1.1–1.5) with dmn-moddle; throws a ParseError when it is no DMN at all. */
export async function readDmnDocument(xml: string, resourceName: string): Promise<DmnDocument> {
  const compiler = new DmnCompiler(xml);
  // Entity declarations enable expansion attacks and external reads; DMN never needs them.
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) {
    compiler.problem('DOCTYPE and ENTITY declarations are not allowed in DMN resources', null);
    throw dmnParseError(resourceName, compiler.problems);
  }
  const source = await normalizeNamespace(xml.trim(), resourceName);
  const moddle = new DmnModdle({ camunda: camundaDmnModdle });
  let parsed: Awaited<ReturnType<DmnModdle['fromXML']>>;
  try {
    parsed = await moddle.fromXML(source, 'dmn:Definitions');
  } catch (thrown) {
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    const line = /line: (\d+)/.exec(message);
    const column = /column: (\d+)/.exec(message);
    throw dmnParseError(resourceName, [{
      message: message.replace(/\s+/g, ' '),
      line: line ? Number(line[1]) + 1 : 0,
      column: column ? Number(column[1]) + 1 : 0,
      mainElementId: null,
      elementIds: [],
    }]);
  }
  const warnings: string[] = [];
  for (const warning of parsed.warnings) {
    const message = warning.message.replace(/\s+/g, ' ');
    // Other tools' extensions are tolerated, and so is a diagram shape pointing nowhere (the diagram is no logic);
    // an unresolved reference in the decision logic is not.
    if (/^unknown (attribute|element)/.test(message) || isDiagramElement(warning.element)) warnings.push(`${resourceName}: ${message}`);
    else compiler.problem(message, warning.element?.id ?? null);
  }
  return { definitions: plainElement(parsed.rootElement) as DmnModdleElement, warnings, problems: compiler.problems };
}

interface ModdleDescriptor {
  properties: Array<{ name: string; isReference?: boolean }>;
}

/**
 * A moddle element as plain data: its type and every property it has (defaults included, which moddle keeps on the
 * prototype), with references to other elements given by their id, so the tree has no cycles and can be cloned.
 */
function plainElement(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainElement);
  const descriptor = (value as { $descriptor?: ModdleDescriptor } | null)?.$descriptor;
  if (!descriptor) return value;
  const element = value as DmnModdleElement;
  const plain: Record<string, unknown> = { $type: element.$type };
  for (const property of descriptor.properties) {
    const child = element[property.name];
    if (child === undefined) continue;
    plain[property.name] = property.isReference ? referencedId(child) : plainElement(child);
  }
  return plain;
}

function referencedId(reference: unknown): unknown {
  return Array.isArray(reference) ? reference.map(referencedId) : (reference as { id?: string } | null)?.id ?? null;
}

async function normalizeNamespace(xml: string, resourceName: string): Promise<string> {
  let source = xml.replace(DMN11_ALTERNATIVE, `"${DMN11}"`);
  for (const [pattern, replacement] of NEWER_NAMESPACES) source = source.replace(pattern, replacement);
  if (OLDER_NAMESPACES.some((ns) => source.includes(`"${ns}"`))) {
    try {
      source = await migrateDiagram(source);
    } catch (thrown) {
      const message = thrown instanceof Error ? thrown.message : String(thrown);
      throw dmnParseError(resourceName, [{ message: `Could not migrate DMN 1.1/1.2 to 1.3: ${message}`, line: 0, column: 0, mainElementId: null, elementIds: [] }]);
    }
  }
  return source;
}

function isDiagramElement(element: { $type?: string } | undefined): boolean {
  return typeof element?.$type === 'string' && /^(dmndi|dc|di):/.test(element.$type);
}

function refId(reference: unknown): string | null {
  const href = (reference as { href?: string } | undefined)?.href;
  if (!href) return null;
  const hash = href.lastIndexOf('#');
  return hash >= 0 ? href.slice(hash + 1) : href;
}

async function buildModel(compiler: DmnCompiler, definitions: DmnModdleElement, resourceName: string, warnings: string[]): Promise<DmnModel> {
  compiler.definitionsLanguage = (definitions.expressionLanguage as string | undefined) || undefined;
  const elements = (definitions.drgElement as DmnModdleElement[] | undefined) ?? [];
  const decisionsXml = elements.filter((e) => e.$type === 'dmn:Decision');
  // Camunda 7 reads only decisions (and their requirements); a decision service is no decision definition there.
  for (const service of elements.filter((e) => e.$type === 'dmn:DecisionService')) {
    warnings.push(`${resourceName}: decision service '${String(service.id)}' is ignored, as in Camunda 7; its decisions deploy on their own`);
  }
  const inputsXml = elements.filter((e) => e.$type === 'dmn:InputData');
  const bkmsXml = elements.filter((e) => e.$type === 'dmn:BusinessKnowledgeModel');
  const byId = new Map(elements.filter((e) => e.id).map((e) => [e.id as string, e]));
  const nameOf = (e: DmnModdleElement) => String((e.variable as DmnModdleElement | undefined)?.name ?? e.name ?? e.id ?? '');

  const inputData: DmnInputData[] = inputsXml.map((e) => ({
    id: String(e.id),
    name: nameOf(e),
    typeRef: ((e.variable as DmnModdleElement | undefined)?.typeRef as string | undefined) ?? null,
  }));

  // The FEEL parser must know the names in scope to read names with spaces; per DMN these are the element's
  // requirements only (a decision named `years` elsewhere must not turn `years and months duration` into `and`).
  const scopeOf = (ids: readonly string[]) => new Set(ids.map((id) => (byId.get(id) ? nameOf(byId.get(id) as DmnModdleElement) : '')).filter((n) => n !== ''));

  const requirementIds = (element: DmnModdleElement, list: string, property: string, expected: string): string[] => {
    const ids: string[] = [];
    for (const requirement of (element[list] as DmnModdleElement[] | undefined) ?? []) {
      const reference = requirement[property];
      if (reference === undefined) continue;
      const id = refId(reference);
      const target = id === null ? undefined : byId.get(id);
      if (target?.$type === 'dmn:DecisionService') {
        const where = { decisionKey: String(element.id), description: describe(element), elementId: element.id ?? null };
        compiler.unsupportedConstruct(where, `${describe(element)} invokes decision service '${id}', and decision services are not evaluated here (Camunda 7 ignores them)`);
        continue;
      }
      if (!id || !target || target.$type !== expected) {
        compiler.problem(`${describe(element)} requires '${id ?? '?'}', which is no ${expected.replace('dmn:', '')} in this resource`, element.id ?? null);
        continue;
      }
      ids.push(id);
    }
    return ids;
  };

  // Knowledge models first: decisions bind their functions.
  const knowledge = new Map<string, CompiledKnowledgeModel>();
  for (const bkm of bkmsXml) {
    const id = String(bkm.id);
    const name = nameOf(bkm);
    const requiredKnowledge = requirementIds(bkm, 'knowledgeRequirement', 'requiredKnowledge', 'dmn:BusinessKnowledgeModel');
    const logic = bkm.encapsulatedLogic as DmnModdleElement | undefined;
    const where = { decisionKey: id, description: `business knowledge model '${id}'`, elementId: id };
    const parameters = ((logic?.formalParameter as DmnModdleElement[] | undefined) ?? []).map((p) => String(p.name ?? ''));
    if (!logic) compiler.unsupportedConstruct(where, `${where.description} has no encapsulated logic`);
    const make = logic ? compileFunctionDefinition(compiler, logic, scopeOf(requiredKnowledge), where) : () => null;
    // The function is built lazily, so knowledge models may require each other (and themselves: recursion).
    let fn: FeelFunction | undefined;
    const model: CompiledKnowledgeModel = {
      id, name, parameters, requiredKnowledge,
      get fn(): FeelFunction {
        if (!fn) {
          // Getters, read when the function is invoked, resolve the required models (and this one) lazily.
          const scope: Record<string, unknown> = {};
          for (const required of [...requiredKnowledge, id]) {
            const target = knowledge.get(required);
            if (target) Object.defineProperty(scope, target.name, { enumerable: true, get: () => target.fn });
          }
          fn = make(scope, {}) as FeelFunction;
        }
        return fn;
      },
    };
    knowledge.set(id, model);
  }

  /** Why a decision cannot be evaluated: its own unsupported constructs and those of the knowledge it invokes. */
  const refusalOf = (id: string, requiredKnowledge: readonly string[], seen = new Set<string>()): string[] => {
    seen.add(id);
    const reasons = [...(compiler.unsupported.get(id) ?? [])];
    for (const required of requiredKnowledge) {
      if (seen.has(required)) continue;
      reasons.push(...refusalOf(required, knowledge.get(required)?.requiredKnowledge ?? [], seen));
    }
    return reasons;
  };

  const compiled: DmnDecision[] = decisionsXml.map((element) => {
    const id = String(element.id);
    const label = `decision '${id}'`;
    const variableName = nameOf(element);
    const requiredDecisions = requirementIds(element, 'informationRequirement', 'requiredDecision', 'dmn:Decision');
    const requiredInputs = requirementIds(element, 'informationRequirement', 'requiredInput', 'dmn:InputData');
    const requiredKnowledge = requirementIds(element, 'knowledgeRequirement', 'requiredKnowledge', 'dmn:BusinessKnowledgeModel');
    const expression = element.decisionLogic as DmnModdleElement | undefined;
    const kind = logicKind(expression);
    const where = { decisionKey: id, description: label, elementId: id };
    const declared = scopeOf([...requiredDecisions, ...requiredInputs, ...requiredKnowledge]);
    const typeRef = ((element.variable as DmnModdleElement | undefined)?.typeRef as string | undefined) ?? (expression?.typeRef as string | undefined);
    let logic: DecisionLogic;
    if (!expression) {
      // DMN allows decisions without logic (made by people); they are part of the graph but cannot be evaluated.
      warnings.push(`${resourceName}: ${label} has no decision logic and cannot be evaluated`);
      logic = { multiHit: false, evaluate: () => { throw fail(where, 'the decision has no decision logic'); } };
    } else if (kind === 'decisionTable') {
      logic = compileDecisionTable(compiler, expression as DmnModdleElement, declared, label, id, variableName);
    } else {
      const evaluate = compileBoxedExpression(compiler, expression, declared, where);
      logic = {
        multiHit: false,
        evaluate(variables, inputs) {
          const checked = coerceToTypeRef(evaluate(variables, inputs), kind === 'literalExpression' ? typeRef : undefined, true);
          if (!checked.ok) throw fail(where, `wrong result type: ${checked.reason}`);
          return { value: checked.value, resultList: [{ [variableName]: fromFeelValue(checked.value) }] };
        },
      };
    }
    return {
      id,
      name: (element.name as string | undefined) ?? null,
      versionTag: (element.versionTag as string | undefined) ?? null,
      historyTimeToLive: parseTimeToLive(element.historyTimeToLive),
      logicKind: kind ?? 'literalExpression',
      variableName,
      requiredDecisions,
      requiredInputs,
      requiredKnowledge,
      logic,
    };
  });

  await compiler.finish();
  // Only a decision using what cannot run here is refused (known once every rule compiled); the others deploy and evaluate.
  const decisions = compiled.map((decision): DmnDecision => {
    const refusal = refusalOf(decision.id, decision.requiredKnowledge);
    if (refusal.length === 0) return decision;
    warnings.push(`${resourceName}: ${refusal.join('; ')}; the decision deploys but every evaluation of it fails`);
    return { ...decision, logic: { multiHit: false, evaluate: () => { throw unsupportedError(decision.id, refusal); } } };
  });
  checkCycles(compiler, decisions);
  return {
    resourceName,
    decisionRequirements: {
      id: String(definitions.id ?? ''),
      name: (definitions.name as string | undefined) ?? null,
      namespace: (definitions.namespace as string | undefined) ?? null,
    },
    decisions,
    inputData,
    knowledgeModels: [...knowledge.values()],
    warnings,
  };
}

function describe(element: DmnModdleElement): string {
  const kind = element.$type === 'dmn:Decision' ? 'decision' : element.$type === 'dmn:BusinessKnowledgeModel' ? 'business knowledge model' : element.$type;
  return `${kind} '${element.id ?? element.name ?? '?'}'`;
}

const LOGIC_KINDS: Record<string, DecisionLogicKind> = {
  'dmn:DecisionTable': 'decisionTable',
  'dmn:LiteralExpression': 'literalExpression',
  'dmn:Context': 'context',
  'dmn:Invocation': 'invocation',
  'dmn:List': 'list',
  'dmn:Relation': 'relation',
  'dmn:FunctionDefinition': 'functionDefinition',
};

function logicKind(expression: DmnModdleElement | undefined): DecisionLogicKind | null {
  return expression ? (LOGIC_KINDS[expression.$type] ?? null) : null;
}

function parseTimeToLive(value: unknown): number | null {
  if (value === undefined || value === null || value === '') return null;
  const days = Number(value);
  return Number.isInteger(days) && days >= 0 ? days : null;
}

/** A cycle of required decisions would never finish evaluating: refuse it with the decisions on the cycle. */
function checkCycles(compiler: DmnCompiler, decisions: readonly DmnDecision[]): void {
  const byId = new Map(decisions.map((d) => [d.id, d]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (decision: DmnDecision, path: string[]): void => {
    if (state.get(decision.id) === 'done') return;
    if (state.get(decision.id) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(decision.id)), decision.id];
      compiler.problem(`Required decisions form a cycle: ${cycle.map((id) => `'${id}'`).join(' -> ')}`, decision.id);
      return;
    }
    state.set(decision.id, 'visiting');
    for (const required of decision.requiredDecisions) {
      const next = byId.get(required);
      if (next) visit(next, [...path, decision.id]);
    }
    state.set(decision.id, 'done');
  };
  for (const decision of decisions) visit(decision, []);
}
