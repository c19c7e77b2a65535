/** Scenario: the worker SDK's REST transport drives eligibility checks against the real engine on a real HTTP port. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { z } from 'zod';
import { createWorker, type RestWorkerOptions, type Worker } from '../../src/worker/index.js';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { RestClient } from '../support/rest-client.js';
import { waitFor } from '../support/wait-for.js';

const TOPIC = 'check-eligibility';
const USERS = new Map([['worker', 'secret']]);

/** Starts the engine's app on a free port (keeping each request's method, path and headers); returns its REST base URL and a closer. */
async function listen(engine: TestEngine, requests: Array<{ url: string; headers: IncomingHttpHeaders }>): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    requests.push({ url: req.url!, headers: req.headers });
    engine.app(req, res);
  }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/engine-rest`,
    async close() {
      // Parked polls are answered first, so the server closes without waiting for them.
      await engine.fetchAndLockWaiter.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function gate(): { opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describeOnDatabases('worker/rest-transport', (use) => {
  let engine: TestEngine;
  let rest: RestClient;
  let http: { baseUrl: string; close(): Promise<void> };
  let workers: Worker[] = [];
  let instances: string[] = [];
  let logs: string[] = [];
  const requests: Array<{ url: string; headers: IncomingHttpHeaders }> = [];

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    await rest.deployFixture('worker-eligibility.bpmn');
    http = await listen(engine, requests);
  });

  afterEach(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    workers = [];
    // Instances a test left waiting (an incident, a user task) must not hand tasks to the next test's worker.
    for (const id of instances) await rest.delete(`/process-instance/${id}?skipCustomListeners=true`, { undocumentedStatus: 404 });
    instances = [];
    logs = [];
  });

  after(async () => {
    await http?.close();
  });

  function worker(options: Partial<RestWorkerOptions> = {}): Worker {
    const created = createWorker({
      transport: 'rest',
      baseUrl: http.baseUrl,
      workerId: 'sdk-worker',
      asyncResponseTimeout: 5000,
      logger: { info: () => {}, warn: (m) => logs.push(`warn: ${m}`), error: (m) => logs.push(`error: ${m}`) },
      ...options,
    });
    workers.push(created);
    return created;
  }

  async function start(variables: Record<string, { type: string; value: unknown; valueInfo?: object }>, businessKey = 'member-check'): Promise<string> {
    const started = await rest.post('/process-definition/key/eligibility/start', { businessKey, variables });
    expect(started.status, started.text).to.equal(200);
    instances.push(started.body.id);
    return started.body.id;
  }

  async function historicState(instanceId: string): Promise<string> {
    return (await rest.get(`/history/process-instance?processInstanceId=${instanceId}`)).body[0]?.state;
  }

  async function ended(instanceId: string): Promise<void> {
    await waitFor(async () => (await historicState(instanceId)) === 'COMPLETED', `instance ${instanceId} to complete`, 10_000);
  }

  async function storedVariables(instanceId: string): Promise<Record<string, { type: string; value: unknown }>> {
    const stored = (await rest.get(`/history/variable-instance?processInstanceId=${instanceId}`)).body as Array<{ name: string; type: string; value: unknown }>;
    return Object.fromEntries(stored.map((v) => [v.name, { type: v.type, value: v.value }]));
  }

  async function incidents(instanceId: string): Promise<Array<{ incidentType: string; incidentMessage: string; activityId: string }>> {
    return (await rest.get(`/incident?processInstanceId=${instanceId}`)).body;
  }

  async function reached(instanceId: string, activityId: string): Promise<boolean> {
    return (await rest.get(`/history/activity-instance?processInstanceId=${instanceId}&activityId=${activityId}`)).body.length > 0;
  }

  it('should read typed variables through the input schema and complete with typed output', async () => {
    // given: an instance with a String, a Date, a Json and a variable the schema does not name
    const instanceId = await start({
      memberId: { type: 'String', value: 'M-1001' },
      bornAt: { type: 'Date', value: '1980-02-03T04:05:06.007+0000' },
      profile: { type: 'Json', value: '{"plan":"premium","since":2019}' },
      secretNote: { type: 'String', value: 'not for this worker' },
    });
    let seen: { variables: unknown; names: string[]; attempt: number; businessKey: string | null } | undefined;

    // when
    worker()
      .subscribe(
        TOPIC,
        async (task) => {
          seen = { variables: task.variables, names: Object.keys(task.raw.variables).sort(), attempt: task.attempt, businessKey: task.businessKey };
          const { profile, bornAt } = task.variables;
          return task.complete({ eligible: profile.plan === 'premium', score: profile.since - 2000, checkedAt: new Date('2024-05-06T07:08:09.010Z'), summary: { born: bornAt.getUTCFullYear() } });
        },
        {
          variables: z.object({ memberId: z.string(), bornAt: z.date(), profile: z.object({ plan: z.enum(['basic', 'premium']), since: z.number() }) }),
          output: z.object({ eligible: z.boolean(), score: z.number().int(), checkedAt: z.date(), summary: z.object({ born: z.number() }) }),
        },
      )
      .start();
    await ended(instanceId);

    // then: the handler saw plain values, and only the variables its schema names were fetched
    expect(seen).to.deep.equal({
      variables: { memberId: 'M-1001', bornAt: new Date('1980-02-03T04:05:06.007Z'), profile: { plan: 'premium', since: 2019 } },
      names: ['bornAt', 'memberId', 'profile'],
      attempt: 1,
      businessKey: 'member-check',
    });
    // … the output was stored under Camunda's types, and the gateway read it
    const stored = await storedVariables(instanceId);
    expect(stored.eligible).to.deep.equal({ type: 'Boolean', value: true });
    expect(stored.score).to.deep.equal({ type: 'Integer', value: 19 });
    expect(stored.checkedAt).to.deep.equal({ type: 'Date', value: '2024-05-06T07:08:09.010+0000' });
    expect(stored.summary.type).to.equal('Json');
    expect(JSON.parse(stored.summary.value as string)).to.deep.equal({ born: 1980 });
    expect(await reached(instanceId, 'End_Eligible')).to.equal(true);
    expect(logs).to.deep.equal([]);
  });

  it('should ask for the trace context, hand it to the handler and answer in the same trace', async () => {
    // given: an instance started in a caller's trace
    const caller = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const started = await rest.post('/process-definition/key/eligibility/start', { variables: { memberId: { type: 'String', value: 'M-7' } } }, { headers: { traceparent: caller } });
    instances.push(started.body.id);
    requests.length = 0;
    let seen: string | null = null;

    // when
    worker().subscribe(TOPIC, async (task) => {
      seen = task.traceparent;
      return task.complete({ eligible: true });
    }).start();
    await ended(started.body.id);

    // then: the poll opted in, the handler saw the caller's trace, and the answer continued it
    expect(requests.find((request) => request.url.endsWith('/external-task/fetchAndLock'))!.headers.prefer).to.equal('traceparent');
    expect(seen).to.match(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    const answer = requests.find((request) => request.url.endsWith('/complete'))!;
    expect(answer.headers.traceparent).to.match(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(answer.headers.traceparent).not.to.equal(seen);
  });

  it('should throw a BPMN error that the boundary event catches', async () => {
    // given: an instance without a member id
    const instanceId = await start({ memberId: { type: 'Null', value: null } });

    // when
    worker()
      .subscribe(
        TOPIC,
        async (task) => {
          if (!task.variables.memberId) return task.bpmnError('NOT_ELIGIBLE', 'no member', { reason: 'unknown' });
          return task.complete({ eligible: true });
        },
        { variables: z.object({ memberId: z.string().nullable() }) },
      )
      .start();
    await waitFor(async () => (await rest.get(`/task?processInstanceId=${instanceId}`)).body.length === 1, 'the manual review task', 10_000);

    // then
    const [review] = (await rest.get(`/task?processInstanceId=${instanceId}`)).body;
    expect(review.taskDefinitionKey).to.equal('Task_ManualReview');
    const stored = await storedVariables(instanceId);
    expect(stored.rejectionCode).to.deep.equal({ type: 'String', value: 'NOT_ELIGIBLE' });
    expect(stored.rejectionMessage).to.deep.equal({ type: 'String', value: 'no member' });
    expect(stored.reason).to.deep.equal({ type: 'String', value: 'unknown' });
    expect(logs).to.deep.equal([]);
  });

  it('should report a thrown error as a failure, retry it, and raise an incident once the retries ran out', async () => {
    // given
    const instanceId = await start({ memberId: { type: 'String', value: 'M-1' } });
    const attempts: Array<number | null> = [];

    // when: every attempt throws, with one retry allowed after the first failure
    worker()
      .subscribe(
        TOPIC,
        async (task) => {
          attempts.push(task.retries);
          throw new Error('membership register unavailable');
        },
        { retries: 1, retryTimeout: 100 },
      )
      .start();
    await waitFor(async () => (await incidents(instanceId)).length === 1, 'the incident', 10_000);

    // then: the first attempt had no retries count, the second the one left
    expect(attempts).to.deep.equal([null, 1]);
    const [incident] = await incidents(instanceId);
    expect(incident).to.include({ incidentType: 'failedExternalTask', incidentMessage: 'membership register unavailable', activityId: 'Task_CheckEligibility' });
    const [task] = (await rest.get(`/external-task?processInstanceId=${instanceId}`)).body;
    expect(task).to.include({ retries: 0, errorMessage: 'membership register unavailable' });
    const details = await (await fetch(`${http.baseUrl}/external-task/${task.id}/errorDetails`)).text();
    expect(details).to.match(/^Error: membership register unavailable\n\s+at /);
    expect(logs).to.have.length(2);
  });

  it('should raise an incident with a clear message when the input does not match the schema, without calling the handler', async () => {
    // given: a member id stored as an Integer
    const instanceId = await start({ memberId: { type: 'Integer', value: 1001 } });
    let called = false;

    // when
    worker()
      .subscribe(
        TOPIC,
        async (task) => {
          called = true;
          return task.complete({ eligible: true });
        },
        { variables: z.object({ memberId: z.string(), plan: z.enum(['basic', 'premium']) }) },
      )
      .start();
    await waitFor(async () => (await incidents(instanceId)).length === 1, 'the incident', 10_000);

    // then
    const message = 'Input variables do not match the schema: memberId: Invalid input: expected string, received number; plan: Invalid option: expected one of "basic"|"premium"';
    expect((await incidents(instanceId))[0].incidentMessage).to.equal(message);
    expect((await rest.get(`/external-task?processInstanceId=${instanceId}`)).body[0]).to.include({ retries: 0, errorMessage: message });
    expect(called).to.equal(false);
    expect(logs).to.have.length(1);
    expect(logs[0]).to.match(/^warn: task .* \(topic check-eligibility, attempt 1\): Input variables do not match the schema: /);
  });

  it('should raise an incident when the output does not match the schema, instead of completing', async () => {
    // given
    const instanceId = await start({ memberId: { type: 'String', value: 'M-1' } });

    // when
    worker()
      .subscribe(TOPIC, async (task) => task.complete({ eligible: 'probably' as unknown as boolean }), { output: z.object({ eligible: z.boolean() }) })
      .start();
    await waitFor(async () => (await incidents(instanceId)).length === 1, 'the incident', 10_000);

    // then
    expect((await incidents(instanceId))[0].incidentMessage).to.equal('Output variables do not match the schema: eligible: Invalid input: expected boolean, received string');
    expect(await storedVariables(instanceId)).not.to.have.property('eligible');
  });

  it('should extend the lock while the handler works', async () => {
    // given
    const instanceId = await start({ memberId: { type: 'String', value: 'M-1' } });
    const extended = gate();
    const checked = gate();

    // when: the handler, locked for 10 s, extends to 2 minutes and waits while the test looks
    worker()
      .subscribe(
        TOPIC,
        async (task) => {
          await task.extendLock(120_000);
          await task.extendLock(180_000);
          extended.open();
          await checked.opened;
          return task.complete({ eligible: true });
        },
        { lockDuration: 10_000 },
      )
      .start();
    await extended.opened;

    // then
    const [task] = (await rest.get(`/external-task?processInstanceId=${instanceId}`)).body;
    const remaining = Date.parse(task.lockExpirationTime) - Date.now();
    expect(remaining).to.be.within(170_000, 181_000);
    expect(task.workerId).to.equal('sdk-worker');
    checked.open();
    await ended(instanceId);
  });

  it('should stop gracefully: no new polls, and the running handler still delivers its answer', async () => {
    // given: a handler in the middle of its work
    const instanceId = await start({ memberId: { type: 'String', value: 'M-1' } });
    const running = gate();
    const release = gate();
    const subject = worker().subscribe(TOPIC, async (task) => {
      running.open();
      await release.opened;
      return task.complete({ eligible: false });
    });
    await subject.start();
    await running.opened;

    // when: stop is called first, the handler finishes afterwards
    let stopped = false;
    const stopping = subject.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 150));
    const stoppedBeforeRelease = stopped;
    release.open();
    await stopping;

    // then: stop waited for the handler, and its completion reached the engine
    expect(stoppedBeforeRelease).to.equal(false);
    expect(await historicState(instanceId)).to.equal('COMPLETED');
    expect(await reached(instanceId, 'End_NotEligible')).to.equal(true);
    // … and the stopped worker took no new task
    const next = await start({ memberId: { type: 'String', value: 'M-2' } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await rest.get(`/external-task?processInstanceId=${next}`)).body[0].workerId).to.equal(null);
    expect(engine.fetchAndLockWaiter.pending).to.equal(0);
  });

  it('should run at most `concurrency` handlers at once', async () => {
    // given: five waiting tasks
    const ids = await Promise.all([1, 2, 3, 4, 5].map((n) => start({ memberId: { type: 'String', value: `M-${n}` } })));
    let active = 0;
    let mostActive = 0;

    // when
    worker()
      .subscribe(
        TOPIC,
        async (task) => {
          active++;
          mostActive = Math.max(mostActive, active);
          await new Promise((resolve) => setTimeout(resolve, 80));
          active--;
          return task.complete({ eligible: true });
        },
        { concurrency: 2, maxTasks: 10 },
      )
      .start();
    for (const id of ids) await ended(id);

    // then
    expect(mostActive).to.equal(2);
  });

  it('should authenticate with HTTP Basic auth', async () => {
    // given: an engine that demands credentials
    const secured = createTestEngine(use(), { basicAuthUsers: USERS });
    const securedHttp = await listen(secured, []);
    try {
      const instanceId = await start({ memberId: { type: 'String', value: 'M-1' } });

      // when
      worker({ baseUrl: securedHttp.baseUrl, auth: { username: 'worker', password: 'secret' } })
        .subscribe(TOPIC, async (task) => task.complete({ eligible: true }))
        .start();

      // then
      await ended(instanceId);
      expect(logs).to.deep.equal([]);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
      await securedHttp.close();
    }
  });
});

describe('worker/rest-transport without an engine', () => {
  it('should back off while the engine is unreachable and stop at once', async () => {
    // given: a port nothing listens on
    const logs: string[] = [];
    const worker = createWorker({
      transport: 'rest',
      baseUrl: 'http://127.0.0.1:9/engine-rest',
      workerId: 'lonely',
      logger: { info: () => {}, warn: (m) => logs.push(m), error: (m) => logs.push(m) },
    });
    worker.subscribe(TOPIC, async (task) => task.complete({}));

    // when
    await worker.start();
    await new Promise((resolve) => setTimeout(resolve, 1700));
    const stoppedAt = Date.now();
    await worker.stop();

    // then: polls at about 0, 0.5 and 1.5 s, then the stop cut the 2 s wait short
    expect(logs).to.have.length(3);
    expect(logs[0]).to.match(/^fetchAndLock for topic check-eligibility failed \(.+\); polling again in 500 ms$/);
    expect(logs[1]).to.match(/polling again in 1000 ms$/);
    expect(logs[2]).to.match(/polling again in 2000 ms$/);
    expect(Date.now() - stoppedAt).to.be.below(200);
  });

  it('should refuse invalid options and a second subscription to a topic', () => {
    expect(() => createWorker({ transport: 'rest', baseUrl: '', workerId: 'w' })).to.throw(TypeError, 'baseUrl must be a non-empty string');
    expect(() => createWorker({ transport: 'kafka', brokers: [], topicPrefix: 'engine', workerId: 'w' })).to.throw(TypeError, 'brokers must list at least one broker');
    const worker = createWorker({ transport: 'rest', baseUrl: 'http://127.0.0.1:9', workerId: 'w' });
    worker.subscribe(TOPIC, async (task) => task.complete());
    expect(() => worker.subscribe(TOPIC, async (task) => task.complete())).to.throw(Error, 'worker w already subscribes to topic check-eligibility');
    expect(() => worker.subscribe('other', async (task) => task.complete(), { concurrency: 0 })).to.throw(RangeError, 'concurrency must be an integer ≥ 1, got 0');
  });
});
