/** Camunda's runtime variable instances across scopes (process instance, execution, task): the query and lookups by id. */
import { InvalidRequestError } from '../core/errors.js';
import { findVariableInstance, variableInstanceQuery, type VariableInstanceFilter, type VariableInstanceRow } from '../persistence/variable-instance-repository.js';
import { findVariableHeaderById } from '../persistence/variable-repository.js';
import type { ReadModel } from './read-models.js';
import { variableDataOf, type VariableData } from './variable-data.js';
import type { ServiceContext } from './service-context.js';

export type { VariableInstanceFilter, VariableInstanceRow } from '../persistence/variable-instance-repository.js';

export function variableInstanceReadModel(ctx: ServiceContext): ReadModel<VariableInstanceFilter, VariableInstanceRow> {
  return {
    list: (filter, options) => variableInstanceQuery.list(ctx.database.knex, filter, options),
    count: (filter) => variableInstanceQuery.count(ctx.database.knex, filter),
  };
}

const notFound = (id: string) => new InvalidRequestError(404, `Variable instance with Id '${id}' does not exist.`);

/** A variable instance, without a File's or Bytes' content. */
export async function getVariableInstance(ctx: ServiceContext, id: string): Promise<VariableInstanceRow> {
  const row = await findVariableInstance(ctx.database.knex, id);
  if (!row) throw notFound(id);
  return row;
}

/** A variable instance's binary content for `…/data`, read in pieces. */
export async function getVariableInstanceData(ctx: ServiceContext, id: string): Promise<VariableData> {
  const row = await findVariableHeaderById(ctx.database.knex, id);
  if (!row) throw notFound(id);
  return variableDataOf(ctx.database.knex, row);
}
