/**
 * Specification of failures, retries and dead workers on PostgreSQL with two engine nodes in-process (node A parks
 * the long polls, node B reports): a retry timeout keeps a task away until it runs out, a parked poll wakes at that
 * moment without polling the database in a loop, retries reaching 0 raise one incident, and a dead worker's locks
 * run out.
 */
import { expect } from 'chai';
import request from 'supertest';
import { openDatabase, type Database } from '../../src/persistence/database.js';
import { RestClient } from '../support/rest-client.js';
import { openTestPostgres, requirePostgres, TEST_ACQUIRE_TIMEOUT_MS } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { waitFor } from '../support/wait-for.js';

interface RecordedQuery {
  at: number;
  sql: string;
}

/** What a statement on node A was, by its SQL. */
function kindOf(sql: string): 'probe' | 'claim' | 'next-availability' | 'variables' | 'transaction' | 'other' {
  const text = sql.toLowerCase();
  if (/^(begin|commit|rollback)/.test(text.trim())) return 'transaction';
  if (/^with "claim" as materialized .*skip locked.*update "external_task"/.test(text)) return 'claim';
  // The plain read before a claim: a poll that finds nothing opens no transaction.
  if (text.startsWith('select "et"."id" from "external_task"') && !text.includes('for update')) return 'probe';
  if (text.includes('min("lock_expiration_time")')) return 'next-availability';
  if (text.startsWith('select') && text.includes('from "variable"')) return 'variables';
  return 'other';
}

describe('external task failures, retries and dead workers (postgresql)', function () {
  this.timeout(30_000);
  let scratch: { url: string; drop(): Promise<void> } | undefined;
  let nodeADatabase: Database | undefined;
  let nodeBDatabase: Database | undefined;
  let nodeA: TestEngine;
  let nodeB: TestEngine;
  let restA: RestClient;
  let restB: RestClient;
  let queries: RecordedQuery[] = [];

  before(async function () {
    requirePostgres(this, 'external task failures, retries and dead workers (postgresql)');
    scratch = await openTestPostgres();
    nodeADatabase = await openDatabase({ url: scratch.url, acquireConnectionTimeoutMs: TEST_ACQUIRE_TIMEOUT_MS });
    nodeBDatabase = await openDatabase({ url: scratch.url, acquireConnectionTimeoutMs: TEST_ACQUIRE_TIMEOUT_MS });
    nodeA = createTestEngine(nodeADatabase);
    nodeB = createTestEngine(nodeBDatabase);
    restA = new RestClient(nodeA.app);
    restB = new RestClient(nodeB.app);
    await restB.deployFixture('single-external-task.bpmn');
    nodeADatabase.knex.on('query', (query: { sql: string }) => queries.push({ at: Date.now(), sql: query.sql }));
  });

  after(async function () {
    try {
      await nodeA?.fetchAndLockWaiter.close();
      await nodeB?.fetchAndLockWaiter.close();
      await nodeADatabase?.close();
      await nodeBDatabase?.close();
    } finally {
      await scratch?.drop();
    }
  });

  async function startInstance(businessKey: string): Promise<string> {
    const started = await restB.post('/process-definition/key/single-external-task/start', { businessKey });
    expect(started.status, started.text).to.equal(200);
    return started.body.id;
  }

  async function fetchOnB(workerId: string, lockDuration: number, maxTasks = 1): Promise<any[]> {
    const res = await restB.post('/external-task/fetchAndLock', { workerId, maxTasks, topics: [{ topicName: 'work', lockDuration }] });
    expect(res.status, res.text).to.equal(200);
    return res.body;
  }

  /** Parks a long poll on node A; resolves once it is parked and its initial reads are done, with its answer to come. */
  async function parkOnA(workerId: string, asyncResponseTimeout: number, maxTasks = 1): Promise<{ answer: Promise<{ status: number; body: any[]; at: number }> }> {
    queries = [];
    const answer = request(nodeA.app)
      .post('/engine-rest/external-task/fetchAndLock')
      .set('Content-Type', 'application/json')
      .send({ workerId, maxTasks, asyncResponseTimeout, topics: [{ topicName: 'work', lockDuration: 60_000 }] })
      .then((res) => ({ status: res.status, body: res.body as any[], at: Date.now() }));
    await waitFor(() => nodeA.fetchAndLockWaiter.pending === 1 && queries.some((q) => kindOf(q.sql) === 'next-availability'), 'the long poll to park on node A');
    // Wrapped: an async function returning the promise itself would wait for the answer.
    return { answer };
  }

  function claimsOf(recorded: RecordedQuery[]): RecordedQuery[] {
    return recorded.filter((q) => kindOf(q.sql) === 'claim');
  }

  it('should make a failed task fetchable only after its retryTimeout and wake a parked poll then, without polling the database', async () => {
    // given a task locked by a worker for a minute, and another worker's long poll parked on node A
    const instanceId = await startInstance('retry-timeout');
    const [task] = await fetchOnB('failing', 60_000);
    expect(task.processInstanceId).to.equal(instanceId);
    const parked = await parkOnA('patient', 10_000);
    const parkedQueries = [...queries];

    // when the worker reports a failure with retries left and a retry timeout, through node B
    const retryTimeout = 1500;
    const failedAt = Date.now();
    const failed = await restB.post(`/external-task/${task.id}/failure`, { workerId: 'failing', errorMessage: 'try later', retries: 2, retryTimeout });
    expect(failed.status, failed.text).to.equal(204);

    // then nobody gets the task during the timeout
    expect(await fetchOnB('eager', 60_000)).to.deep.equal([]);
    const queriesDuringWait = queries.length;
    await new Promise((resolve) => setTimeout(resolve, retryTimeout - 300));
    const duringWait = queries.slice(queriesDuringWait, queries.length);

    // and the parked poll gets it at the moment the timeout runs out
    const answer = await parked.answer;
    expect(answer.status).to.equal(200);
    expect(answer.body.map((t) => [t.id, t.retries, t.errorMessage])).to.deep.equal([[task.id, 2, 'try later']]);
    expect(answer.at - failedAt).to.be.within(retryTimeout - 20, retryTimeout + 400);

    // and node A ran only its initial probe (no claim: nothing was claimable) and next-availability read, then the one wake-up claim
    expect(claimsOf(parkedQueries), 'claims while parking').to.have.length(0);
    expect(parkedQueries.filter((q) => kindOf(q.sql) === 'probe'), 'probes while parking').to.have.length(1);
    expect(parkedQueries.filter((q) => kindOf(q.sql) === 'next-availability'), 'next-availability reads while parking').to.have.length(1);
    expect(duringWait.map((q) => q.sql), 'statements while parked').to.deep.equal([]);
    const all = queries.map((q) => kindOf(q.sql));
    expect(all.filter((k) => k === 'claim'), all.join()).to.have.length(1);
    expect(all.filter((k) => k === 'transaction'), all.join()).to.have.length(2);
    expect(all.filter((k) => k === 'next-availability'), all.join()).to.have.length(1);
    expect(all.filter((k) => k === 'other'), queries.map((q) => q.sql).join('\n')).to.deep.equal([]);

    expect((await restA.post(`/external-task/${task.id}/complete`, { workerId: 'patient' })).status).to.equal(204);
  });

  it('should raise exactly one incident when the retries reach 0, even when the last failure is reported twice at once', async () => {
    // given a task that fails with 2, then 1 retry left
    const instanceId = await startInstance('retries-exhausted');
    for (const retries of [2, 1]) {
      const [task] = await fetchOnB('flaky', 60_000);
      expect(task, `fetch before retries=${retries}`).to.not.equal(undefined);
      expect((await restA.post(`/external-task/${task.id}/failure`, { workerId: 'flaky', errorMessage: `left ${retries}`, retries, retryTimeout: 0 })).status).to.equal(204);
      expect((await restA.get(`/incident?processInstanceId=${instanceId}`)).body).to.deep.equal([]);
    }
    const [task] = await fetchOnB('flaky', 60_000);

    // when the last failure (no retries left) is sent twice concurrently, to both nodes
    const reports = await Promise.all(
      [restA, restB].map((rest) => rest.post(`/external-task/${task.id}/failure`, { workerId: 'flaky', errorMessage: 'gave up', errorDetails: 'stack', retries: 0, retryTimeout: 0 }, { undocumentedStatus: 400 })),
    );

    // then both apply one after the other (Camunda keeps the worker on a failed task), and there is exactly one incident
    expect(reports.map((r) => r.status).sort()).to.deep.equal([204, 204]);
    const incidents = (await restA.get(`/incident?processInstanceId=${instanceId}`)).body;
    expect(incidents.map((i: any) => [i.incidentType, i.configuration, i.incidentMessage])).to.deep.equal([['failedExternalTask', task.id, 'gave up']]);
    // and the task is not fetchable any more
    expect(await fetchOnB('flaky', 60_000)).to.deep.equal([]);
    expect((await restA.get(`/external-task/${task.id}`)).body.retries).to.equal(0);

    // and setting retries resolves the incident and makes the task fetchable again
    expect((await restA.put(`/external-task/${task.id}/retries`, { retries: 1 })).status).to.equal(204);
    expect((await restA.get(`/incident?processInstanceId=${instanceId}`)).body).to.deep.equal([]);
    const [again] = await fetchOnB('healed', 60_000);
    expect(again.id).to.equal(task.id);
    expect((await restB.post(`/external-task/${task.id}/complete`, { workerId: 'healed' })).status).to.equal(204);
  });

  describe('on a node whose clock and timers disagree', () => {
    let nodeCDatabase: Database | undefined;
    let nodeC: TestEngine;
    /** Added to the real time by node C's clock (claims and lock expiries); its timers still run on real time. */
    let offsetMs = 0;
    let nodeCQueries: RecordedQuery[] = [];
    let onClaim: (() => void) | null = null;

    before(async () => {
      nodeCDatabase = await openDatabase({ url: scratch!.url, acquireConnectionTimeoutMs: TEST_ACQUIRE_TIMEOUT_MS });
      nodeC = createTestEngine(nodeCDatabase, { clock: { now: () => new Date(Date.now() + offsetMs) } });
      nodeCDatabase.knex.on('query', (query: { sql: string }) => {
        nodeCQueries.push({ at: Date.now(), sql: query.sql });
        if (kindOf(query.sql) === 'claim') onClaim?.();
      });
    });

    afterEach(() => {
      offsetMs = 0;
      onClaim = null;
      nodeC.ctx.options.pauseBeforeCommit = null;
    });

    after(async () => {
      await nodeC?.fetchAndLockWaiter.close();
      await nodeCDatabase?.close();
    });

    it('should answer a poll whose timeout comes during a claim with what that claim locked, not lose those tasks', async () => {
      // given a poll parked on node C with a one-second timeout, on a node whose claims take 1.5 s to commit
      const parked = await parkOnC('slow-claimer', 1_000);
      nodeC.ctx.options.pauseBeforeCommit = { command: 'fetch and lock', ms: 1_500 };

      // when a task appears at once, so the woken claim is still running when the timeout comes
      const instanceId = await startInstance('timeout-during-claim');

      // then the poll is answered with the task it locked (answering [] would leave it locked for nobody)
      const answer = await parked.answer;
      expect(answer.body.map((t) => t.processInstanceId)).to.deep.equal([instanceId]);
      expect((await restB.post(`/external-task/${answer.body[0].id}/complete`, { workerId: 'slow-claimer' })).status).to.equal(204);
    });

    async function parkOnC(workerId: string, asyncResponseTimeout: number) {
      nodeCQueries = [];
      const answer = request(nodeC.app)
        .post('/engine-rest/external-task/fetchAndLock')
        .set('Content-Type', 'application/json')
        .send({ workerId, maxTasks: 1, asyncResponseTimeout, topics: [{ topicName: 'work', lockDuration: 60_000 }] })
        .then((res) => ({ status: res.status, body: res.body as any[], at: Date.now() }));
      // Parked once it read when to wake (it may be answered right after that).
      await waitFor(() => nodeCQueries.some((q) => kindOf(q.sql) === 'next-availability'), 'the long poll to park on node C');
      return { answer };
    }

    it('should not claim before the moment it was woken for when its clock lags behind its timers', async () => {
      // given a node whose clock is 30 ms behind (a timer may fire before the claim's clock reaches its moment)
      offsetMs = -30;
      await startInstance('lagging-clock');
      const [task] = await fetchOnB('failing', 60_000);
      const parked = await parkOnC('lagging', 5_000);

      // when the task fails with a retry timeout
      expect((await restB.post(`/external-task/${task.id}/failure`, { workerId: 'failing', retries: 1, retryTimeout: 500 })).status).to.equal(204);

      // then the parked poll gets it with one wake-up claim, not a claim loop until its clock catches up
      const answer = await parked.answer;
      expect(answer.body.map((t) => t.id)).to.deep.equal([task.id]);
      const kinds = nodeCQueries.map((q) => kindOf(q.sql));
      expect(kinds.filter((k) => k === 'claim'), kinds.join()).to.have.length(1);
      expect(kinds.filter((k) => k === 'probe'), kinds.join()).to.have.length(2);
      expect(kinds.filter((k) => k === 'next-availability'), kinds.join()).to.have.length(1);
      expect((await restB.post(`/external-task/${task.id}/complete`, { workerId: 'lagging' })).status).to.equal(204);
    });

    it('should still wake when a lock runs out between its empty claim and its next-availability read', async () => {
      // given a task locked for 600 ms by a worker that will never report
      await startInstance('slow-read');
      const [task] = await fetchOnB('gone', 600);
      // and a node where time jumps past that lock right after the parked poll's first claim (a slow read)
      onClaim = () => {
        offsetMs = 1_000;
        onClaim = null;
      };

      // when a poll parks there
      const parked = await parkOnC('patient', 4_000);

      // then it still gets the task when the lock has run out, not only at its timeout
      const answer = await parked.answer;
      expect(answer.body.map((t) => t.id)).to.deep.equal([task.id]);
      expect((await restB.post(`/external-task/${task.id}/complete`, { workerId: 'patient' })).status).to.equal(204);
    });
  });

  it('should give the tasks of a worker that died holding their locks to a parked poll once the locks expire', async () => {
    // given a worker that locked three tasks for 800 ms and then stopped polling
    for (const key of ['dead-1', 'dead-2', 'dead-3']) await startInstance(key);
    const lockDuration = 800;
    const lockedAt = Date.now();
    const held = await fetchOnB('doomed', lockDuration, 10);
    expect(held).to.have.length(3);

    // when another worker parks a long poll (no NOTIFY will ever come for these tasks)
    const parked = await parkOnA('survivor', 5_000, 10);

    // then it gets all three right after the locks ran out
    const answer = await parked.answer;
    expect(answer.body.map((t) => t.id).sort()).to.deep.equal(held.map((t) => t.id).sort());
    expect(answer.at - lockedAt).to.be.within(lockDuration - 20, lockDuration + 400);
    expect(claimsOf(queries), queries.map((q) => q.sql).join('\n')).to.have.length(1);
    // and can complete them, ending the instances
    for (const t of answer.body) expect((await restA.post(`/external-task/${t.id}/complete`, { workerId: 'survivor' })).status).to.equal(204);
    expect((await restA.get('/external-task/count')).body.count).to.equal(0);
    // the dead worker's late complete is refused
    const late = await restB.post(`/external-task/${held[0].id}/complete`, { workerId: 'doomed' }, { undocumentedStatus: 404 });
    expect(late.status).to.equal(404);
  });
});
