/** The parsed, compiled form of a DMN resource, and the result of evaluating one of its decisions. */
import type { FeelVariables } from './feel-compiler.js';

export type DecisionLogicKind = 'decisionTable' | 'literalExpression' | 'context' | 'invocation' | 'list' | 'relation' | 'functionDefinition';

export type HitPolicy = 'UNIQUE' | 'ANY' | 'FIRST' | 'PRIORITY' | 'RULE ORDER' | 'OUTPUT ORDER' | 'COLLECT';
export type Aggregation = 'SUM' | 'MIN' | 'MAX' | 'COUNT';

/** An input clause's value in one evaluation (Camunda's HistoricDecisionInputInstance), a plain JS value. */
export interface EvaluatedInput {
  readonly clauseId: string | null;
  readonly clauseName: string | null;
  readonly value: unknown;
}

/** An output of a matched rule (Camunda's HistoricDecisionOutputInstance); literal expressions have no clause or rule. */
export interface EvaluatedOutput {
  readonly clauseId: string | null;
  readonly clauseName: string | null;
  readonly ruleId: string | null;
  readonly ruleOrder: number | null;
  readonly variableName: string;
  readonly value: unknown;
}

/** What a decision table saw and chose, for history: its inputs, the matched rules' outputs, the COLLECT aggregate. */
export interface DecisionTableAudit {
  readonly inputs: readonly EvaluatedInput[];
  readonly outputs: readonly EvaluatedOutput[];
  readonly collectResultValue: number | null;
  /** Camunda's executed decision elements: a table's (inputs + outputs) × rules, a literal expression's 1. */
  readonly executedDecisionElements: number;
}

/** One decision evaluated (the requested one or a required one), in evaluation order: required decisions first. */
export interface DecisionEvaluation extends DecisionTableAudit {
  readonly decisionKey: string;
  readonly decisionName: string | null;
}

/** Evaluates one decision's logic: the DMN value and Camunda's list of matched rules (output name → value). */
export interface DecisionLogic {
  evaluate(variables: FeelVariables, inputs: Readonly<Record<string, unknown>>): { value: unknown; resultList: Array<Record<string, unknown>>; audit?: DecisionTableAudit };
  /** True for tables whose results Camunda binds as lists in a DRG (COLLECT without aggregator, RULE ORDER, OUTPUT ORDER). */
  readonly multiHit: boolean;
}

export interface DmnDecision {
  /** The decision id, which is its key. */
  readonly id: string;
  readonly name: string | null;
  readonly versionTag: string | null;
  readonly historyTimeToLive: number | null;
  readonly logicKind: DecisionLogicKind;
  /** The name the result is bound under: the variable's name, else the decision's name, else its id. */
  readonly variableName: string;
  readonly requiredDecisions: readonly string[];
  readonly requiredInputs: readonly string[];
  readonly requiredKnowledge: readonly string[];
  /** The compiled logic; internal to src/dmn. */
  readonly logic: DecisionLogic;
}

export interface DmnInputData {
  readonly id: string;
  readonly name: string;
  readonly typeRef: string | null;
}

export interface DmnKnowledgeModel {
  readonly id: string;
  readonly name: string;
  readonly parameters: readonly string[];
}

/** A parsed DMN resource: its decision requirements graph (the definitions) and everything in it. */
export interface DmnModel {
  readonly resourceName: string;
  /** The decision requirements graph: Camunda's decision requirements definition key and name. */
  readonly decisionRequirements: { readonly id: string; readonly name: string | null; readonly namespace: string | null };
  readonly decisions: readonly DmnDecision[];
  readonly inputData: readonly DmnInputData[];
  readonly knowledgeModels: readonly DmnKnowledgeModel[];
  /** Non-fatal remarks (e.g. unknown extension elements), one per line. */
  readonly warnings: readonly string[];
}

/** The outcome of evaluating a decision. */
export interface DecisionResult {
  readonly decisionKey: string;
  readonly decisionName: string | null;
  /**
   * Camunda's DmnDecisionResult: one map per matched rule, output name to value (plain JS values: dates become
   * `Date`, see feel-values.ts). A literal expression gives one map keyed by its variable name.
   */
  readonly resultList: Array<Record<string, unknown>>;
  /** The DMN value of the decision, with FEEL values as feelin represents them (what the TCK checks). */
  readonly result: unknown;
  /** Every decision evaluated, required ones first and the requested one last, as Camunda's history records them. */
  readonly evaluations: readonly DecisionEvaluation[];
}
