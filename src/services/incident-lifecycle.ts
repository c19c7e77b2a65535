/** Creates and removes incidents together with their history, so no caller can forget one of the two. */
import type { Db } from '../persistence/database.js';
import { endHistoricIncidents, insertHistoricIncident } from '../persistence/historic-incident-repository.js';
import { deleteIncidentsOfConfiguration, insertIncident, type IncidentRow } from '../persistence/incident-repository.js';

export async function createIncident(db: Db, incident: IncidentRow, processDefinitionKey: string): Promise<void> {
  await insertIncident(db, incident);
  await insertHistoricIncident(db, incident, processDefinitionKey);
}

/** Removes the incidents of a failed task; history says 'resolved', or, without a state, what became of the activity. */
export async function removeIncidentsOfConfiguration(db: Db, configuration: string, now: Date, state?: 'resolved' | 'deleted'): Promise<void> {
  const removed = await deleteIncidentsOfConfiguration(db, configuration);
  await endHistoricIncidents(db, removed.map((incident) => incident.id), now, state);
}

/** A change of a failing task's retries, with the incident to raise should they run out. */
export interface RetriesChange {
  /** The task's id: its incident's `configuration`. */
  configuration: string;
  /** Retries before the change; null while the task never failed. */
  from: number | null;
  to: number;
  now: Date;
  /** Built only when the incident is raised (it may need a lookup). */
  incident: () => IncidentRow | Promise<IncidentRow>;
  processDefinitionKey: string;
}

/**
 * Camunda's rule for retries and incidents: running out (from more than 0, or never set, to 0) raises an incident,
 * getting retries back (from 0 to more) resolves it. Any other change leaves an open incident as it is, with its id
 * and first message, so a client holding that id still finds it and history gains no entry.
 */
export async function manageIncidentsOnRetries(db: Db, change: RetriesChange): Promise<void> {
  const hadRetriesLeft = change.from === null || change.from > 0;
  if (hadRetriesLeft && change.to <= 0) await createIncident(db, await change.incident(), change.processDefinitionKey);
  else if (!hadRetriesLeft && change.to > 0) await removeIncidentsOfConfiguration(db, change.configuration, change.now, 'resolved');
}

