/** Tests for the Kafka transport's handling of one job message, without a broker: answers, redeliveries, unreadable messages. */
import { expect } from 'chai';
import { z } from 'zod';
import { HandledJobs } from '../../src/worker/handled-jobs.js';
import { handleJobMessage, type JobMessageContext } from '../../src/worker/kafka-job-handler.js';
import type { OutgoingResultMessage } from '../../src/worker/kafka-messages.js';
import { parseTraceParent } from '../../src/core/trace-parent.js';
import { jobResultSchema, type JobMessage } from '../../src/worker/wire-contract.js';
import { resolveSubscription, type SubscribeOptions } from '../../src/worker/worker-options.js';
import type { TaskHandler, WorkerTask } from '../../src/worker/worker-task.js';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const POSITION = { topic: 'engine.jobs.check-eligibility', partition: 0, offset: '17' };

function jobValue(overrides: Partial<JobMessage> = {}): Buffer {
  const message: Partial<JobMessage> = {
    id: 'task-1',
    topicName: 'check-eligibility',
    processInstanceId: 'pi-1',
    businessKey: null,
    retries: null,
    variables: { memberId: { type: 'String', value: 'M-1', valueInfo: {} } },
    ...overrides,
  };
  return Buffer.from(JSON.stringify(message));
}

function setup(handler: (task: WorkerTask<any, any>) => Promise<unknown>, options: SubscribeOptions<z.ZodType | undefined, z.ZodType | undefined> = {}) {
  const produced: OutgoingResultMessage[] = [];
  const logs: string[] = [];
  let calls = 0;
  const context: JobMessageContext = {
    subscription: resolveSubscription('check-eligibility', (async (task) => {
      calls++;
      return handler(task);
    }) as TaskHandler<unknown, unknown>, options),
    workerId: 'eligibility-1',
    handled: new HandledJobs(),
    produce: async (message) => {
      produced.push(message);
    },
    logger: { info: (m) => logs.push(`info: ${m}`), warn: (m) => logs.push(`warn: ${m}`), error: (m) => logs.push(`error: ${m}`) },
  };
  return { context, produced, logs, calls: () => calls };
}

describe('worker/kafka-job-handler', () => {
  it('should run the job and produce its answer as a result message of the contract', async () => {
    // given
    const { context, produced } = setup((task) => task.complete({ eligible: task.variables.memberId === 'M-1' }), { variables: z.object({ memberId: z.string() }) });

    // when
    await handleJobMessage({ value: jobValue(), headers: { attempt: Buffer.from('2'), traceparent: Buffer.from(TRACEPARENT) } }, POSITION, context);

    // then
    expect(produced).to.have.length(1);
    const [message] = produced;
    expect(message.key).to.equal('pi-1');
    expect(parseTraceParent(message.headers.traceparent)).to.include({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', flags: '01' });
    const result = jobResultSchema.parse(JSON.parse(message.value));
    expect(result).to.deep.equal({
      taskId: 'task-1',
      attempt: 2,
      workerId: 'eligibility-1',
      action: 'complete',
      variables: { eligible: { type: 'Boolean', value: true, valueInfo: {} } },
      localVariables: {},
    });
  });

  it('should produce lock extensions before the final answer, all addressed to the attempt', async () => {
    // given
    const { context, produced } = setup(async (task) => {
      await task.extendLock(60_000);
      return task.bpmnError('NOT_ELIGIBLE', 'no member');
    });

    // when
    await handleJobMessage({ value: jobValue(), headers: { attempt: '3' } }, POSITION, context);

    // then
    const results = produced.map((m) => jobResultSchema.parse(JSON.parse(m.value)));
    expect(results.map((r) => [r.action, r.attempt])).to.deep.equal([['extendLock', 3], ['bpmnError', 3]]);
    expect(produced.map((m) => m.headers)).to.deep.equal([{}, {}]);
  });

  it('should skip a redelivered attempt without running the handler again, and run the next attempt', async () => {
    // given
    const { context, produced, logs, calls } = setup(async () => {
      throw new Error('register down');
    });
    const message = { value: jobValue(), headers: { attempt: '1' } };

    // when
    await handleJobMessage(message, POSITION, context);
    await handleJobMessage(message, POSITION, context);
    await handleJobMessage({ value: jobValue({ retries: 3 }), headers: { attempt: '2' } }, POSITION, context);

    // then
    expect(calls()).to.equal(2);
    expect(produced.map((m) => JSON.parse(m.value)).map((r) => [r.attempt, r.action, r.retries])).to.deep.equal([[1, 'failure', 3], [2, 'failure', 2]]);
    expect(logs).to.include('info: task task-1 attempt 1 was handled already; skipped its redelivery');
  });

  it('should resolve only after the answer was produced, so the offset is committed after it', async () => {
    // given: a producer waiting for the broker
    const { context } = setup((task) => task.complete({}));
    const events: string[] = [];
    context.produce = async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      events.push('acknowledged');
    };

    // when
    await handleJobMessage({ value: jobValue(), headers: {} }, POSITION, context);
    events.push('offset may be committed');

    // then
    expect(events).to.deep.equal(['acknowledged', 'offset may be committed']);
  });

  it('should log and skip an unreadable message without quoting it', async () => {
    // given
    const { context, produced, logs, calls } = setup((task) => task.complete({}));

    // when
    await handleJobMessage({ value: Buffer.from('{"patient":"Doe"') }, POSITION, context);
    await handleJobMessage({ value: null }, POSITION, context);

    // then
    expect(calls()).to.equal(0);
    expect(produced).to.deep.equal([]);
    expect(logs).to.deep.equal([
      'error: skipped the job message at engine.jobs.check-eligibility[0] offset 17: the value is not JSON',
      'error: skipped the job message at engine.jobs.check-eligibility[0] offset 17: the message has no value',
    ]);
  });
});
