/** Deployment and process definition DTOs. */
import type { DeploymentRow, ProcessDefinitionRow } from '../../services/read-models.js';
import { dateValue } from './date-value.js';
import type { AtomLink } from './links.js';

export function deploymentDto(row: DeploymentRow, links: AtomLink[] = []) {
  return { links, id: row.id, name: row.name, source: row.source, deploymentTime: dateValue(row.deployment_time), tenantId: row.tenant_id };
}

export function processDefinitionDto(row: ProcessDefinitionRow) {
  return {
    id: row.id,
    key: row.key,
    category: 'http://bpmn.io/schema/bpmn',
    description: null,
    name: row.name,
    version: row.version,
    resource: row.resource_name,
    deploymentId: row.deployment_id,
    diagram: null,
    suspended: row.suspended,
    tenantId: row.tenant_id,
    versionTag: row.version_tag,
    historyTimeToLive: row.history_time_to_live,
    startableInTasklist: row.startable_in_tasklist,
  };
}
