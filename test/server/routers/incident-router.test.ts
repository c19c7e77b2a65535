/** Specification of `/incident/{id}` and `/history/incident`: a failed external task's incident, open, resolved or deleted. */
import { expect } from 'chai';
import { describeOnDatabases } from '../../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';
import { RestClient } from '../../support/rest-client.js';

describeOnDatabases('incident router', (use) => {
  let engine: TestEngine;
  let rest: RestClient;
  let now: number;

  before(async () => {
    now = Date.parse('2024-03-01T10:00:00.000Z');
    engine = createTestEngine(use(), { clock: { now: () => new Date(now) } });
    rest = new RestClient(engine.app);
    await rest.deployFixture('single-external-task.bpmn');
  });

  after(async () => {
    await engine?.fetchAndLockWaiter.close();
  });

  /** Starts an instance whose external task fails without retries left; returns the instance and the task ids. */
  async function startFailed(businessKey: string): Promise<{ instanceId: string; taskId: string }> {
    const instanceId = (await rest.post('/process-definition/key/single-external-task/start', { businessKey })).body.id;
    const fetched = await rest.post('/external-task/fetchAndLock', { workerId: 'w1', maxTasks: 1, topics: [{ topicName: 'work', lockDuration: 60_000, businessKey }] });
    const [task] = fetched.body;
    expect((await rest.post(`/external-task/${task.id}/failure`, { workerId: 'w1', errorMessage: 'boom', retries: 0 })).status).to.equal(204);
    return { instanceId, taskId: task.id };
  }

  it('should get an open incident by id, as the list shows it', async () => {
    const { instanceId } = await startFailed('inc-get');
    const [listed] = (await rest.get(`/incident?processInstanceId=${instanceId}`)).body;

    const res = await rest.get(`/incident/${listed.id}`);

    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal(listed);
    expect(res.body).to.include({ incidentType: 'failedExternalTask', incidentMessage: 'boom', activityId: 'Task_Work' });
  });

  it('should answer an unknown incident with 404 and Camunda\'s message', async () => {
    const res = await rest.get('/incident/nope');

    expect(res.status).to.equal(404);
    expect(res.body).to.deep.equal({ type: 'InvalidRequestException', message: 'No matching incident with id nope', code: 0 });
  });

  describe('history', () => {
    it('should keep an incident open, then resolved with an end time once retries are set again', async () => {
      const { instanceId, taskId } = await startFailed('inc-resolved');
      const [open] = (await rest.get(`/history/incident?processInstanceId=${instanceId}`)).body;
      expect(open).to.include({ open: true, resolved: false, deleted: false, endTime: null, incidentMessage: 'boom', processDefinitionKey: 'single-external-task', configuration: taskId });
      expect(open.createTime).to.equal('2024-03-01T10:00:00.000+0000');
      // as Camunda: only failed jobs name a failed activity; no external task log entry to name (an intended difference)
      expect(open).to.include({ failedActivityId: null, historyConfiguration: null });
      expect((await rest.get(`/history/incident/count?failedActivityId=${open.activityId}&processInstanceId=${instanceId}`)).body).to.deep.equal({ count: 0 });

      now += 2000;
      expect((await rest.put(`/external-task/${taskId}/retries`, { retries: 1 })).status).to.equal(204);

      const [resolved] = (await rest.get(`/history/incident?processInstanceId=${instanceId}`)).body;
      expect(resolved).to.include({ id: open.id, open: false, resolved: true, deleted: false, endTime: '2024-03-01T10:00:02.000+0000' });
      expect((await rest.get(`/incident?processInstanceId=${instanceId}`)).body).to.deep.equal([]);
    });

    it('should mark the incident deleted when its instance is deleted', async () => {
      const { instanceId } = await startFailed('inc-deleted');

      expect((await rest.delete(`/process-instance/${instanceId}`)).status).to.equal(204);

      const [deleted] = (await rest.get(`/history/incident?processInstanceId=${instanceId}`)).body;
      expect(deleted).to.include({ open: false, resolved: false, deleted: true });
    });

    it('should filter by state with /count agreeing', async () => {
      for (const [state, expected] of [['open', 1], ['resolved', 1], ['deleted', 1]] as const) {
        const list = await rest.get(`/history/incident?${state}=true&processDefinitionKey=single-external-task`);
        const count = await rest.get(`/history/incident/count?${state}=true&processDefinitionKey=single-external-task`);
        expect(list.body.every((incident: any) => incident[state] === true), state).to.equal(true);
        expect(count.body, state).to.deep.equal({ count: expected });
        expect(list.body, state).to.have.length(expected);
      }
    });
  });
});
