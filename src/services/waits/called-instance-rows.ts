/** The wait of a call activity: its child instance, found by the caller's run of the call (`super_engine_execution_id`). */
import { listCalledInstances } from '../../persistence/process-instance-repository.js';
import type { WaitRows } from './wait-rows.js';

export const calledInstanceRows: WaitRows = {
  kinds: ['callActivity'],
  // The child keeps the caller's execution in super_execution_id.
  table: 'process_instance',
  executionColumn: 'super_execution_id',
  engineExecutionColumn: 'super_engine_execution_id',
  count: (db, processInstanceId) => db('process_instance').count('*').where({ super_process_instance_id: processInstanceId }),
  list: listCalledInstances,

  async create(_db, input, waits) {
    for (const wait of waits) await input.startCalledInstance(wait);
  },

  async remove(_db, input, children) {
    for (const child of children) await input.terminateCalledInstance(child.id);
  },

  // The caller's end or deletion terminates its children itself (termination.ts).
};
