/** Looks up deployed decisions the way Camunda's REST resources do, and evaluates them against typed variables. */
import { InvalidRequestError, RestError } from '../core/errors.js';
import { fromPlainValue, parseVariableDtos, toPlainValue, type StoredValue, type VariableValueDto } from '../core/typed-value.js';
import { DecisionEvaluationError, evaluateDecision } from '../dmn/index.js';
import {
  findDecisionDefinition,
  findDecisionRequirementsDefinition,
  findLatestDecisionDefinition,
  findLatestDecisionRequirementsDefinition,
  type DecisionDefinitionRow,
  type DecisionRequirementsDefinitionRow,
} from '../persistence/decision-definition-repository.js';
import { findResourceByName } from '../persistence/deployment-repository.js';
import { recordDecisionEvaluations } from './decision-history.js';
import type { DefinitionReference } from './process-definition-service.js';
import { runCommand } from './run-command.js';
import type { ServiceContext } from './service-context.js';

function tenantPhrase(tenantId: string | null): string {
  return tenantId === null ? 'and no tenant-id' : `and tenant-id: ${tenantId}`;
}

export async function getDecisionDefinition(ctx: ServiceContext, reference: DefinitionReference): Promise<DecisionDefinitionRow> {
  const db = ctx.database.knex;
  if ('id' in reference) {
    const definition = await findDecisionDefinition(db, reference.id);
    if (!definition) throw new InvalidRequestError(404, `no deployed decision definition found with id '${reference.id}': decisionDefinition is null`);
    return definition;
  }
  const tenantId = reference.tenantId ?? null;
  // Read from the database every time: "latest" changes with every deployment, on any node.
  const definition = await findLatestDecisionDefinition(db, reference.key, tenantId);
  // A RestException, as Camunda's lookup by key (the lookup by id raises an InvalidRequestException).
  if (!definition) throw new RestError(404, `No matching decision definition with key: ${reference.key} ${tenantPhrase(tenantId)}`);
  return definition;
}

export async function getDecisionRequirementsDefinition(ctx: ServiceContext, reference: DefinitionReference): Promise<DecisionRequirementsDefinitionRow> {
  const db = ctx.database.knex;
  if ('id' in reference) {
    const definition = await findDecisionRequirementsDefinition(db, reference.id);
    // Camunda's engine refuses it as a NullValueException, which is a NotValidException: 400, where a missing decision is 404.
    if (!definition) throw new InvalidRequestError(400, `no deployed decision requirements definition found with id '${reference.id}': decisionRequirementsDefinition is null`);
    return definition;
  }
  const tenantId = reference.tenantId ?? null;
  const definition = await findLatestDecisionRequirementsDefinition(db, reference.key, tenantId);
  if (!definition) throw new RestError(404, `No matching decision requirements definition with key: ${reference.key} ${tenantPhrase(tenantId)}`);
  return definition;
}

/** The deployed DMN XML of a decision (requirements) definition: its resource, as deployed. */
export async function getDmnXml(ctx: ServiceContext, definition: { deployment_id: string; resource_name: string }): Promise<string> {
  const resource = await findResourceByName(ctx.database.knex, definition.deployment_id, definition.resource_name);
  return resource ? resource.content.toString('utf8') : '';
}

/** By id Camunda's evaluation asks the engine at once and names the decision it could not evaluate; by key the lookup answers first. */
async function decisionToEvaluate(ctx: ServiceContext, reference: DefinitionReference): Promise<DecisionDefinitionRow> {
  if (!('id' in reference)) return getDecisionDefinition(ctx, reference);
  const definition = await findDecisionDefinition(ctx.database.knex, reference.id);
  if (!definition) throw new InvalidRequestError(404, `Cannot evaluate decision ${reference.id}: no deployed decision definition found with id '${reference.id}': decisionDefinition is null`);
  return definition;
}

/**
 * Evaluates a decision with REST typed variables; returns Camunda's DmnDecisionResult: one map per matched rule,
 * output name to a typed value (typed by value, as the engine stores variables: Integer/Long/Double, Json for
 * lists and objects, Date for date and times).
 */
export async function evaluateDecisionDefinition(ctx: ServiceContext, reference: DefinitionReference, variables: Record<string, VariableValueDto> | null | undefined): Promise<Array<Map<string, StoredValue>>> {
  const definition = await decisionToEvaluate(ctx, reference);
  let inputs: Record<string, unknown>;
  try {
    inputs = Object.fromEntries(Array.from(parseVariableDtos(variables), ([name, value]) => [name, toPlainValue(value)]));
  } catch (error) {
    throw new InvalidRequestError(400, `Cannot evaluate decision ${definition.id}: ${(error as Error).message}`, { cause: error });
  }
  const model = await ctx.decisions.get(ctx.database.knex, definition);
  let result: ReturnType<typeof evaluateDecision>;
  try {
    result = evaluateDecision(model, definition.key, inputs);
  } catch (error) {
    // Camunda's DecisionDefinitionResource wraps engine failures in a RestException (500) naming the definition.
    if (error instanceof DecisionEvaluationError) throw new RestError(500, `Cannot evaluate decision ${definition.id}: ${error.message}`, { cause: error });
    throw error;
  }
  const evaluations = result.evaluations;
  await runCommand(ctx, 'evaluate decision', ({ tx }) => recordDecisionEvaluations(tx, definition, evaluations, ctx.clock.now()));
  return result.resultList.map((entry) => new Map(Object.entries(entry).map(([name, value]) => [name, fromPlainValue(value)])));
}
