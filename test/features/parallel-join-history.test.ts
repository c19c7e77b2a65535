/**
 * Scenario: three parallel user tasks meet at a joining parallel gateway, completed one after another. Camunda
 * records one activity instance of the join per arriving token; the ones that wait end when the join fires.
 */
import { expect } from 'chai';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine } from '../support/test-engine.js';
import { RestClient } from '../support/rest-client.js';

describeOnDatabases('feature: parallel join history', (use) => {
  let rest: RestClient;
  let now: number;

  before(async () => {
    now = Date.parse('2024-03-01T10:00:00.000Z');
    rest = new RestClient(createTestEngine(use(), { clock: { now: () => new Date(now) } }).app);
    await rest.deployFixture('parallel-join.bpmn');
  });

  async function complete(instanceId: string, taskDefinitionKey: string): Promise<void> {
    const [task] = (await rest.get(`/task?processInstanceId=${instanceId}&taskDefinitionKey=${taskDefinitionKey}`)).body;
    expect((await rest.post(`/task/${task.id}/complete`, {})).status).to.equal(204);
  }

  async function joinInstances(instanceId: string): Promise<Array<[string | null, string | null]>> {
    const res = await rest.get(`/history/activity-instance?processInstanceId=${instanceId}&activityId=Join&sortBy=startTime&sortOrder=asc`);
    return res.body.map((a: any) => [a.startTime, a.endTime]);
  }

  it('should record one join instance per arriving token, each ending when the last token arrives', async () => {
    // given
    const instanceId = (await rest.post('/process-definition/key/parallel-join/start', {})).body.id;

    // when: A, B and C finish one second apart
    now += 1000;
    await complete(instanceId, 'Task_A');
    now += 1000;
    await complete(instanceId, 'Task_B');

    // then: two tokens wait at the join, visible in history and in the activity instance tree
    expect(await joinInstances(instanceId)).to.deep.equal([
      ['2024-03-01T10:00:01.000+0000', null],
      ['2024-03-01T10:00:02.000+0000', null],
    ]);
    const tree = (await rest.get(`/process-instance/${instanceId}/activity-instances`)).body;
    expect(tree.childActivityInstances.map((child: any) => child.activityId).sort()).to.deep.equal(['Join', 'Join', 'Task_C']);

    // when: the last token arrives
    now += 1000;
    await complete(instanceId, 'Task_C');

    // then: three join instances, all ended by the join, and the instance completed
    expect(await joinInstances(instanceId)).to.deep.equal([
      ['2024-03-01T10:00:01.000+0000', '2024-03-01T10:00:03.000+0000'],
      ['2024-03-01T10:00:02.000+0000', '2024-03-01T10:00:03.000+0000'],
      ['2024-03-01T10:00:03.000+0000', '2024-03-01T10:00:03.000+0000'],
    ]);
    const count = await rest.get(`/history/activity-instance/count?processInstanceId=${instanceId}`);
    expect(count.body).to.deep.equal({ count: 9 }); // start, fork, three tasks, three join arrivals, end
    expect((await rest.get(`/history/process-instance/${instanceId}`)).body.state).to.equal('COMPLETED');
  });

  it('should cancel the tokens waiting at the join when the instance is deleted', async () => {
    const instanceId = (await rest.post('/process-definition/key/parallel-join/start', {})).body.id;
    await complete(instanceId, 'Task_A');

    expect((await rest.delete(`/process-instance/${instanceId}`)).status).to.equal(204);

    const joins = await rest.get(`/history/activity-instance?processInstanceId=${instanceId}&activityId=Join`);
    expect(joins.body.map((a: any) => [a.canceled, a.endTime !== null])).to.deep.equal([[true, true]]);
  });
});
