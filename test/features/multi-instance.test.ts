/** Scenario: multi-instance tasks and call activities, parallel and sequential, with Camunda's variables and completion condition. */
import { expect } from 'chai';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { RestClient } from '../support/rest-client.js';

interface Task {
  id: string;
  taskDefinitionKey: string;
  assignee: string | null;
  name: string;
  executionId: string;
}

describeOnDatabases('feature: multi-instance', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    await rest.deployFixture('multi-instance.bpmn');
  });

  after(() => engine?.fetchAndLockWaiter.close());

  const json = (value: unknown) => ({ value: JSON.stringify(value), type: 'Json' });
  const start = (variables: Record<string, unknown>) => rest.post('/process-definition/key/multi-instance-reviews/start', { variables });
  const tasksOf = async (id: string, key: string): Promise<Task[]> => (await rest.get(`/task?processInstanceId=${id}&taskDefinitionKey=${key}`)).body;

  it('should create one task per element of the collection, each with its element and loopCounter, in its own execution', async () => {
    // when
    const started = await start({ reviewers: json(['ann', 'bob', 'cy']), notifications: { value: 2, type: 'Integer' }, members: json(['m1']) });

    // then
    expect(started.status).to.equal(200);
    const reviews = await tasksOf(started.body.id, 'Review');
    expect(reviews.map((task) => [task.assignee, task.name]).sort()).to.deep.equal([['ann', 'Review ann'], ['bob', 'Review bob'], ['cy', 'Review cy']]);
    expect(new Set(reviews.map((task) => task.executionId)).size).to.equal(3);
    const variables = (await rest.get(`/task/${reviews.find((task) => task.assignee === 'bob')!.id}/variables`)).body;
    expect(variables).to.deep.include({
      reviewer: { type: 'String', value: 'bob', valueInfo: {} },
      loopCounter: { type: 'Integer', value: 1, valueInfo: {} },
      nrOfInstances: { type: 'Integer', value: 3, valueInfo: {} },
      nrOfActiveInstances: { type: 'Integer', value: 3, valueInfo: {} },
      nrOfCompletedInstances: { type: 'Integer', value: 0, valueInfo: {} },
    });
    const tree = (await rest.get(`/process-instance/${started.body.id}/activity-instances`)).body;
    expect(tree.childActivityInstances.map((child: { activityId: string; childActivityInstances: unknown[] }) => [child.activityId, child.childActivityInstances.length])).to.deep.equal([['Review#multiInstanceBody', 3]]);
  });

  it('should cancel the remaining iterations when the completion condition holds, then run a sequential loop and a call per member', async () => {
    // given
    const started = await start({ reviewers: json(['ann', 'bob', 'cy']), notifications: { value: 2, type: 'Integer' }, members: json(['m1', 'm2']) });
    const id = started.body.id;

    // when two of three reviews are done
    for (const assignee of ['ann', 'cy']) {
      const task = (await tasksOf(id, 'Review')).find((each) => each.assignee === assignee)!;
      expect((await rest.post(`/task/${task.id}/complete`, {})).status).to.equal(204);
    }

    // then bob's review is cancelled and the first of two sequential notifications waits for a worker
    expect(await tasksOf(id, 'Review')).to.deep.equal([]);
    const reviewHistory = (await rest.get(`/history/activity-instance?processInstanceId=${id}&activityId=Review`)).body;
    expect(reviewHistory.map((row: { canceled: boolean; completeScope: boolean }) => [row.canceled, row.completeScope]).sort()).to.deep.equal([[false, true], [false, true], [true, false]]);
    for (let round = 0; round < 2; round++) {
      const locked = (await rest.post('/external-task/fetchAndLock', { workerId: 'w', maxTasks: 5, topics: [{ topicName: 'notify-members', lockDuration: 10_000 }] })).body;
      expect(locked.map((task: { processInstanceId: string }) => task.processInstanceId)).to.deep.equal([id]);
      expect((await rest.post(`/external-task/${locked[0].id}/complete`, { workerId: 'w' })).status).to.equal(204);
    }

    // and each member's authorization is a child instance of its own, with the member handed in
    const children = (await rest.get(`/process-instance?superProcessInstance=${id}`)).body;
    expect(children).to.have.length(2);
    const members = await Promise.all(children.map(async (child: { id: string }) => (await rest.get(`/process-instance/${child.id}/variables/member`)).body.value));
    expect(members.sort()).to.deep.equal(['m1', 'm2']);

    // when both children are approved, the caller ends
    for (const child of children) {
      const [approve] = await tasksOf(child.id, 'Approve');
      expect((await rest.post(`/task/${approve.id}/complete`, {})).status).to.equal(204);
    }
    const [history] = (await rest.get(`/history/process-instance?processInstanceId=${id}`)).body;
    expect(history.state).to.equal('COMPLETED');
  });

  it('should refuse a collection that is not a list, and a negative cardinality, committing nothing', async () => {
    const before = (await rest.get('/history/process-instance/count?processDefinitionKey=multi-instance-reviews')).body.count;

    const notAList = await start({ reviewers: { value: 'ann', type: 'String' }, notifications: { value: 1, type: 'Integer' }, members: json([]) });
    expect(notAList.status).to.equal(500);
    expect(notAList.body.message).to.contain("ENGINE-02024 Expression '${reviewers}' didn't resolve to type 'Collection'");

    const started = await start({ reviewers: json(['ann', 'bob']), notifications: { value: -1, type: 'Integer' }, members: json([]) });
    const tasks = await tasksOf(started.body.id, 'Review');
    for (const task of tasks) await rest.post(`/task/${task.id}/complete`, {});
    // The second completion reaches the sequential loop, whose cardinality is negative: that command fails whole.
    expect((await tasksOf(started.body.id, 'Review')).length).to.equal(1);
    const [left] = await tasksOf(started.body.id, 'Review');
    const failed = await rest.post(`/task/${left.id}/complete`, {});
    expect(failed.status).to.equal(500);
    expect(failed.body.message).to.contain('ENGINE-02023 Invalid number of instances: must be non-negative integer value, but was -1');
    expect((await tasksOf(started.body.id, 'Review')).length).to.equal(1);

    expect((await rest.get('/history/process-instance/count?processDefinitionKey=multi-instance-reviews')).body.count).to.equal(before + 1);
  });
});
