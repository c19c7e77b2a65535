/** Camunda's operator actions on incidents: custom incidents raised on an execution, resolved by hand, and annotated. */
import { BadUserRequestError, InvalidRequestError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { findExecution } from '../persistence/execution-repository.js';
import { findOpenActivityInstances } from '../persistence/history-repository.js';
import { endHistoricIncidents } from '../persistence/historic-incident-repository.js';
import { deleteIncident, findIncident, updateIncidentAnnotation, type IncidentRow } from '../persistence/incident-repository.js';
import { findProcessInstance } from '../persistence/process-instance-repository.js';
import { lockInstance } from './command-kernel.js';
import { createIncident } from './incident-lifecycle.js';
import { runCommand } from './run-command.js';
import type { ServiceContext } from './service-context.js';
import { instanceTarget, logUserOperation } from './user-operation-log.js';

/** Incidents the engine raises and resolves itself, when retries run out and are given back. */
const ENGINE_MANAGED_TYPES = new Set(['failedJob', 'failedExternalTask']);

export interface IncidentRequest {
  incidentType?: string | null;
  configuration?: string | null;
  message?: string | null;
}

/** Camunda's POST /execution/{id}/create-incident: an incident of any type on the activity the execution is at. */
export async function createCustomIncident(ctx: ServiceContext, executionId: string, request: IncidentRequest): Promise<IncidentRow> {
  const incidentType = request.incidentType ?? null;
  if (incidentType === null) throw new InvalidRequestError(400, 'incidentType is null');
  const noExecution = () => new InvalidRequestError(400, `Cannot find an execution with executionId '${executionId}': execution is null`);
  return runCommand(ctx, 'create incident', async ({ tx }) => {
    const found = await findExecution(tx, executionId);
    if (!found) throw noExecution();
    const lock = await lockInstance(tx, found.process_instance_id, noExecution);
    const execution = await findExecution(tx, executionId);
    if (!execution) throw noExecution();
    if (execution.activity_id === null) throw new InvalidRequestError(400, 'Execution must be related to an activity: activity is null');
    const open = await findOpenActivityInstances(tx, execution.process_instance_id);
    const activityInstance = open.find((row) => row.execution_id === executionId && row.activity_id === execution.activity_id) ?? open.find((row) => row.activity_id === execution.activity_id);
    const incident: IncidentRow = {
      id: newId(),
      incident_type: incidentType,
      incident_message: request.message ?? null,
      incident_timestamp: ctx.clock.now(),
      process_instance_id: execution.process_instance_id,
      execution_id: executionId,
      process_definition_id: lock.row.process_definition_id,
      activity_id: execution.activity_id,
      activity_instance_id: activityInstance?.id ?? execution.process_instance_id,
      configuration: request.configuration ?? null,
      job_definition_id: null,
      tenant_id: lock.row.tenant_id,
      annotation: null,
    };
    await createIncident(tx, incident, lock.row.process_definition_key);
    await logUserOperation(ctx, tx, {
      operationType: 'CreateIncident',
      entityType: 'ProcessInstance',
      category: 'Operator',
      target: instanceTarget({ processInstanceId: incident.process_instance_id, rootProcessInstanceId: lock.row.root_process_instance_id, definition: lock.identity.definition }),
      properties: [{ property: 'incidentType', orgValue: null, newValue: incidentType }, { property: 'configuration', orgValue: null, newValue: incident.configuration }],
    });
    return incident;
  });
}

/**
 * Camunda's DELETE /incident/{id}: resolves a custom incident (history: resolved). Failed jobs and external tasks
 * keep theirs until they get retries again, so Camunda refuses those.
 */
export async function resolveIncident(ctx: ServiceContext, id: string): Promise<void> {
  const missing = () => new InvalidRequestError(404, `Cannot find an incident with id '${id}': incident is null`);
  await runCommand(ctx, 'resolve incident', async ({ tx }) => {
    const found = await findIncident(tx, id);
    if (!found) throw missing();
    if (ENGINE_MANAGED_TYPES.has(found.incident_type)) throw new InvalidRequestError(400, `Cannot resolve an incident of type ${found.incident_type}`);
    const lock = (await findProcessInstance(tx, found.process_instance_id)) ? await lockInstance(tx, found.process_instance_id, missing) : null;
    if (!(await findIncident(tx, id))) throw missing();
    if (lock) {
      const target = instanceTarget({ processInstanceId: lock.row.id, rootProcessInstanceId: lock.row.root_process_instance_id, definition: lock.identity.definition });
      await logUserOperation(ctx, tx, { operationType: 'Resolve', entityType: 'ProcessInstance', category: 'Operator', target, properties: [{ property: 'incidentId', orgValue: null, newValue: id }] });
    }
    await deleteIncident(tx, id);
    await endHistoricIncidents(tx, [id], ctx.clock.now(), 'resolved');
  });
}

/** Camunda's PUT and DELETE /incident/{id}/annotation: shown on the incident and on its history. */
export async function setIncidentAnnotation(ctx: ServiceContext, id: string, annotation: string | null): Promise<void> {
  await runCommand(ctx, annotation === null ? 'clear incident annotation' : 'set incident annotation', async ({ tx }) => {
    if (!(await updateIncidentAnnotation(tx, id, annotation))) throw new BadUserRequestError('incident is null');
    // Camunda names only the incident in these entries.
    const operationType = annotation === null ? 'ClearAnnotation' : 'SetAnnotation';
    await logUserOperation(ctx, tx, { operationType, entityType: 'Incident', category: 'Operator', target: {}, properties: [{ property: 'incidentId', orgValue: null, newValue: id }] });
  });
}
