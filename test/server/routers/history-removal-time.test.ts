/** Specification of `removalTime` in `/history`: Camunda's strategy "end", the root's end time plus its definition's time to live. */
import { expect } from 'chai';
import { describeOnDatabases } from '../../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';
import { RestClient } from '../../support/rest-client.js';

describeOnDatabases('history router: removal time', (use) => {
  let engine: TestEngine;
  let rest: RestClient;
  let now: number;
  let finished: string;
  let running: string;
  let deleted: string;
  let withoutTimeToLive: string;

  async function start(key: string, businessKey: string, variables: Record<string, unknown> = {}): Promise<string> {
    const res = await rest.post(`/process-definition/key/${key}/start`, { businessKey, variables });
    expect(res.status, res.text).to.equal(200);
    return res.body.id;
  }

  async function lockCheck(businessKey: string): Promise<string> {
    const fetched = await rest.post('/external-task/fetchAndLock', { workerId: 'w1', maxTasks: 1, topics: [{ topicName: 'removal-time-check', lockDuration: 60_000, businessKey }] });
    expect(fetched.body, fetched.text).to.have.length(1);
    return fetched.body[0].id;
  }

  async function completeUserTask(processInstanceId: string): Promise<void> {
    const [task] = (await rest.get(`/task?processInstanceId=${processInstanceId}`)).body;
    expect((await rest.post(`/task/${task.id}/complete`, {})).status).to.equal(204);
  }

  /** The removalTime of every history entry of an instance, per resource. */
  async function removalTimesOf(processInstanceId: string): Promise<Record<string, unknown[]>> {
    const resources = {
      'process-instance': `/history/process-instance?processInstanceId=${processInstanceId}`,
      'activity-instance': `/history/activity-instance?processInstanceId=${processInstanceId}`,
      'variable-instance': `/history/variable-instance?processInstanceId=${processInstanceId}&includeDeleted=true`,
      task: `/history/task?processInstanceId=${processInstanceId}`,
      incident: `/history/incident?processInstanceId=${processInstanceId}`,
    };
    const times: Record<string, unknown[]> = {};
    for (const [name, url] of Object.entries(resources)) {
      const res = await rest.get(url);
      expect(res.status, res.text).to.equal(200);
      times[name] = res.body.map((entry: any) => entry.removalTime);
    }
    return times;
  }

  before(async () => {
    now = Date.parse('2024-03-01T10:00:00.000Z');
    engine = createTestEngine(use(), { clock: { now: () => new Date(now) } });
    rest = new RestClient(engine.app);
    await rest.deployFixture('history-removal-time.bpmn');
    await rest.deployFixture('single-user-task.bpmn');

    // finished: an incident (resolved), a deleted variable and a user task, ended at 10:00:05
    finished = await start('removal-time', 'rt-finished', { amount: { value: 7, type: 'Integer' }, temp: { value: 'x', type: 'String' } });
    const failing = await lockCheck('rt-finished');
    expect((await rest.post(`/external-task/${failing}/failure`, { workerId: 'w1', errorMessage: 'boom', retries: 0 })).status).to.equal(204);
    now += 1000;
    expect((await rest.put(`/external-task/${failing}/retries`, { retries: 1 })).status).to.equal(204);
    expect((await rest.post(`/external-task/${await lockCheck('rt-finished')}/complete`, { workerId: 'w1' })).status).to.equal(204);
    expect((await rest.delete(`/process-instance/${finished}/variables/temp`)).status).to.equal(204);
    running = await start('removal-time', 'rt-running', { amount: { value: 1, type: 'Integer' }, temp: { value: 'y', type: 'String' } });
    expect((await rest.delete(`/process-instance/${running}/variables/temp`)).status).to.equal(204);
    deleted = await start('removal-time', 'rt-deleted', { amount: { value: 2, type: 'Integer' } });
    withoutTimeToLive = await start('single-user-task', 'rt-no-ttl', { amount: { value: 3, type: 'Integer' } });
    now += 4000;
    await completeUserTask(finished);
    await completeUserTask(withoutTimeToLive);
    now += 1000;
    expect((await rest.delete(`/process-instance/${deleted}`)).status).to.equal(204);
  });

  after(async () => {
    await engine?.fetchAndLockWaiter.close();
  });

  it('should set the end time plus the definition\'s historyTimeToLive days on all history of a finished instance', async () => {
    const times = await removalTimesOf(finished);

    const expected = '2024-03-31T10:00:05.000+0000';
    expect(times).to.deep.equal({
      'process-instance': [expected],
      'activity-instance': [expected, expected, expected, expected],
      'variable-instance': [expected, expected],
      task: [expected],
      incident: [expected],
    });
  });

  it('should leave removalTime null on the history of a running instance, deleted variables included', async () => {
    const times = await removalTimesOf(running);

    expect(times).to.deep.equal({ 'process-instance': [null], 'activity-instance': [null, null], 'variable-instance': [null, null], task: [], incident: [] });
  });

  it('should set the deletion time plus historyTimeToLive days on the history of a deleted instance', async () => {
    const times = await removalTimesOf(deleted);

    const expected = '2024-03-31T10:00:06.000+0000';
    expect(times).to.deep.equal({ 'process-instance': [expected], 'activity-instance': [expected, expected], 'variable-instance': [expected], task: [], incident: [] });
  });

  it('should leave removalTime null when the definition has no historyTimeToLive', async () => {
    const times = await removalTimesOf(withoutTimeToLive);

    expect(times).to.deep.equal({ 'process-instance': [null], 'activity-instance': [null, null, null], 'variable-instance': [null], task: [null], incident: [] });
  });
});
