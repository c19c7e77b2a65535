/** Specification of `/execution` queries by variables: an execution's own (with its tasks' local ones) and its instance's. */
import { expect } from 'chai';
import { describeOnDatabases } from '../../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';
import { RestClient } from '../../support/rest-client.js';

describeOnDatabases('execution router', (use) => {
  let engine: TestEngine;
  let rest: RestClient;
  const ids: Record<string, string> = {};

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    await rest.deployFixture('differential-variables.bpmn');
    // A fork: the receive task's and the side task's concurrent executions under the instance.
    const started = await rest.post('/process-definition/key/differential-variables-wait/start', { variables: { region: { value: 'east', type: 'String' } } });
    ids.instance = started.body.id;
    ids.receiving = (await rest.get(`/execution?processInstanceId=${ids.instance}&activityId=Receive_Wait`)).body[0].id;
    const [side] = (await rest.get(`/task?processInstanceId=${ids.instance}&taskDefinitionKey=Task_Side`)).body;
    ids.side = side.executionId;
    expect((await rest.put(`/execution/${ids.receiving}/localVariables/hops`, { value: 3, type: 'Integer' })).status).to.equal(204);
    expect((await rest.put(`/task/${side.id}/localVariables/note`, { value: 'side', type: 'String' })).status).to.equal(204);
  });

  after(() => engine?.fetchAndLockWaiter.close());

  async function executions(query: Record<string, unknown>): Promise<string[]> {
    const body = { processInstanceId: ids.instance, ...query };
    const list = await rest.post('/execution', body);
    const count = await rest.post('/execution/count', body);
    expect(list.status, list.text).to.equal(200);
    expect(count.body).to.deep.equal({ count: list.body.length });
    return list.body.map((execution: { id: string }) => execution.id).sort();
  }

  it('should find an execution by its own variables, which include the local ones of the tasks it executes', async () => {
    expect(await executions({ variables: [{ name: 'hops', operator: 'gteq', value: 3 }] })).to.deep.equal([ids.receiving]);
    expect(await executions({ variables: [{ name: 'region', operator: 'eq', value: 'east' }] })).to.deep.equal([ids.instance]);
    expect(await executions({ variables: [{ name: 'note', operator: 'eq', value: 'side' }] })).to.deep.equal([ids.side]);
    expect((await rest.get(`/execution/count?processInstanceId=${ids.instance}&variables=region_eq_east`)).body).to.deep.equal({ count: 1 });
  });

  it('should find every execution of an instance by its process variables, of any scope but a task\'s', async () => {
    const all = [ids.instance, ids.receiving, ids.side].sort();

    expect(await executions({ processVariables: [{ name: 'hops', operator: 'eq', value: 3 }] })).to.deep.equal(all);
    expect(await executions({ processVariables: [{ name: 'REGION', operator: 'neq', value: 'WEST' }], variableNamesIgnoreCase: true, variableValuesIgnoreCase: true })).to.deep.equal(all);
    expect(await executions({ processVariables: [{ name: 'note', operator: 'eq', value: 'side' }] })).to.deep.equal([]);
  });

  it('should take only eq and neq for process variables, as Camunda\'s execution query does', async () => {
    const res = await rest.post('/execution', { processVariables: [{ name: 'hops', operator: 'gt', value: 1 }] });

    expect([res.status, res.body]).to.deep.equal([400, { type: 'InvalidRequestException', message: 'Invalid process variable comparator specified: gt', code: 0 }]);
  });
});
