/** The fixed facts about a process instance that every row written for it repeats. */
import type { ProcessDefinitionRow } from '../persistence/process-definition-repository.js';

export interface InstanceIdentity {
  processInstanceId: string;
  businessKey: string | null;
  tenantId: string | null;
  definition: ProcessDefinitionRow;
}
