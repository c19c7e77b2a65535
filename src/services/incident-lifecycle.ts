/** Creates and removes incidents together with their history, so no caller can forget one of the two. */
import type { Db } from '../persistence/database.js';
import { endHistoricIncidents, insertHistoricIncident } from '../persistence/historic-incident-repository.js';
import { deleteIncidentsOfConfiguration, deleteIncidentsOfInstance, insertIncident, type IncidentRow } from '../persistence/incident-repository.js';

export async function createIncident(db: Db, incident: IncidentRow, processDefinitionKey: string): Promise<void> {
  await insertIncident(db, incident);
  await insertHistoricIncident(db, incident, processDefinitionKey);
}

/** Removes the incidents of a failed task; history says 'resolved', or, without a state, what became of the activity. */
export async function removeIncidentsOfConfiguration(db: Db, configuration: string, now: Date, state?: 'resolved' | 'deleted'): Promise<void> {
  const removed = await deleteIncidentsOfConfiguration(db, configuration);
  await endHistoricIncidents(db, removed.map((incident) => incident.id), now, state);
}

export async function removeIncidentsOfInstance(db: Db, processInstanceId: string, now: Date): Promise<void> {
  const removed = await deleteIncidentsOfInstance(db, processInstanceId);
  await endHistoricIncidents(db, removed.map((incident) => incident.id), now);
}
