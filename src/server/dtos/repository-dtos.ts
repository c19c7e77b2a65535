/** Deployment, process definition and decision (requirements) definition DTOs. */
import type { DecisionDefinitionRow, DecisionRequirementsDefinitionRow, DeploymentRow, ProcessDefinitionRow } from '../../services/read-models.js';
import { dateValue } from './date-value.js';
import type { AtomLink } from './links.js';

export function deploymentDto(row: DeploymentRow, links: AtomLink[] = []) {
  return { links, id: row.id, name: row.name, source: row.source, deploymentTime: dateValue(row.deployment_time), tenantId: row.tenant_id };
}

export function processDefinitionDto(row: Omit<ProcessDefinitionRow, 'serialized_context'>) {
  return {
    id: row.id,
    key: row.key,
    category: 'http://bpmn.io/schema/bpmn',
    description: null,
    name: row.name,
    version: row.version,
    resource: row.resource_name,
    deploymentId: row.deployment_id,
    diagram: row.diagram_resource_name,
    suspended: row.suspended,
    tenantId: row.tenant_id,
    versionTag: row.version_tag,
    historyTimeToLive: row.history_time_to_live,
    startableInTasklist: row.startable_in_tasklist,
  };
}

export function decisionDefinitionDto(row: DecisionDefinitionRow) {
  return {
    id: row.id,
    key: row.key,
    category: row.category,
    name: row.name,
    version: row.version,
    resource: row.resource_name,
    deploymentId: row.deployment_id,
    tenantId: row.tenant_id,
    decisionRequirementsDefinitionId: row.decision_requirements_definition_id,
    decisionRequirementsDefinitionKey: row.decision_requirements_definition_key,
    historyTimeToLive: row.history_time_to_live,
    versionTag: row.version_tag,
  };
}

export function decisionRequirementsDefinitionDto(row: DecisionRequirementsDefinitionRow) {
  return {
    id: row.id,
    key: row.key,
    category: row.category,
    name: row.name,
    version: row.version,
    resource: row.resource_name,
    deploymentId: row.deployment_id,
    tenantId: row.tenant_id,
  };
}
