/** Looks up deployed process definitions the way Camunda's REST resources do, with its not-found messages. */
import { InvalidRequestError, RestError } from '../core/errors.js';
import { findLatestProcessDefinition, findProcessDefinition, type ProcessDefinitionRow } from '../persistence/process-definition-repository.js';
import { listResources } from '../persistence/deployment-repository.js';
import type { ServiceContext } from './service-context.js';

export type DefinitionReference = { id: string } | { key: string; tenantId?: string | null };

export async function getProcessDefinition(ctx: ServiceContext, reference: DefinitionReference): Promise<ProcessDefinitionRow> {
  const db = ctx.database.knex;
  if ('id' in reference) {
    const definition = await findProcessDefinition(db, reference.id);
    if (!definition) throw new InvalidRequestError(404, `No matching definition with id ${reference.id}`);
    return definition;
  }
  const tenantId = reference.tenantId ?? null;
  const definition = await findLatestProcessDefinition(db, reference.key, tenantId);
  if (!definition) {
    const tenant = tenantId === null ? 'and no tenant-id' : `and tenant-id ${tenantId}`;
    // Camunda raises a RestException here, where the lookup by id raises an InvalidRequestException.
    throw new RestError(404, `No matching process definition with key: ${reference.key} ${tenant}`);
  }
  return definition;
}

export async function getProcessDefinitionXml(ctx: ServiceContext, reference: DefinitionReference): Promise<{ definition: ProcessDefinitionRow; xml: string }> {
  const definition = await getProcessDefinition(ctx, reference);
  const resources = await listResources(ctx.database.knex, definition.deployment_id);
  const resource = resources.find((r) => r.name === definition.resource_name);
  return { definition, xml: resource ? resource.content.toString('utf8') : '' };
}

