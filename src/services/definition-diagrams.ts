/** The diagram image deployed with a process, decision or decision requirements definition (Camunda's getProcessDiagram). */
import { CamundaError } from '../core/errors.js';
import { findDecisionDefinition, findDecisionRequirementsDefinition } from '../persistence/decision-definition-repository.js';
import { findResourceByName, type ResourceRow } from '../persistence/deployment-repository.js';
import { findProcessDefinition } from '../persistence/process-definition-repository.js';
import { getDecisionDefinition, getDecisionRequirementsDefinition } from './decision-service.js';
import { getProcessDefinition, type DefinitionReference } from './process-definition-service.js';
import type { ServiceContext } from './service-context.js';

export interface Diagram {
  name: string;
  content: Buffer;
  contentType: string;
}

type Kind = 'process' | 'decision' | 'decision requirements';

const FIND_BY_ID = { process: findProcessDefinition, decision: findDecisionDefinition, 'decision requirements': findDecisionRequirementsDefinition };
const GET_BY_KEY = { process: getProcessDefinition, decision: getDecisionDefinition, 'decision requirements': getDecisionRequirementsDefinition };
const ENTITY = { process: 'processDefinition', decision: 'decisionDefinition', 'decision requirements': 'decisionRequirementsDefinition' };

/** Camunda's media type by file suffix (ProcessDefinitionResourceImpl.getMediaTypeForFileSuffix). */
export function diagramMediaType(fileName: string): string {
  const name = fileName.toLowerCase();
  if (name.endsWith('.png')) return 'image/png';
  if (name.endsWith('.svg')) return 'image/svg+xml';
  if (name.endsWith('.jpeg') || name.endsWith('.jpg')) return 'image/jpeg';
  if (name.endsWith('.gif')) return 'image/gif';
  if (name.endsWith('.bmp')) return 'image/bmp';
  return 'application/octet-stream';
}

/** The definition's diagram, or null when none was deployed with it. */
export async function getDiagram(ctx: ServiceContext, kind: Kind, reference: DefinitionReference): Promise<Diagram | null> {
  const db = ctx.database.knex;
  let definition: { deployment_id: string; diagram_resource_name: string | null } | undefined;
  if ('id' in reference) {
    definition = await FIND_BY_ID[kind](db, reference.id);
    // Camunda's repository service raises a NotFoundException here, which the diagram resource leaves a 400.
    if (!definition) throw new CamundaError(400, kind === 'decision requirements' ? 'NotValidException' : 'NotFoundException', `no deployed ${kind} definition found with id '${reference.id}': ${ENTITY[kind]} is null`);
  } else {
    definition = await GET_BY_KEY[kind](ctx, reference);
  }
  if (definition.diagram_resource_name === null) return null;
  const resource: ResourceRow | undefined = await findResourceByName(db, definition.deployment_id, definition.diagram_resource_name);
  return resource ? { name: resource.name, content: resource.content, contentType: diagramMediaType(resource.name) } : null;
}
