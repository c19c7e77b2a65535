/** The schema log: which migrations this database has applied, and when. */
import { listSchemaLog, type SchemaLogRow } from '../persistence/schema-log-repository.js';
import type { ListOptions } from './read-models.js';
import type { ServiceContext } from './service-context.js';

export function schemaLog(ctx: ServiceContext, filter: { version?: string }, options: ListOptions): Promise<SchemaLogRow[]> {
  return listSchemaLog(ctx.database.knex, filter, options);
}
