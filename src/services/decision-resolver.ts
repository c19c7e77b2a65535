/**
 * Prepares the decisions a command's business rule tasks evaluate: the engine is pure and cannot await the
 * database, so every decisionRef is resolved (by binding, from the database) and its parsed model handed in first.
 */
import { ProcessEngineError } from '../core/errors.js';
import type { DmnModel } from '../dmn/index.js';
import { decisionTaskAttributes, isDecisionTask, staticDecisionReference, type DecisionLookup, type DecisionReference } from '../engine/index.js';
import type { Db } from '../persistence/database.js';
import {
  findDecisionDefinitionByVersion,
  findDecisionDefinitionByVersionTag,
  findDecisionDefinitionInDeployment,
  findLatestDecisionDefinition,
  type DecisionDefinitionRow,
} from '../persistence/decision-definition-repository.js';
import type { ProcessDefinitionRow } from '../persistence/process-definition-repository.js';
import type { ServiceContext } from './service-context.js';

function referenceId(reference: DecisionReference): string {
  return JSON.stringify([reference.key, reference.binding, reference.version, reference.versionTag]);
}

/** Camunda's binding rules, in the calling process definition's tenant; "latest" is read from the database every time. */
async function findBound(db: Db, reference: DecisionReference, caller: ProcessDefinitionRow): Promise<DecisionDefinitionRow> {
  const tenantId = caller.tenant_id;
  let found: DecisionDefinitionRow | undefined;
  let where: string;
  switch (reference.binding) {
    case 'deployment':
      found = await findDecisionDefinitionInDeployment(db, reference.key, caller.deployment_id);
      where = `key = '${reference.key}' and deployment id = '${caller.deployment_id}'`;
      break;
    case 'version':
      found = await findDecisionDefinitionByVersion(db, reference.key, reference.version ?? 0, tenantId);
      where = `key = '${reference.key}' and version = '${reference.version}'`;
      break;
    case 'versionTag':
      found = await findDecisionDefinitionByVersionTag(db, reference.key, reference.versionTag ?? '', tenantId);
      where = `key = '${reference.key}' and versionTag = '${reference.versionTag}'`;
      break;
    default:
      found = await findLatestDecisionDefinition(db, reference.key, tenantId);
      where = `key '${reference.key}'`;
  }
  if (!found) throw new ProcessEngineError(`no decision definition deployed with ${where}${tenantId === null ? '' : ` and tenant-id '${tenantId}'`}`);
  return found;
}

/** The parsed models of one command's decisions, by resolved reference. */
export class PreparedDecisions {
  private readonly models = new Map<string, DmnModel>();
  private readonly definitions = new Map<DmnModel, DecisionDefinitionRow>();

  constructor(private readonly ctx: ServiceContext, private readonly db: Db, private readonly caller: ProcessDefinitionRow, readonly hasDecisionTasks: boolean) {}

  readonly lookup: DecisionLookup = (reference) => this.models.get(referenceId(reference));

  /** A deployed decision of the model (its deployment locates the model's other decisions), for history. */
  definitionOf(model: DmnModel): DecisionDefinitionRow | undefined {
    return this.definitions.get(model);
  }

  async add(reference: DecisionReference): Promise<void> {
    const id = referenceId(reference);
    if (this.models.has(id)) return;
    const definition = await findBound(this.db, reference, this.caller);
    const model = await this.ctx.decisions.get(this.db, definition);
    this.models.set(id, model);
    if (!this.definitions.has(model)) this.definitions.set(model, definition);
  }
}

/** Static decision references per process definition: definitions never change, so this is computed once per node. */
const staticReferences = new Map<string, { tasks: number; references: DecisionReference[] }>();

function staticReferencesOf(definition: ProcessDefinitionRow): { tasks: number; references: DecisionReference[] } {
  let found = staticReferences.get(definition.id);
  if (!found) {
    const context = JSON.parse(definition.serialized_context) as { activities?: Array<{ behaviour?: Record<string, unknown> }> };
    const tasks = (context.activities ?? []).map((activity) => activity.behaviour ?? {}).filter(isDecisionTask);
    const references = tasks
      .map((behaviour) => staticDecisionReference(decisionTaskAttributes(behaviour)))
      .filter((reference): reference is DecisionReference => reference !== null);
    found = { tasks: tasks.length, references };
    staticReferences.set(definition.id, found);
    if (staticReferences.size > 1000) staticReferences.delete(staticReferences.keys().next().value as string);
  }
  return found;
}

/**
 * Resolves every static decisionRef of the definition up front. A decisionRef that is an expression is resolved
 * when the run first asks for it: the run fails with DecisionNotPreparedError and the caller runs it again.
 */
export async function prepareDecisions(ctx: ServiceContext, db: Db, definition: ProcessDefinitionRow): Promise<PreparedDecisions> {
  const { tasks, references } = staticReferencesOf(definition);
  const prepared = new PreparedDecisions(ctx, db, definition, tasks > 0);
  // Only the tasks the run reaches need their decision; an unresolvable static reference fails when it is reached.
  for (const reference of references) await prepared.add(reference).catch(() => undefined);
  return prepared;
}
