/** Tests for the Kafka transport's message handling without a broker: reading job messages and building result messages. */
import { expect } from 'chai';
import { attemptOf, readJobMessage, resultMessage } from '../../src/worker/kafka-messages.js';
import { parseTraceParent } from '../../src/core/trace-parent.js';
import { jobResultSchema } from '../../src/worker/wire-contract.js';
import type { TaskDelivery } from '../../src/worker/worker-task.js';
import { jobMessage as job } from './job-message-fixture.js';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';


describe('worker/kafka-messages', () => {
  describe('readJobMessage', () => {
    it('should read the task, the attempt and the traceparent', () => {
      // given
      const message = { value: Buffer.from(JSON.stringify(job())), headers: { attempt: Buffer.from('3'), traceparent: Buffer.from(TRACEPARENT) } };

      // when
      const read = readJobMessage(message);

      // then
      expect(read).to.deep.equal({ delivery: { message: job(), attempt: 3, traceparent: TRACEPARENT } });
    });

    it('should keep every digit of a Long beyond 2^53', () => {
      // given
      const text = JSON.stringify(job({ variables: {} })).replace('"variables":{}', '"variables":{"n":{"type":"Long","value":9007199254740993,"valueInfo":{}}}');

      // when
      const read = readJobMessage({ value: Buffer.from(text), headers: {} });

      // then
      expect('delivery' in read && read.delivery.message.variables.n.value).to.equal(9007199254740993n);
    });

    it('should count a job without a readable attempt as the first and drop an invalid traceparent', () => {
      // when
      const read = readJobMessage({ value: Buffer.from(JSON.stringify(job())), headers: { attempt: 'x', traceparent: 'nonsense' } });

      // then
      expect(read).to.deep.include({ delivery: { message: job(), attempt: 1, traceparent: null } });
    });

    it('should say why a message carries no job, without quoting its value', () => {
      expect(readJobMessage({ value: null })).to.deep.equal({ problem: 'the message has no value' });
      expect(readJobMessage({ value: Buffer.from('patient Doe {') })).to.deep.equal({ problem: 'the value is not JSON' });
      const notAJob = readJobMessage({ value: Buffer.from(JSON.stringify({ id: 'patient Doe', topicName: 't' })) });
      expect(notAJob).to.have.property('problem').that.matches(/^the value is not a job: processInstanceId: /).and.does.not.include('Doe');
    });
  });

  describe('attemptOf', () => {
    it('should read a positive decimal and default to 1', () => {
      expect(attemptOf('1')).to.equal(1);
      expect(attemptOf(' 12 ')).to.equal(12);
      expect(attemptOf(null)).to.equal(1);
      expect(attemptOf('0')).to.equal(1);
      expect(attemptOf('-2')).to.equal(1);
      expect(attemptOf('2.5')).to.equal(1);
    });
  });

  describe('resultMessage', () => {
    const traced: TaskDelivery = { message: job(), attempt: 2, traceparent: TRACEPARENT };

    it('should key the answer by process instance and address it to the task attempt', () => {
      // when
      const message = resultMessage(traced, 'eligibility-1', { action: 'complete', variables: { eligible: { type: 'Boolean', value: true, valueInfo: {} } }, localVariables: {} });

      // then
      expect(message.key).to.equal('pi-1');
      const value = JSON.parse(message.value);
      expect(value).to.deep.equal({
        taskId: 'task-1',
        attempt: 2,
        workerId: 'eligibility-1',
        action: 'complete',
        variables: { eligible: { type: 'Boolean', value: true, valueInfo: {} } },
        localVariables: {},
      });
      expect(jobResultSchema.safeParse(value).success).to.equal(true);
    });

    it('should trace the answer as a child span of the job', () => {
      // when
      const { headers } = resultMessage(traced, 'w', { action: 'extendLock', newDuration: 1000 });

      // then
      const child = parseTraceParent(headers.traceparent);
      expect(child).to.include({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', flags: '01' });
      expect(child!.parentId).not.to.equal('00f067aa0ba902b7');
    });

    it('should send no traceparent for an untraced job', () => {
      expect(resultMessage({ ...traced, traceparent: null }, 'w', { action: 'extendLock', newDuration: 1000 }).headers).to.deep.equal({});
    });

    it('should write a Long beyond 2^53 with every digit', () => {
      // when
      const { value } = resultMessage(traced, 'w', { action: 'complete', variables: { n: { type: 'Long', value: 9007199254740993n, valueInfo: {} } } });

      // then
      expect(value).to.include('"value":9007199254740993');
    });
  });
});
