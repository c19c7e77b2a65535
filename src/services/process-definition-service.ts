/** Looks up deployed process definitions the way Camunda's REST resources do, with its not-found messages. */
import { InvalidRequestError, RestError } from '../core/errors.js';
import { findLatestProcessDefinition, findProcessDefinition, listProcessDefinitionsOfKey, listProcessDefinitionsOfKeyInAllTenants, updateProcessDefinitionSuspension, type ProcessDefinitionRow } from '../persistence/process-definition-repository.js';
import { updateJobDefinitionSuspensionOfDefinitions } from '../persistence/job-definition-repository.js';
import { updateStartEventJobSuspension } from '../persistence/job-repository.js';
import { listProcessInstanceIdsOfDefinitions } from '../persistence/process-instance-repository.js';
import { runCommand } from './run-command.js';
import { suspendInstances } from './instance-suspension.js';
import { listResources } from '../persistence/deployment-repository.js';
import type { ServiceContext } from './service-context.js';
import { definitionTarget, logUserOperation } from './user-operation-log.js';

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
    const tenant = tenantId === null ? 'and no tenant-id' : `and tenant-id: ${tenantId}`;
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


/** By id, by key in a tenant (or without one), or, as PUT /process-definition/suspended without a tenant choice, by key in every tenant. */
export type SuspensionSelector = { id: string } | { key: string; tenantId?: string | null } | { key: string; allTenants: true };

/**
 * Camunda's PUT /process-definition/{id}/suspended and /key/{key}/suspended: a suspended definition starts no
 * instances and its timer start events do not fire; with `includeProcessInstances` its running instances are
 * suspended (or activated) with it, in the same transaction.
 */
export async function setProcessDefinitionSuspended(ctx: ServiceContext, selector: SuspensionSelector, suspended: boolean, includeProcessInstances: boolean, options: { unknownKeyIsEmpty?: boolean } = {}): Promise<void> {
  await runCommand(ctx, suspended ? 'suspend process definition' : 'activate process definition', async ({ tx }) => {
    const definitions = 'id' in selector
      ? [await findProcessDefinition(tx, selector.id)].filter((row): row is ProcessDefinitionRow => row !== undefined)
      : 'allTenants' in selector ? await listProcessDefinitionsOfKeyInAllTenants(tx, selector.key) : await listProcessDefinitionsOfKey(tx, selector.key, selector.tenantId ?? null);
    // An unknown id changes nothing (Camunda answers 204), nor an unknown key in the body of /suspended; on a key's path it is a 404.
    if (definitions.length === 0 && 'key' in selector && options.unknownKeyIsEmpty !== true) {
      const tenantId = 'tenantId' in selector ? selector.tenantId ?? null : null;
      const tenant = tenantId === null ? 'and no tenant-id' : `and tenant-id: ${tenantId}`;
      throw new RestError(404, `No matching process definition with key: ${selector.key} ${tenant}`);
    }
    const ids = definitions.map((definition) => definition.id);
    const properties = [
      { property: 'suspensionState', orgValue: null, newValue: suspended ? 'suspended' : 'active' },
      { property: 'includeProcessInstances', orgValue: null, newValue: includeProcessInstances },
    ];
    // One operation: naming the definition when there is one (Operaton does so by key too), else the key alone.
    const target = definitions.length === 1
      ? definitionTarget(definitions[0])
      : 'key' in selector ? { processDefinitionKey: selector.key, tenantId: 'tenantId' in selector ? selector.tenantId ?? null : null } : null;
    const operationType = suspended ? 'SuspendProcessDefinition' : 'ActivateProcessDefinition';
    if (target) await logUserOperation(ctx, tx, { operationType, entityType: 'ProcessDefinition', category: 'Operator', target, properties });
    await updateProcessDefinitionSuspension(tx, ids, suspended);
    await updateJobDefinitionSuspensionOfDefinitions(tx, ids, suspended);
    await updateStartEventJobSuspension(tx, ids, suspended);
    if (includeProcessInstances) await suspendInstances(tx, await listProcessInstanceIdsOfDefinitions(tx, ids), suspended, ctx.options.kafka, ctx.clock.now());
  });
}
