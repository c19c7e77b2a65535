/** Single reads of history and incidents by id, with Camunda's 404s. */
import { InvalidRequestError } from '../core/errors.js';
import { findHistoricProcessInstance, type HistoricProcessInstanceRow } from '../persistence/history-repository.js';
import { findIncident, type IncidentRow } from '../persistence/incident-repository.js';
import type { ServiceContext } from './service-context.js';

export async function getHistoricProcessInstance(ctx: ServiceContext, id: string): Promise<HistoricProcessInstanceRow> {
  const row = await findHistoricProcessInstance(ctx.database.knex, id);
  if (!row) throw new InvalidRequestError(404, `Historic process instance with id ${id} does not exist`);
  return row;
}

export async function getIncident(ctx: ServiceContext, id: string): Promise<IncidentRow> {
  const row = await findIncident(ctx.database.knex, id);
  if (!row) throw new InvalidRequestError(404, `No matching incident with id ${id}`);
  return row;
}
