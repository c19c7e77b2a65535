/**
 * Specification of claiming external tasks under contention (PostgreSQL only: PGlite has one session and cannot show
 * lock contention): many workers never get the same task while its lock holds, an expired lock lets another worker
 * take the task, reports by a worker without the lock are refused, and racing reports on one instance serialize.
 */
import { expect } from 'chai';
import { openDatabase, type Database } from '../../src/persistence/database.js';
import { claimTasks } from '../../src/services/external-task-service.js';
import { RestClient } from '../support/rest-client.js';
import { openTestPostgres, requirePostgres, TEST_ACQUIRE_TIMEOUT_MS } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';

const INSTANCES = 200;
const WORKERS = 10;

interface Delivery {
  taskId: string;
  workerId: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('external task claiming under concurrency (postgresql)', function () {
  this.timeout(30_000);
  let scratch: { url: string; drop(): Promise<void> } | undefined;
  let database: Database | undefined;
  let engine: TestEngine;
  let rest: RestClient;

  before(async function () {
    requirePostgres(this, 'external task claiming under concurrency (postgresql)');
    scratch = await openTestPostgres();
    // More connections than workers, so the workers really run their claims at the same time.
    database = await openDatabase({ url: scratch.url, acquireConnectionTimeoutMs: TEST_ACQUIRE_TIMEOUT_MS, poolMax: 20 });
    engine = createTestEngine(database);
    rest = new RestClient(engine.app);
    await rest.deployFixture('single-external-task.bpmn');
    await rest.deployFixture('parallel-external-tasks.bpmn');
  });

  after(async function () {
    try {
      await database?.close();
    } finally {
      await scratch?.drop();
    }
  });

  async function startInstances(key: string, count: number, businessKeyPrefix: string): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i += 10) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(10, count - i) }, (_, j) => rest.post(`/process-definition/key/${key}/start`, { businessKey: `${businessKeyPrefix}-${i + j}` })),
      );
      for (const started of batch) {
        expect(started.status, started.text).to.equal(200);
        ids.push(started.body.id);
      }
    }
    return ids;
  }

  /** One fetchAndLock: even workers go through the REST app, odd ones straight to the service (both are real claims). */
  async function fetchAndLock(workerId: string, viaRest: boolean, topics: Array<{ topicName: string; lockDuration: number }>, maxTasks = 5): Promise<Array<{ id: string; topicName: string; processInstanceId: string }>> {
    if (viaRest) {
      const res = await rest.post('/external-task/fetchAndLock', { workerId, maxTasks, topics });
      expect(res.status, res.text).to.equal(200);
      return res.body;
    }
    const locked = await claimTasks(engine.ctx, { workerId, maxTasks, usePriority: false, topics }, topics.map((t) => ({ topicName: t.topicName })));
    return locked.map(({ task }) => ({ id: task.id, topicName: task.topic_name, processInstanceId: task.process_instance_id }));
  }

  /** Every worker polls until it gets nothing; returns every delivery in the order it happened. */
  async function drain(topicName: string, lockDuration: number, workerPrefix: string): Promise<Delivery[]> {
    const deliveries: Delivery[] = [];
    await Promise.all(
      Array.from({ length: WORKERS }, async (_, w) => {
        const workerId = `${workerPrefix}-${w}`;
        for (;;) {
          const tasks = await fetchAndLock(workerId, w % 2 === 0, [{ topicName, lockDuration }]);
          if (tasks.length === 0) return;
          expect(tasks.length).to.be.at.most(5);
          for (const task of tasks) deliveries.push({ taskId: task.id, workerId });
        }
      }),
    );
    return deliveries;
  }

  function duplicates(ids: string[]): string[] {
    const seen = new Set<string>();
    return ids.filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
  }

  describe(`${INSTANCES} instances waiting on topic "work", ${WORKERS} workers`, () => {
    let instanceIds: string[];
    let deliveries: Delivery[];

    before(async () => {
      instanceIds = await startInstances('single-external-task', INSTANCES, 'many');
    });

    it('should deliver every task exactly once while the locks are valid', async () => {
      // when ten workers poll at the same time, five tasks at a time, with locks that outlive the test
      deliveries = await drain('work', 60_000, 'worker');

      // then no task went to two workers, and all of them went to someone
      expect(duplicates(deliveries.map((d) => d.taskId)), 'tasks delivered twice').to.deep.equal([]);
      expect(deliveries).to.have.length(INSTANCES);
      // and the work was really shared (not one worker draining the topic while the others waited)
      expect(new Set(deliveries.map((d) => d.workerId)).size).to.be.greaterThan(1);
      const locked = await rest.get(`/external-task/count?topicName=work&locked=true`);
      expect(locked.body.count).to.equal(INSTANCES);
    });

    it('should refuse a complete by a worker that does not hold the lock with 400', async () => {
      // given a task locked by one worker
      const { taskId, workerId } = deliveries[0];

      // when another worker completes it
      const res = await rest.post(`/external-task/${taskId}/complete`, { workerId: 'intruder' }, { undocumentedStatus: 400 });

      // then it is refused with Camunda's message and the task stays with its worker
      expect(res.status).to.equal(400);
      expect(res.body.type).to.equal('RestException');
      expect(res.body.message).to.equal(`External Task ${taskId} cannot be completed by worker 'intruder'. It is locked by worker '${workerId}'.`);
      expect((await rest.get(`/external-task/${taskId}`)).body.workerId).to.equal(workerId);
    });

    it('should end every instance exactly once when the workers complete their tasks concurrently', async () => {
      // when each worker completes its own tasks, all workers at the same time
      const byWorker = new Map<string, string[]>();
      for (const { taskId, workerId } of deliveries) byWorker.set(workerId, [...(byWorker.get(workerId) ?? []), taskId]);
      const statuses = await Promise.all(
        [...byWorker].map(async ([workerId, taskIds]) => {
          const codes: number[] = [];
          for (const taskId of taskIds) codes.push((await rest.post(`/external-task/${taskId}/complete`, { workerId })).status);
          return codes;
        }),
      );

      // then every complete succeeded and every instance ended
      expect(statuses.flat().filter((status) => status !== 204)).to.deep.equal([]);
      expect((await rest.get('/external-task/count?topicName=work')).body.count).to.equal(0);
      const completed = await rest.get(`/history/process-instance?processDefinitionKey=single-external-task&state=COMPLETED&maxResults=1000`);
      expect(completed.body).to.have.length(INSTANCES);
      expect(completed.body.map((h: { id: string }) => h.id).sort()).to.deep.equal([...instanceIds].sort());
      // and the history holds each activity of each instance once
      for (const activityId of ['StartEvent_1', 'Task_Work', 'EndEvent_1']) {
        const activities = await rest.get(`/history/activity-instance?processDefinitionId=${completed.body[0].processDefinitionId}&activityId=${activityId}&maxResults=1000`);
        expect(activities.body, activityId).to.have.length(INSTANCES);
        expect(duplicates(activities.body.map((a: { processInstanceId: string }) => a.processInstanceId)), `${activityId} twice in one instance`).to.deep.equal([]);
        expect(activities.body.every((a: { endTime: string | null }) => a.endTime !== null), `${activityId} left open`).to.equal(true);
      }
    });
  });

  describe('lock expiry', () => {
    it('should let another worker take a task once its lock expired, and only then', async () => {
      // given ten tasks locked by a worker for 400 ms
      await startInstances('single-external-task', 10, 'expiry');
      const first = await fetchAndLock('first', true, [{ topicName: 'work', lockDuration: 400 }], 10);
      expect(first).to.have.length(10);

      // when other workers poll while the lock holds, they get nothing
      expect(await fetchAndLock('second', true, [{ topicName: 'work', lockDuration: 60_000 }], 10)).to.deep.equal([]);

      // and when the lock has expired, ten workers race for the tasks
      await sleep(450);
      const deliveries = await drain('work', 60_000, 'late');

      // then each task went to exactly one of them
      expect(deliveries.map((d) => d.taskId).sort()).to.deep.equal(first.map((t) => t.id).sort());
      // and the first worker's late complete is refused (Camunda checks the worker, not the expiry)
      const late = await rest.post(`/external-task/${first[0].id}/complete`, { workerId: 'first' }, { undocumentedStatus: 400 });
      expect(late.status).to.equal(400);
      // while the new holder completes it
      const holder = deliveries.find((d) => d.taskId === first[0].id)!.workerId;
      expect((await rest.post(`/external-task/${first[0].id}/complete`, { workerId: holder })).status).to.equal(204);
      for (const { taskId, workerId } of deliveries.filter((d) => d.taskId !== first[0].id)) {
        expect((await rest.post(`/external-task/${taskId}/complete`, { workerId })).status).to.equal(204);
      }
      expect((await rest.get('/external-task/count')).body.count).to.equal(0);
    });
  });

  describe('several topics in one request', () => {
    it('should lock each topic for its own lock duration', async () => {
      // given instances waiting on topics "left" and "right"
      const [instanceId] = await startInstances('parallel-external-tasks', 1, 'topics');

      // when one request claims both topics with different lock durations
      const before = Date.now();
      const tasks = await fetchAndLock('both', true, [
        { topicName: 'left', lockDuration: 5_000 },
        { topicName: 'right', lockDuration: 600_000 },
      ]);
      const after = Date.now();

      // then each task's lock runs for its topic's duration
      expect(tasks.map((t) => t.topicName).sort()).to.deep.equal(['left', 'right']);
      for (const task of tasks) {
        const expected = task.topicName === 'left' ? 5_000 : 600_000;
        const expiry = new Date((await rest.get(`/external-task/${task.id}`)).body.lockExpirationTime).getTime();
        expect(expiry, task.topicName).to.be.within(before + expected - 1, after + expected + 1);
      }
      for (const task of tasks) expect((await rest.post(`/external-task/${task.id}/complete`, { workerId: 'both' })).status).to.equal(204);
      const [history] = (await rest.get(`/history/process-instance?processInstanceId=${instanceId}`)).body;
      expect(history.state).to.equal('COMPLETED');
    });
  });

  describe('racing reports on one instance', () => {
    it('should serialize concurrent completes of two different tasks of one instance on the instance lock', async () => {
      const rounds = 6;
      const instanceIds = await startInstances('parallel-external-tasks', rounds, 'race-pair');
      const tasks = await fetchAndLock('pair', true, [{ topicName: 'left', lockDuration: 60_000 }, { topicName: 'right', lockDuration: 60_000 }], 2 * rounds);
      expect(tasks).to.have.length(2 * rounds);
      const pause = 150;
      engine.ctx.options.pauseBeforeCommit = { command: 'complete external task', ms: pause };
      try {
        for (const instanceId of instanceIds) {
          // when both tasks of the instance are completed at the same moment, each command holding its transaction open
          const [left, right] = ['left', 'right'].map((topic) => tasks.find((t) => t.processInstanceId === instanceId && t.topicName === topic)!);
          const started = Date.now();
          const results = await Promise.all([left, right].map(async (task) => {
            const res = await rest.post(`/external-task/${task.id}/complete`, { workerId: 'pair' });
            return { status: res.status, text: res.text, ms: Date.now() - started };
          }));

          // then both succeed, one after the other (the second waited for the first's commit)
          expect(results.map((r) => r.status), results.map((r) => r.text).join()).to.deep.equal([204, 204]);
          expect(Math.max(...results.map((r) => r.ms))).to.be.at.least(2 * pause);
          // and the join fired once: the instance completed with one end event
          const [history] = (await rest.get(`/history/process-instance?processInstanceId=${instanceId}`)).body;
          expect(history.state).to.equal('COMPLETED');
          const ends = await rest.get(`/history/activity-instance?processInstanceId=${instanceId}&activityId=EndEvent_1`);
          expect(ends.body).to.have.length(1);
        }
      } finally {
        engine.ctx.options.pauseBeforeCommit = null;
      }
    });

    it('should apply a complete and a failure of the same task one after the other, ending with the complete', async () => {
      const rounds = 20;
      const instanceIds = await startInstances('single-external-task', rounds, 'race-fail');
      const tasks = await fetchAndLock('racer', true, [{ topicName: 'work', lockDuration: 60_000 }], rounds);
      expect(tasks).to.have.length(rounds);
      const outcomes = { completed: 0, failed: 0 };
      for (const task of tasks) {
        // when the same worker reports success and a final failure at the same moment (alternating who goes first)
        const complete = () => rest.post(`/external-task/${task.id}/complete`, { workerId: 'racer' }, { undocumentedStatus: 400 });
        const fail = () => rest.post(`/external-task/${task.id}/failure`, { workerId: 'racer', retries: 0, errorMessage: 'boom' }, { undocumentedStatus: 400 });
        const [completed, failed] = outcomes.completed <= outcomes.failed ? await Promise.all([complete(), fail()]) : (await Promise.all([fail(), complete()])).reverse();

        // then they apply one after the other on the instance lock: a failure first leaves the worker on the task
        // (as Camunda), so the complete still ends it; a complete first leaves nothing for the failure (404)
        const [history] = (await rest.get(`/history/process-instance?processInstanceId=${task.processInstanceId}`)).body;
        const incidents = (await rest.get(`/incident?processInstanceId=${task.processInstanceId}`)).body;
        expect(completed.status, completed.text).to.equal(204);
        expect(history.state).to.equal('COMPLETED');
        expect(incidents).to.deep.equal([]);
        if (failed.status === 404) outcomes.completed += 1;
        else {
          expect(failed.status, failed.text).to.equal(204);
          outcomes.failed += 1;
        }
      }
      expect(outcomes.completed + outcomes.failed).to.equal(rounds);
      expect(instanceIds).to.have.length(rounds);
      expect(engine.warnings.filter((w) => w.startsWith('error:'))).to.deep.equal([]);
    });
  });
});
