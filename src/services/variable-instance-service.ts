/** Camunda's runtime variable instances across scopes (process instance, execution, task): the query and lookups by id. */
import { InvalidRequestError } from '../core/errors.js';
import { findVariableInstance, variableInstanceQuery, type VariableInstanceFilter, type VariableInstanceRow } from '../persistence/variable-instance-repository.js';
import type { ReadModel } from './read-models.js';
import type { ServiceContext } from './service-context.js';

export type { VariableInstanceFilter, VariableInstanceRow } from '../persistence/variable-instance-repository.js';

export function variableInstanceReadModel(ctx: ServiceContext): ReadModel<VariableInstanceFilter, VariableInstanceRow> {
  return {
    list: (filter, options) => variableInstanceQuery.list(ctx.database.knex, filter, options),
    count: (filter) => variableInstanceQuery.count(ctx.database.knex, filter),
  };
}

/** A variable instance; with `withContent`, a File's or Bytes' content too. */
export async function getVariableInstance(ctx: ServiceContext, id: string, options: { withContent: boolean }): Promise<VariableInstanceRow> {
  const row = await findVariableInstance(ctx.database.knex, id, options);
  if (!row) throw new InvalidRequestError(404, `Variable instance with Id '${id}' does not exist.`);
  return row;
}
