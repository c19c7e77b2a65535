/** The wait of a call activity: its child instance, found by the caller's run of the call (`super_engine_execution_id`). */
import type { Db } from '../../persistence/database.js';
import type { WaitRow, WaitRows } from './wait-rows.js';

async function listChildren(db: Db, processInstanceId: string, engineExecutionIds?: string[]): Promise<WaitRow[]> {
  const query = db('process_instance').where({ super_process_instance_id: processInstanceId });
  if (engineExecutionIds) query.whereIn('super_engine_execution_id', engineExecutionIds);
  return query.select('id', 'super_engine_execution_id as engine_execution_id', 'super_execution_id as execution_id');
}

export const calledInstanceRows: WaitRows = {
  kinds: ['callActivity'],
  // The child keeps the caller's execution in super_execution_id.
  table: 'process_instance',
  executionColumn: 'super_execution_id',
  engineExecutionColumn: 'super_engine_execution_id',
  count: (db, processInstanceId) => db('process_instance').count('*').where({ super_process_instance_id: processInstanceId }),
  list: listChildren,

  async create(_db, input, waits) {
    for (const wait of waits) await input.startCalledInstance(wait);
  },

  async remove(_db, input, children) {
    for (const child of children) await input.terminateCalledInstance(child.id);
  },

  // The caller's end or deletion terminates its children itself (termination.ts).
  async removeAll() {},
};
