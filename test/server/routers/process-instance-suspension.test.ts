/** `PUT /process-instance/{id}/suspended`: an instance, its user tasks and external tasks suspend and activate together. */
import { expect } from 'chai';
import { describeOnDatabases } from '../../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';
import { RestClient } from '../../support/rest-client.js';

describeOnDatabases('server/routers/process-instance suspension', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    await rest.deployFixture('single-user-task.bpmn');
    await rest.deployFixture('single-external-task.bpmn');
  });

  after(() => engine.fetchAndLockWaiter.close());

  async function start(key: string): Promise<string> {
    const res = await rest.post(`/process-definition/key/${key}/start`, {});
    expect(res.status, res.text).to.equal(200);
    return res.body.id;
  }

  async function suspend(id: string, suspended: boolean): Promise<void> {
    const res = await rest.put(`/process-instance/${id}/suspended`, { suspended });
    expect(res.status, res.text).to.equal(204);
  }

  async function taskOf(id: string) {
    const [task] = (await rest.get(`/task?processInstanceId=${id}`)).body;
    return task;
  }

  async function historyOf(id: string) {
    const [instance] = (await rest.get(`/history/process-instance?processInstanceId=${id}`)).body;
    return instance;
  }

  const fetchWork = (workerId = 'w1') => rest.post('/external-task/fetchAndLock', { workerId, maxTasks: 10, topics: [{ topicName: 'work', lockDuration: 60000 }] });

  it('should suspend the instance and its user task, and find it by suspended=true', async () => {
    // given
    const id = await start('single-user-task');
    // when
    await suspend(id, true);
    // then
    expect((await rest.get(`/process-instance/${id}`)).body).to.include({ id, suspended: true });
    expect((await rest.get('/process-instance?suspended=true')).body.map((pi: { id: string }) => pi.id)).to.include(id);
    expect((await rest.get('/process-instance?active=true')).body.map((pi: { id: string }) => pi.id)).not.to.include(id);
    expect(await taskOf(id)).to.include({ suspended: true });
    expect((await rest.get(`/task?processInstanceId=${id}&suspended=true`)).body).to.have.length(1);
    expect((await historyOf(id))).to.include({ state: 'SUSPENDED' });
  });

  it('should refuse to claim, unclaim, assign (400) or complete (500) a suspended task, as Operaton (ENGINE-03043)', async () => {
    // given
    const id = await start('single-user-task');
    const task = await taskOf(id);
    await suspend(id, true);
    // when
    const claim = await rest.post(`/task/${task.id}/claim`, { userId: 'demo' }, { undocumentedStatus: 400 });
    const unclaim = await rest.post(`/task/${task.id}/unclaim`, undefined, { undocumentedStatus: 400 });
    const assignee = await rest.post(`/task/${task.id}/assignee`, { userId: 'demo' }, { undocumentedStatus: 400 });
    const complete = await rest.post(`/task/${task.id}/complete`, {}, { undocumentedStatus: 500 });
    // then
    for (const refused of [claim, unclaim, assignee]) {
      expect(refused.status).to.equal(400);
      expect(refused.body).to.deep.equal({ type: 'SuspendedEntityInteractionException', message: `ENGINE-03043 task with id '${task.id}' is suspended.`, code: 0 });
    }
    expect(complete.status).to.equal(500);
    expect(complete.body.message).to.equal(`Cannot complete task ${task.id}: ENGINE-03043 task with id '${task.id}' is suspended.`);
    expect((await taskOf(id)).assignee).to.equal(null);
  });

  it('should activate the instance and its task again, which then completes', async () => {
    // given
    const id = await start('single-user-task');
    await suspend(id, true);
    // when
    await suspend(id, false);
    // then
    expect((await rest.get(`/process-instance/${id}`)).body).to.include({ suspended: false });
    expect((await historyOf(id))).to.include({ state: 'ACTIVE' });
    const task = await taskOf(id);
    expect(task).to.include({ suspended: false });
    expect((await rest.post(`/task/${task.id}/claim`, { userId: 'demo' })).status).to.equal(204);
    expect((await rest.post(`/task/${task.id}/complete`, {})).status).to.equal(204);
    expect((await historyOf(id))).to.include({ state: 'COMPLETED' });
  });

  it('should not hand out external tasks of a suspended instance, nor let a worker report on one', async () => {
    // given a locked task, then a second instance suspended before any fetch
    const locked = await start('single-external-task');
    const [task] = (await fetchWork()).body;
    expect(task.processInstanceId).to.equal(locked);
    const waiting = await start('single-external-task');
    // when
    await suspend(locked, true);
    await suspend(waiting, true);
    // then
    expect((await fetchWork()).body).to.deep.equal([]);
    expect((await rest.get(`/external-task?processInstanceId=${waiting}&suspended=true`)).body).to.have.length(1);
    // Camunda's external task resource answers the engine's refusal as a 400 RestException.
    const complete = await rest.post(`/external-task/${task.id}/complete`, { workerId: 'w1' });
    expect(complete.status).to.equal(400);
    expect(complete.body).to.deep.equal({ type: 'RestException', message: `ENGINE-03043 ExternalTask with id '${task.id}' is suspended.`, code: 0 });
    const failure = await rest.post(`/external-task/${task.id}/failure`, { workerId: 'w1', errorMessage: 'x', retries: 0 });
    expect(failure.status).to.equal(400);
  });

  it('should make external tasks fetchable and completable again on activation', async () => {
    // given
    const id = await start('single-external-task');
    await suspend(id, true);
    // when
    await suspend(id, false);
    // then
    const fetched = (await fetchWork('w2')).body.filter((t: { processInstanceId: string }) => t.processInstanceId === id);
    expect(fetched).to.have.length(1);
    expect((await rest.post(`/external-task/${fetched[0].id}/complete`, { workerId: 'w2' })).status).to.equal(204);
    expect((await historyOf(id))).to.include({ state: 'COMPLETED' });
  });

  it('should still let variables be changed and the instance be deleted while suspended', async () => {
    // given
    const id = await start('single-user-task');
    await suspend(id, true);
    // when
    const modified = await rest.post(`/process-instance/${id}/variables`, { modifications: { note: { value: 'on hold', type: 'String' } } });
    // then
    expect(modified.status).to.equal(204);
    expect((await rest.get(`/process-instance/${id}/variables/note`)).body).to.include({ value: 'on hold' });
    expect((await rest.delete(`/process-instance/${id}`)).status).to.equal(204);
  });

  it('should answer 204 and change nothing for an unknown instance, as Camunda’s bulk update does', async () => {
    expect((await rest.put('/process-instance/unknown-id/suspended', { suspended: true })).status).to.equal(204);
  });

  it('should treat a body without suspended as activation (Camunda’s primitive boolean)', async () => {
    // given
    const id = await start('single-user-task');
    await suspend(id, true);
    // when
    const res = await rest.put(`/process-instance/${id}/suspended`, {});
    // then
    expect(res.status).to.equal(204);
    expect((await rest.get(`/process-instance/${id}`)).body).to.include({ suspended: false });
  });
});
