/**
 * Camunda's GET /process-definition/{id}/static-called-process-definitions: the definitions the call activities of a
 * process call by a constant key (and constant version or tag), resolved as a call would resolve them now.
 */
import { InvalidRequestError } from '../core/errors.js';
import { callActivityAttributes } from '../engine/index.js';
import { findBoundProcessDefinition, findProcessDefinition, type ProcessDefinitionRow } from '../persistence/process-definition-repository.js';
import type { ServiceContext } from './service-context.js';

export interface CalledDefinition {
  definition: ProcessDefinitionRow;
  calledFromActivityIds: string[];
  callingProcessDefinitionId: string;
}

interface SerializedActivity {
  id: string;
  type: string;
  parent?: { id: string; type: string };
  behaviour: Record<string, unknown>;
}

const isExpression = (text: string | undefined) => text !== undefined && /[$#]\{/.test(text);

/** The call activities of the process `key` in its file's serialized context, sub-processes included, in document order. */
function callActivitiesOf(serializedContext: string, key: string): SerializedActivity[] {
  const activities = (JSON.parse(serializedContext) as { activities?: SerializedActivity[] }).activities ?? [];
  const byId = new Map(activities.map((activity) => [activity.id, activity]));
  const processOf = (activity: SerializedActivity): string | undefined => {
    let parent = activity.parent;
    for (let depth = 0; parent && parent.type !== 'bpmn:Process' && depth < activities.length; depth++) parent = byId.get(parent.id)?.parent;
    return parent?.id;
  };
  return activities.filter((activity) => activity.type === 'bpmn:CallActivity' && processOf(activity) === key);
}

export async function staticCalledProcessDefinitions(ctx: ServiceContext, id: string): Promise<CalledDefinition[]> {
  const db = ctx.database.knex;
  const caller = await findProcessDefinition(db, id);
  if (!caller) throw new InvalidRequestError(404, `no deployed process definition found with id '${id}': processDefinition is null`);
  const called = new Map<string, CalledDefinition>();
  for (const activity of callActivitiesOf(caller.serialized_context, caller.key)) {
    const attributes = callActivityAttributes(activity.behaviour);
    if (isExpression(attributes.calledElement) || isExpression(attributes.version) || isExpression(attributes.versionTag)) continue;
    const definition = await findBoundProcessDefinition(db, attributes.calledElement, caller.tenant_id, {
      version: attributes.binding === 'version' ? Number(attributes.version) : undefined,
      versionTag: attributes.binding === 'versionTag' ? attributes.versionTag : undefined,
      deploymentId: attributes.binding === 'deployment' ? caller.deployment_id : undefined,
    });
    if (!definition) continue;
    const entry = called.get(definition.id) ?? { definition, calledFromActivityIds: [], callingProcessDefinitionId: caller.id };
    entry.calledFromActivityIds.push(activity.id);
    called.set(definition.id, entry);
  }
  return [...called.values()];
}
