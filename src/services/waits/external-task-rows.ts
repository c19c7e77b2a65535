/** External task rows: one per waiting external activity, announced to workers (REST long polls, Kafka) when created. */
import { newId } from '../../core/ids.js';
import { resolveExternalWork } from '../../engine/index.js';
import { deleteExternalTask, insertExternalTasks, listExternalTasksOfInstance, type ExternalTaskRow } from '../../persistence/external-task-repository.js';
import { deleteVariablesOfScope } from '../../persistence/variable-repository.js';
import { announceCreatedExternalTasks, firstDelivery } from '../external-task-delivery.js';
import { removeIncidentsOfConfiguration } from '../incident-lifecycle.js';
import { activityInstanceOf, type WaitRows } from './wait-rows.js';
import { handOverTraceparent } from '../../telemetry/trace-context.js';

export const externalTaskRows: WaitRows<ExternalTaskRow> = {
  kinds: ['externalTask'],
  table: 'external_task',
  count: (db, processInstanceId) => db('external_task').count('*').where({ process_instance_id: processInstanceId }),
  list: listExternalTasksOfInstance,

  async create(db, input, waits) {
    const { identity, now } = input;
    const created: ExternalTaskRow[] = [];
    for (const wait of waits) {
      const work = resolveExternalWork(wait.activityId, wait.behaviour, input.expressions(wait));
      const activityInstance = await activityInstanceOf(db, input, wait);
      const row: ExternalTaskRow = {
        id: newId(),
        process_instance_id: identity.processInstanceId,
        engine_execution_id: wait.executionId,
        execution_id: input.executionOf(wait),
        activity_id: wait.activityId,
        activity_instance_id: activityInstance.id,
        process_definition_id: identity.definition.id,
        process_definition_key: identity.definition.key,
        process_definition_version_tag: identity.definition.version_tag,
        topic_name: work.topicName,
        ...firstDelivery(input.kafka, work.topicName, now),
        retries: null,
        error_message: null,
        error_details: null,
        priority: work.priority,
        business_key: identity.businessKey,
        tenant_id: identity.tenantId,
        suspended: false,
        extension_properties: work.extensionProperties,
        create_time: now,
        traceparent: handOverTraceparent(),
      };
      created.push(row);
    }
    await insertExternalTasks(db, created, now);
    await announceCreatedExternalTasks(db, input.kafka, created, now);
  },

  async remove(db, input, tasks) {
    for (const task of tasks) {
      await deleteExternalTask(db, task.id, input.now);
      await removeIncidentsOfConfiguration(db, task.id, input.now);
      await deleteVariablesOfScope(db, task.activity_instance_id);
    }
  },

};
