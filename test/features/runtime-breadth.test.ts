/**
 * Scenario: an inclusive gateway opens a review sub-process (parallel user and external task, input/output mappings,
 * listeners) beside a FEEL script task and an expression service task; the inclusive join waits for both branches.
 */
import { expect } from 'chai';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { RestClient } from '../support/rest-client.js';
import { checksumTables } from '../support/table-checksum.js';

const ORDER = {
  needsReview: { value: true, type: 'Boolean' },
  needsScoring: { value: true, type: 'Boolean' },
  amount: { value: 21, type: 'Integer' },
  customer: { value: '{"id":"c-17"}', type: 'Json' },
  preferredChannel: { value: 'sms', type: 'String' },
  approver: { value: 'olga', type: 'String' },
};

describeOnDatabases('feature: runtime breadth', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    await rest.deployFixture('runtime-breadth.bpmn');
    await rest.deployFixture('inclusive-without-default.bpmn');
    await rest.deployFixture('failing-listener.bpmn');
  });

  after(() => engine?.fetchAndLockWaiter.close());

  async function variables(id: string) {
    return (await rest.get(`/process-instance/${id}/variables`)).body;
  }

  it('should run both inclusive branches: the review sub-process waits, the scoring branch ran through', async () => {
    // when
    const started = await rest.post('/process-definition/key/runtime-breadth/start', { variables: ORDER });

    // then the script task and the expression service task ran, and the sub-process start listener set its variable
    const vars = await variables(started.body.id);
    expect(vars.score).to.deep.equal({ type: 'Integer', value: 42, valueInfo: {} });
    expect(vars.scored).to.deep.equal({ type: 'Boolean', value: true, valueInfo: {} });
    expect(vars.reviewStarted.value).to.equal(true);
    // and the input mappings are local to the external task, not instance variables
    expect(vars).to.not.have.property('customerId');

    // and the activity instance tree shows the sub-process scope with its two waiting children
    const tree = (await rest.get(`/process-instance/${started.body.id}/activity-instances`)).body;
    expect(tree.childActivityInstances.map((c: { activityId: string }) => c.activityId)).to.deep.equal(['Review']);
    const review = tree.childActivityInstances[0];
    expect(review.activityType).to.equal('subProcess');
    expect(review.childActivityInstances.map((c: { activityId: string }) => c.activityId).sort()).to.deep.equal(['CheckDocuments', 'Enrich']);
  });

  it('should hand the external task its input mappings as local variables and map its output back', async () => {
    // given
    const started = await rest.post('/process-definition/key/runtime-breadth/start', { businessKey: 'mapped-order', variables: ORDER });
    const [enrich] = (await rest.post('/external-task/fetchAndLock', {
      workerId: 'w1', maxTasks: 1, topics: [{ topicName: 'enrich', lockDuration: 60000, localVariables: true, businessKey: 'mapped-order' }],
    })).body;
    expect(enrich.processInstanceId).to.equal(started.body.id);

    // then
    expect(enrich.variables.customerId).to.deep.equal({ type: 'String', value: 'c-17', valueInfo: {} });
    expect(enrich.variables.channels.type).to.equal('Json');
    expect(JSON.parse(enrich.variables.channels.value)).to.deep.equal(['email', 'sms']);
    expect(JSON.parse(enrich.variables.limits.value)).to.deep.equal({ max: 210 });

    // when the worker completes with a local result, the output mapping carries it to the instance
    expect((await rest.post(`/external-task/${enrich.id}/complete`, { workerId: 'w1', localVariables: { risk: { value: 'low', type: 'String' } } })).status).to.equal(204);
    const vars = await variables(started.body.id);
    expect(vars.riskClass).to.deep.equal({ type: 'String', value: 'low', valueInfo: {} });
    expect(vars).to.not.have.property('risk');
  });

  it('should join the branches, assign the approval through the create listener and complete with history', async () => {
    // given
    const started = await rest.post('/process-definition/key/runtime-breadth/start', { variables: ORDER });
    const id = started.body.id;
    const tasks = (await rest.get(`/external-task?processInstanceId=${id}`)).body;
    await rest.post(`/external-task/${tasks[0].id}/lock`, { workerId: 'w2', lockDuration: 60000 });
    await rest.post(`/external-task/${tasks[0].id}/complete`, { workerId: 'w2', variables: { risk: { value: 'high', type: 'String' } } });
    const [check] = (await rest.get(`/task?processInstanceId=${id}&taskDefinitionKey=CheckDocuments`)).body;

    // when the last review activity completes
    await rest.post(`/task/${check.id}/complete`, {});

    // then the inclusive join released once, and the approval task's create listener assigned it
    const [approve] = (await rest.get(`/task?processInstanceId=${id}`)).body;
    expect(approve).to.include({ taskDefinitionKey: 'Approve', assignee: 'olga' });
    expect((await variables(id)).reviewTaken.value).to.equal(true);

    // when approved, the complete listener's FEEL script runs and the instance completes
    await rest.post(`/task/${approve.id}/complete`, {});
    const [history] = (await rest.get(`/history/process-instance?processInstanceId=${id}`)).body;
    expect(history.state).to.equal('COMPLETED');
    const activities = (await rest.get(`/history/activity-instance?processInstanceId=${id}`)).body as Array<{ activityId: string; parentActivityInstanceId: string; endTime: string | null }>;
    const counts = activities.reduce<Record<string, number>>((all, a) => ({ ...all, [a.activityId]: (all[a.activityId] ?? 0) + 1 }), {});
    for (const activityId of ['Start', 'Route', 'Review', 'ReviewStart', 'CheckDocuments', 'Enrich', 'ReviewEnd', 'Score', 'MarkScored', 'Approve', 'Done']) {
      expect(counts[activityId], activityId).to.equal(1);
    }
    const review = activities.find((a) => a.activityId === 'Review')!;
    expect(activities.find((a) => a.activityId === 'CheckDocuments')!.parentActivityInstanceId).to.equal((await rest.get(`/history/activity-instance?processInstanceId=${id}&activityId=Review`)).body[0].id);
    expect(review.parentActivityInstanceId).to.equal(id);
    expect(activities.every((a) => a.endTime !== null)).to.equal(true);
    // the sub-process scope's locals are history, not runtime
    const local = (await rest.get(`/history/variable-instance?processInstanceId=${id}&variableName=customerId`)).body;
    expect(local).to.have.length(1);
  });

  it('should take only the default flow when no inclusive condition holds', async () => {
    const started = await rest.post('/process-definition/key/runtime-breadth/start', {
      variables: { ...ORDER, needsReview: { value: false, type: 'Boolean' }, needsScoring: { value: false, type: 'Boolean' } },
    });
    const [approve] = (await rest.get(`/task?processInstanceId=${started.body.id}`)).body;
    expect(approve.taskDefinitionKey).to.equal('Approve');
    expect((await variables(started.body.id))).to.not.have.property('score');
  });

  it('should fail with Camunda\'s message and commit nothing when no inclusive flow can be taken', async () => {
    const before = await checksumTables(use().knex);
    const res = await rest.post('/process-definition/key/inclusive-without-default/start', {
      variables: { a: { value: false, type: 'Boolean' }, b: { value: false, type: 'Boolean' } },
    });
    expect(res.status).to.equal(500);
    expect(res.body.message).to.contain("No outgoing sequence flow for the element with id 'Pick'");
    expect(await checksumTables(use().knex)).to.equal(before);
  });

  it('should roll the command back when a listener throws, naming the element', async () => {
    const started = await rest.post('/process-definition/key/failing-listener/start', {});
    const [task] = (await rest.get(`/task?processInstanceId=${started.body.id}`)).body;
    const before = await checksumTables(use().knex);
    const res = await rest.post(`/task/${task.id}/complete`, {});
    expect(res.status).to.equal(500);
    expect(res.body.message).to.contain("'Work'").and.to.contain('missingVariable');
    expect(await checksumTables(use().knex)).to.equal(before);
    expect((await rest.get(`/task/${task.id}`)).status).to.equal(200);
  });
});
