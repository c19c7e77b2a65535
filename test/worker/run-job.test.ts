/** Tests for running one job without a transport: input and output checks, the handler's answers, throws and silences. */
import { expect } from 'chai';
import { z } from 'zod';
import { NO_ANSWER_MESSAGE, runJob } from '../../src/worker/run-job.js';
import { TaskAlreadyAnsweredError } from '../../src/worker/task-answers.js';
import type { JobAnswer, JobMessage, WireVariables } from '../../src/worker/wire-contract.js';
import { resolveSubscription, type SubscribeOptions } from '../../src/worker/worker-options.js';
import type { TaskHandler, WorkerTask } from '../../src/worker/worker-task.js';
import { jobMessage } from './job-message-fixture.js';

function job(variables: WireVariables, retries: number | null = null): JobMessage {
  return jobMessage({ variables, retries, lockExpirationTime: null, workerId: 'w' });
}

const MEMBER = { memberId: { type: 'String', value: 'M-1', valueInfo: {} } };

interface Run {
  answers: JobAnswer[];
  logs: string[];
  seen: WorkerTask<any, any> | undefined;
}

async function run(
  handler: (task: WorkerTask<any, any>) => Promise<unknown>,
  options: SubscribeOptions<z.ZodType | undefined, z.ZodType | undefined> = {},
  message: JobMessage = job(MEMBER),
  send: (answer: JobAnswer) => Promise<void> = async () => {},
): Promise<Run> {
  const result: Run = { answers: [], logs: [], seen: undefined };
  const subscription = resolveSubscription(
    'check-eligibility',
    (async (task) => {
      result.seen = task;
      return handler(task);
    }) as TaskHandler<unknown, unknown>,
    options,
  );
  const logger = { info: (m: string) => result.logs.push(`info: ${m}`), warn: (m: string) => result.logs.push(`warn: ${m}`), error: (m: string) => result.logs.push(`error: ${m}`) };
  await runJob({ message, attempt: 2, traceparent: null }, subscription, async (answer) => {
    result.answers.push(answer);
    await send(answer);
  }, logger);
  return result;
}

describe('worker/run-job', () => {
  describe('input', () => {
    it('should give the handler the plain variables and the task fields', async () => {
      // when
      const { seen } = await run((task) => task.complete({}));

      // then
      expect(seen).to.include({ id: 'task-1', topicName: 'check-eligibility', processInstanceId: 'pi-1', businessKey: 'order-7', retries: null, attempt: 2, traceparent: null });
      expect(seen!.variables).to.deep.equal({ memberId: 'M-1' });
      expect(seen!.raw.variables).to.deep.equal(MEMBER);
    });

    it('should give the handler what the input schema parsed (defaults applied, unknown keys stripped)', async () => {
      // when
      const { seen } = await run((task) => task.complete({}), { variables: z.object({ memberId: z.string(), plan: z.string().default('basic') }) }, job({ ...MEMBER, other: { type: 'Integer', value: 1, valueInfo: {} } }));

      // then
      expect(seen!.variables).to.deep.equal({ memberId: 'M-1', plan: 'basic' });
    });

    it('should answer a schema mismatch with a failure without retries and not call the handler', async () => {
      // given
      let called = false;

      // when
      const { answers, logs } = await run(
        async (task) => {
          called = true;
          return task.complete({});
        },
        { variables: z.object({ memberId: z.number(), plan: z.enum(['basic', 'premium']) }) },
      );

      // then
      const message = 'Input variables do not match the schema: memberId: Invalid input: expected number, received string; plan: Invalid option: expected one of "basic"|"premium"';
      expect(called).to.equal(false);
      expect(answers).to.deep.equal([{ action: 'failure', errorMessage: message, errorDetails: message, retries: 0, retryTimeout: 0 }]);
      expect(logs).to.deep.equal([`warn: task task-1 (topic check-eligibility, attempt 2): ${message}; answered a failure without retries`]);
      expect(logs.join()).not.to.include('M-1');
    });

    it('should answer unreadable variables with a failure without retries', async () => {
      // when
      const { answers, seen } = await run((task) => task.complete({}), {}, job({ age: { type: 'Integer', value: 'patient Doe', valueInfo: {} } }));

      // then
      expect(seen).to.equal(undefined);
      expect(answers).to.deep.equal([
        { action: 'failure', errorMessage: "Input variables cannot be read: Variable 'age' cannot be read as type Integer", errorDetails: "Input variables cannot be read: Variable 'age' cannot be read as type Integer", retries: 0, retryTimeout: 0 },
      ]);
    });
  });

  describe('answers', () => {
    it('should complete with the variables in wire form', async () => {
      // when
      const { answers } = await run((task) => task.complete({ eligible: true, checkedAt: new Date('2024-01-01T00:00:00.000Z') }, { note: 'local' }));

      // then
      expect(answers).to.deep.equal([
        {
          action: 'complete',
          variables: { eligible: { type: 'Boolean', value: true, valueInfo: {} }, checkedAt: { type: 'Date', value: '2024-01-01T00:00:00.000+0000', valueInfo: {} } },
          localVariables: { note: { type: 'String', value: 'local', valueInfo: {} } },
        },
      ]);
    });

    it('should complete with what the output schema parsed', async () => {
      // when
      const { answers } = await run((task) => task.complete({ eligible: true, extra: 1 }), { output: z.object({ eligible: z.boolean(), score: z.number().default(0) }) });

      // then
      expect(answers[0]).to.deep.include({ variables: { eligible: { type: 'Boolean', value: true, valueInfo: {} }, score: { type: 'Integer', value: 0, valueInfo: {} } } });
    });

    it('should answer an output mismatch with a failure without retries instead of completing', async () => {
      // when
      const { answers, logs } = await run(async (task) => {
        const answered = await task.complete({ eligible: 'yes' });
        expect(answered.action).to.equal('failure');
        return answered;
      }, { output: z.object({ eligible: z.boolean() }) });

      // then
      const message = 'Output variables do not match the schema: eligible: Invalid input: expected boolean, received string';
      expect(answers).to.deep.equal([{ action: 'failure', errorMessage: message, errorDetails: message, retries: 0, retryTimeout: 0 }]);
      expect(logs).to.deep.equal([`warn: task task-1 (topic check-eligibility, attempt 2): ${message}; answered a failure without retries`]);
    });

    it('should answer output that cannot be written with a failure without retries', async () => {
      // given
      const circular: Record<string, unknown> = {};
      circular.self = circular;

      // when
      const { answers } = await run((task) => task.complete({ result: circular }));

      // then
      expect(answers).to.have.length(1);
      expect(answers[0]).to.deep.include({ action: 'failure', errorMessage: "Output variables cannot be written: Variable 'result' cannot be written: it holds an object JSON cannot represent (circular?)", retries: 0 });
    });

    it('should throw a BPMN error with its variables', async () => {
      // when
      const { answers } = await run((task) => task.bpmnError('NOT_ELIGIBLE', 'no member', { reason: 'unknown' }));

      // then
      expect(answers).to.deep.equal([{ action: 'bpmnError', errorCode: 'NOT_ELIGIBLE', errorMessage: 'no member', variables: { reason: { type: 'String', value: 'unknown', valueInfo: {} } } }]);
    });

    it('should fail with the default retries and retry timeout, or those given', async () => {
      // when
      const first = await run((task) => task.fail({ message: 'register down' }), { retries: 5, retryTimeout: 250 });
      const later = await run((task) => task.fail({ message: 'register down', details: 'd' }), { retries: 5 }, job(MEMBER, 2));
      const given = await run((task) => task.fail({ message: 'm', retries: 0, retryTimeout: 0 }), {}, job(MEMBER, 2));

      // then
      expect(first.answers).to.deep.equal([{ action: 'failure', errorMessage: 'register down', errorDetails: null, retries: 5, retryTimeout: 250 }]);
      expect(later.answers).to.deep.equal([{ action: 'failure', errorMessage: 'register down', errorDetails: 'd', retries: 1, retryTimeout: 1000 }]);
      expect(given.answers).to.deep.equal([{ action: 'failure', errorMessage: 'm', errorDetails: null, retries: 0, retryTimeout: 0 }]);
    });

    it('should extend the lock any number of times before the final answer', async () => {
      // when
      const { answers } = await run(async (task) => {
        await task.extendLock(60_000);
        await task.extendLock(90_000);
        return task.complete();
      });

      // then
      expect(answers.map((a) => a.action)).to.deep.equal(['extendLock', 'extendLock', 'complete']);
      expect(answers[1]).to.deep.equal({ action: 'extendLock', newDuration: 90_000 });
    });

    it('should throw in the handler when it answers twice or extends the lock after answering', async () => {
      // given
      const thrown: unknown[] = [];

      // when
      const { answers } = await run(async (task) => {
        const answered = await task.complete({});
        for (const again of [() => task.complete({}), () => task.fail({ message: 'x' }), () => task.bpmnError('E'), () => task.extendLock(1000)]) {
          try {
            await again();
          } catch (error) {
            thrown.push(error);
          }
        }
        return answered;
      });

      // then
      expect(answers).to.have.length(1);
      expect(thrown).to.have.length(4);
      for (const error of thrown) expect(error).to.be.instanceOf(TaskAlreadyAnsweredError);
      expect((thrown[0] as Error).message).to.equal('Task task-1 was already answered (complete); complete is refused: a task takes one final answer');
    });

    it('should refuse a second answer at once, even while the first is still being checked', async () => {
      // when
      const { answers } = await run(async (task) => {
        const first = task.complete({ ok: true });
        expect(() => task.bpmnError('E')).to.throw(TaskAlreadyAnsweredError);
        return first;
      }, { output: z.object({ ok: z.boolean() }) });

      // then
      expect(answers.map((a) => a.action)).to.deep.equal(['complete']);
    });
  });

  describe('handlers that do not answer', () => {
    it('should answer a throw with a failure carrying message and stack, counting the retries down', async () => {
      // when
      const first = await run(async () => {
        throw new Error('register down');
      }, { retries: 2, retryTimeout: 500 });
      const later = await run(async () => {
        throw new Error('register down');
      }, {}, job(MEMBER, 1));
      const last = await run(async () => {
        throw new Error('register down');
      }, {}, job(MEMBER, 0));

      // then
      expect(first.answers).to.have.length(1);
      expect(first.answers[0]).to.deep.include({ action: 'failure', errorMessage: 'register down', retries: 2, retryTimeout: 500 });
      expect((first.answers[0] as { errorDetails: string }).errorDetails).to.match(/^Error: register down\n\s+at /);
      expect(first.logs).to.deep.equal(['warn: task task-1 (topic check-eligibility, attempt 2): the handler failed (register down); 2 retries left']);
      expect(later.answers[0]).to.deep.include({ retries: 0, retryTimeout: 1000 });
      expect(last.answers[0]).to.deep.include({ retries: 0 });
    });

    it('should answer a thrown non-error by its text', async () => {
      // when
      const { answers } = await run(async () => {
        throw 'plain text';
      });

      // then
      expect(answers).to.deep.equal([{ action: 'failure', errorMessage: 'plain text', errorDetails: null, retries: 3, retryTimeout: 1000 }]);
    });

    it('should answer a handler that returns without answering with a failure without retries', async () => {
      // when
      const { answers, logs } = await run(async () => undefined);

      // then
      expect(answers).to.deep.equal([{ action: 'failure', errorMessage: NO_ANSWER_MESSAGE, errorDetails: null, retries: 0, retryTimeout: 0 }]);
      expect(logs).to.deep.equal([`error: task task-1 (topic check-eligibility, attempt 2): ${NO_ANSWER_MESSAGE}; answered a failure without retries`]);
    });

    it('should only log a handler that throws after its answer', async () => {
      // when
      const { answers, logs } = await run(async (task) => {
        await task.complete({});
        throw new Error('cleanup failed');
      });

      // then
      expect(answers.map((a) => a.action)).to.deep.equal(['complete']);
      expect(logs).to.deep.equal(['error: task task-1 (topic check-eligibility, attempt 2): the handler threw after answering: cleanup failed']);
    });
  });

  describe('delivery', () => {
    it('should end only once an answer the handler did not await was delivered', async () => {
      // given: a slow transport
      const events: string[] = [];
      const send = async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        events.push('delivered');
      };

      // when
      await run(async (task) => {
        const answered = task.complete({});
        void answered;
        events.push('handler returned');
        return undefined;
      }, {}, job(MEMBER), send);
      events.push('job ended');

      // then
      expect(events).to.deep.equal(['handler returned', 'delivered', 'job ended']);
    });

    it('should reject the answer in the handler when it cannot be delivered, and report it once', async () => {
      // given
      let rejection: unknown;

      // when
      const { logs } = await run(async (task) => {
        try {
          return await task.complete({});
        } catch (error) {
          rejection = error;
          throw error;
        }
      }, {}, job(MEMBER), async () => {
        throw new Error('404 task gone');
      });

      // then
      expect((rejection as Error).message).to.equal('404 task gone');
      expect(logs).to.deep.equal(['error: task task-1 (topic check-eligibility, attempt 2): the complete answer was not delivered: 404 task gone']);
    });
  });
});
