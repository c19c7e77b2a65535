/** Scenarios: script and expression tasks with result variables, mapping scripts, listeners, nested scopes, joins in loops. */
import { expect } from 'chai';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { fixture, RestClient } from '../support/rest-client.js';

describeOnDatabases('feature: scripts, scopes and loops', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    engine = createTestEngine(use(), { javascriptScripts: true });
    rest = new RestClient(engine.app);
    for (const name of ['scripts-and-listeners.bpmn', 'parallel-rounds.bpmn', 'nested-scopes.bpmn']) await rest.deployFixture(name);
  });

  after(() => engine?.fetchAndLockWaiter.close());

  async function variables(id: string) {
    return (await rest.get(`/process-instance/${id}/variables`)).body;
  }

  it('should store the results of a JavaScript script task and an expression service task', async () => {
    const started = await rest.post('/process-definition/key/scripts-and-listeners/start', {
      variables: { amount: { value: 14, type: 'Integer' }, customerName: { value: 'Ada', type: 'String' } },
    });
    const vars = await variables(started.body.id);
    expect(vars.jsResult.value).to.equal(15);
    expect(vars.tripled).to.deep.equal({ type: 'Integer', value: 42, valueInfo: {} });
  });

  it('should name the task from a FEEL input mapping and run the assignment listener on claim', async () => {
    const started = await rest.post('/process-definition/key/scripts-and-listeners/start', {
      variables: { amount: { value: 1, type: 'Integer' }, customerName: { value: 'Grace', type: 'String' } },
    });
    const [task] = (await rest.get(`/task?processInstanceId=${started.body.id}`)).body;
    expect(task.name).to.equal('Hello Grace');
    expect((await rest.get(`/task/${task.id}/variables`)).body.greeting.value).to.equal('Hello Grace');
    expect(await variables(started.body.id)).to.not.have.property('greeting');

    await rest.post(`/task/${task.id}/claim`, { userId: 'grace' });
    expect((await variables(started.body.id)).assignedTo.value).to.equal('grace');
  });

  it('should refuse JavaScript at deploy when it is off, naming the element', async () => {
    const strict = new RestClient(createTestEngine(use()).app);
    const res = await strict.deploy([{ name: 'scripts-and-listeners.bpmn', content: fixture('bpmn/scripts-and-listeners.bpmn') }], { 'deployment-name': 'strict' });
    expect(res.status).to.equal(400);
    expect(res.body.type).to.equal('ParseException');
    expect(res.body.details['scripts-and-listeners.bpmn'].errors[0]).to.include({ mainElementId: 'AddOne' });
    expect(res.body.message).to.contain('JAVASCRIPT_SCRIPTS');
  });

  it('should join a parallel gateway again on each round of a loop', async () => {
    const started = await rest.post('/process-definition/key/parallel-rounds/start', { variables: { rounds: { value: 0, type: 'Integer' } } });
    const id = started.body.id;
    for (let round = 0; round < 2; round++) {
      const tasks = (await rest.get(`/task?processInstanceId=${id}&sortBy=name&sortOrder=asc`)).body;
      expect(tasks.map((t: { name: string }) => t.name), `round ${round}`).to.deep.equal(['A', 'B']);
      for (const task of tasks) await rest.post(`/task/${task.id}/complete`, {});
    }
    const [history] = (await rest.get(`/history/process-instance?processInstanceId=${id}`)).body;
    expect(history.state).to.equal('COMPLETED');
    const joins = (await rest.get(`/history/activity-instance/count?processInstanceId=${id}&activityId=Join`)).body.count;
    // As Camunda: one join instance per arriving token, two tokens in each of the two rounds.
    expect(joins).to.equal(4);
    const a = (await rest.get(`/history/activity-instance/count?processInstanceId=${id}&activityId=A`)).body.count;
    expect(a).to.equal(2);
  });

  it('should give nested sub-processes their own scopes, the inner one shadowing the outer', async () => {
    const started = await rest.post('/process-definition/key/nested-scopes/start', { variables: { base: { value: 41, type: 'Integer' } } });
    const id = started.body.id;
    const [deep] = (await rest.get(`/task?processInstanceId=${id}`)).body;
    expect(deep.name).to.equal('Level inner');
    const tree = (await rest.get(`/process-instance/${id}/activity-instances`)).body;
    expect(tree.childActivityInstances[0].activityId).to.equal('Outer');
    expect(tree.childActivityInstances[0].childActivityInstances[0].activityId).to.equal('Inner');
    expect(tree.childActivityInstances[0].childActivityInstances[0].childActivityInstances[0].activityId).to.equal('Deep');

    await rest.post(`/task/${deep.id}/complete`, {});
    const [history] = (await rest.get(`/history/process-instance?processInstanceId=${id}`)).body;
    expect(history.state).to.equal('COMPLETED');
    // the inner output mapping read the outer scope and set the variable where it maps to: the instance
    const seen = (await rest.get(`/history/variable-instance?processInstanceId=${id}&variableName=seenOuter`)).body;
    expect(seen.map((v: { value: unknown }) => v.value)).to.deep.equal([42]);
    const levels = (await rest.get(`/history/variable-instance?processInstanceId=${id}&variableName=level&includeDeleted=true`)).body;
    expect(levels.map((v: { value: unknown }) => v.value).sort()).to.deep.equal(['inner', 'outer']);
  });
});
