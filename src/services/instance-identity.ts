/** The fixed facts about a process instance that every row written for it repeats. */
import type { ProcessDefinitionRow } from '../persistence/process-definition-repository.js';

export interface InstanceIdentity {
  processInstanceId: string;
  businessKey: string | null;
  tenantId: string | null;
  definition: ProcessDefinitionRow;
}

/** The definition an instance runs, as the engine's definition cache keys it. */
export function processModelOf(identity: Pick<InstanceIdentity, 'definition'>) {
  return { definitionId: identity.definition.id, processKey: identity.definition.key, serializedContext: identity.definition.serialized_context };
}
