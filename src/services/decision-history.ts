/** Records decision evaluations as Camunda's history does: the requested decision is the root, required ones its children. */
import { newId } from '../core/ids.js';
import { fromPlainValue } from '../core/typed-value.js';
import type { DecisionEvaluation } from '../dmn/index.js';
import type { Db } from '../persistence/database.js';
import { findDecisionDefinitionInDeployment, type DecisionDefinitionRow } from '../persistence/decision-definition-repository.js';
import { insertHistoricDecisionInstances, type HistoricDecisionInstanceRow, type StoredDecisionValue } from '../persistence/historic-decision-repository.js';
import { recordWork } from '../telemetry/committed-work.js';
import { removalTimeAfter } from './history-removal-time.js';

/** The business rule task that evaluated the decision; absent for an evaluation over REST. */
export interface DecisionCaller {
  processDefinitionId: string;
  processDefinitionKey: string;
  processInstanceId: string;
  activityId: string;
  activityInstanceId: string | null;
  tenantId: string | null;
}

function storedDecisionValue(value: unknown): StoredDecisionValue {
  const stored = fromPlainValue(value);
  return { type: stored.type, text: stored.text, valueInfo: stored.valueInfo };
}

/**
 * `definition` is the decision that was asked for; the evaluations list required decisions first and it last.
 * Required decisions are looked up in the same deployment, where their DMN file put them. Evaluated over REST, all
 * get the asked-for decision's time to live after now as removal time (Camunda); a business rule task's get theirs
 * when the root process instance ends.
 */
export async function recordDecisionEvaluations(db: Db, definition: DecisionDefinitionRow, evaluations: readonly DecisionEvaluation[], now: Date, caller?: DecisionCaller): Promise<void> {
  const rootId = newId();
  const removalTime = caller ? null : removalTimeAfter(now, definition.history_time_to_live);
  const rows: HistoricDecisionInstanceRow[] = [];
  for (const [index, evaluation] of evaluations.entries()) {
    const isRoot = index === evaluations.length - 1;
    const decision = evaluation.decisionKey === definition.key ? definition : await findDecisionDefinitionInDeployment(db, evaluation.decisionKey, definition.deployment_id);
    if (!decision) continue;
    rows.push({
      id: isRoot ? rootId : newId(),
      decision_definition_id: decision.id,
      decision_definition_key: decision.key,
      decision_definition_name: decision.name,
      decision_requirements_definition_id: decision.decision_requirements_definition_id,
      decision_requirements_definition_key: decision.decision_requirements_definition_key,
      evaluation_time: now,
      process_definition_id: caller?.processDefinitionId ?? null,
      process_definition_key: caller?.processDefinitionKey ?? null,
      process_instance_id: caller?.processInstanceId ?? null,
      activity_id: caller?.activityId ?? null,
      activity_instance_id: caller?.activityInstanceId ?? null,
      root_decision_instance_id: isRoot ? null : rootId,
      tenant_id: caller?.tenantId ?? decision.tenant_id,
      collect_result_value: evaluation.collectResultValue,
      inputs: evaluation.inputs.map((input) => ({ id: newId(), clauseId: input.clauseId, clauseName: input.clauseName, value: storedDecisionValue(input.value) })),
      outputs: evaluation.outputs.map((output) => ({
        id: newId(),
        clauseId: output.clauseId,
        clauseName: output.clauseName,
        ruleId: output.ruleId,
        ruleOrder: output.ruleOrder,
        variableName: output.variableName,
        value: storedDecisionValue(output.value),
      })),
      removal_time: removalTime,
    });
  }
  await insertHistoricDecisionInstances(db, rows);
  recordWork(db, { kind: 'decisionElements', count: evaluations.reduce((sum, evaluation) => sum + evaluation.executedDecisionElements, 0) });
}
