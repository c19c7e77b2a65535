/** Tests for wire contract v1: topic names and the result schema the engine validates answers with. */
import { expect } from 'chai';
import { deadLetterTopic, jobMessageSchema, jobResultSchema, jobTopic, resultTopic, WIRE_CONTRACT_VERSION } from '../../src/worker/wire-contract.js';

const ADDRESS = { taskId: 'task-1', attempt: 1, workerId: 'eligibility-1' };

describe('worker/wire-contract', () => {
  it('should be version 1 and name its topics after the prefix', () => {
    expect(WIRE_CONTRACT_VERSION).to.equal(1);
    expect(jobTopic('engine', 'check-eligibility')).to.equal('engine.jobs.check-eligibility');
    expect(resultTopic('engine')).to.equal('engine.job-results');
    expect(deadLetterTopic('engine')).to.equal('engine.job-results.dlq');
  });

  describe('jobResultSchema', () => {
    it('should accept each action with the body of its REST call', () => {
      for (const result of [
        { ...ADDRESS, action: 'complete', variables: { eligible: { type: 'Boolean', value: true, valueInfo: {} } }, localVariables: {} },
        { ...ADDRESS, action: 'complete' },
        { ...ADDRESS, action: 'failure', errorMessage: 'down', errorDetails: 'stack', retries: 2, retryTimeout: 1000 },
        { ...ADDRESS, action: 'failure', errorMessage: null, errorDetails: null, retries: 0, retryTimeout: 0 },
        { ...ADDRESS, action: 'bpmnError', errorCode: 'NOT_ELIGIBLE', errorMessage: 'no member', variables: { reason: { type: 'String', value: 'x' } } },
        { ...ADDRESS, action: 'extendLock', newDuration: 60_000 },
      ]) {
        expect(jobResultSchema.safeParse(result).success, JSON.stringify(result)).to.equal(true);
      }
    });

    it('should keep the fields of the action and drop unknown ones', () => {
      // when
      const parsed = jobResultSchema.parse({ ...ADDRESS, action: 'extendLock', newDuration: 5, extra: 'x' });

      // then
      expect(parsed).to.deep.equal({ ...ADDRESS, action: 'extendLock', newDuration: 5 });
    });

    it('should reject results that are incomplete or wrong', () => {
      for (const [why, result] of [
        ['no task id', { ...ADDRESS, taskId: '', action: 'complete' }],
        ['attempt 0', { ...ADDRESS, attempt: 0, action: 'complete' }],
        ['fractional attempt', { ...ADDRESS, attempt: 1.5, action: 'complete' }],
        ['no worker', { taskId: 't', attempt: 1, action: 'complete' }],
        ['unknown action', { ...ADDRESS, action: 'unlock' }],
        ['failure without retries', { ...ADDRESS, action: 'failure', errorMessage: 'x' }],
        ['negative retries', { ...ADDRESS, action: 'failure', retries: -1 }],
        ['bpmnError without code', { ...ADDRESS, action: 'bpmnError', errorMessage: 'x' }],
        ['extendLock without duration', { ...ADDRESS, action: 'extendLock' }],
        ['extendLock by 0 ms', { ...ADDRESS, action: 'extendLock', newDuration: 0 }],
        ['untyped variable', { ...ADDRESS, action: 'complete', variables: { a: { value: 1 } } }],
        ['not an object', 'complete'],
      ] as const) {
        expect(jobResultSchema.safeParse(result).success, why).to.equal(false);
      }
    });
  });

  describe('jobMessageSchema', () => {
    it('should accept a fetchAndLock element and keep every field', () => {
      // given
      const job = { id: 't', topicName: 'check-eligibility', processInstanceId: 'p', businessKey: null, retries: null, variables: {}, priority: 0, extensionProperties: {} };

      // when / then
      expect(jobMessageSchema.parse(job)).to.deep.equal(job);
    });

    it('should reject a value without the ids a worker needs', () => {
      expect(jobMessageSchema.safeParse({ topicName: 't', processInstanceId: 'p' }).success).to.equal(false);
      expect(jobMessageSchema.safeParse({ id: 't', topicName: 't', processInstanceId: 'p', variables: { a: 1 } }).success).to.equal(false);
    });
  });
});
