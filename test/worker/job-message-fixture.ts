/** A job message as the engine publishes it (one element of the REST fetchAndLock answer), for the worker's unit specs. */
import type { JobMessage } from '../../src/worker/wire-contract.js';

export function jobMessage(overrides: Partial<JobMessage> = {}): JobMessage {
  return {
    activityId: 'Task_CheckEligibility',
    activityInstanceId: 'Task_CheckEligibility:1',
    errorMessage: null,
    errorDetails: null,
    executionId: 'pi-1',
    id: 'task-1',
    lockExpirationTime: '2024-01-01T00:00:30.000+0000',
    createTime: '2024-01-01T00:00:00.000+0000',
    processDefinitionId: 'eligibility:1:x',
    processDefinitionKey: 'eligibility',
    processDefinitionVersionTag: null,
    processInstanceId: 'pi-1',
    tenantId: null,
    retries: null,
    suspended: false,
    workerId: 'kafka',
    topicName: 'check-eligibility',
    priority: 0,
    businessKey: 'order-7',
    variables: { memberId: { type: 'String', value: 'M-1', valueInfo: {} } },
    extensionProperties: {},
    ...overrides,
  };
}
