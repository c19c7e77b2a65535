/**
 * Scenario: Json variables in expressions are Spin JSON nodes, as in Camunda 7: `elements()`, `prop()` and the typed
 * readers work in service task expressions, conditions and task names, and a node a task returns is stored as Json.
 */
import { expect } from 'chai';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { RestClient } from '../support/rest-client.js';

const APPLICANT = { value: '{"name":"Ada","address":{"city":"Berlin","zip":"10115"}}', type: 'Json' };

describeOnDatabases('feature: Json variables as Spin nodes', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    await rest.deployFixture('json-variables-as-spin-nodes.bpmn');
  });

  after(() => engine?.fetchAndLockWaiter.close());

  function start(creditScores: string) {
    return rest.post('/process-definition/key/json-variables-as-spin-nodes/start', {
      variables: { creditScores: { value: creditScores, type: 'Json' }, applicant: APPLICANT },
    });
  }

  it('should count elements(), store a prop() node as Json and route on numberValue()', async () => {
    // when
    const started = await start('[720, 650, 810]');

    // then
    expect(started.status).to.equal(200);
    const vars = (await rest.get(`/process-instance/${started.body.id}/variables`)).body;
    expect(vars.scoreCount).to.deep.equal({ type: 'Integer', value: 3, valueInfo: {} });
    expect(vars.address.type).to.equal('Json');
    expect(JSON.parse(vars.address.value)).to.deep.equal({ city: 'Berlin', zip: '10115' });
    const [task] = (await rest.get(`/task?processInstanceId=${started.body.id}`)).body;
    expect(task).to.include({ taskDefinitionKey: 'Approve', name: 'Approve Ada' });
  });

  it('should still read a Json variable by member access, as it did before it was a node', async () => {
    // when the first score is below the limit
    const started = await start('[610, 810]');

    // then the default flow's task is named through `applicant.name`
    const [task] = (await rest.get(`/task?processInstanceId=${started.body.id}`)).body;
    expect(task).to.include({ taskDefinitionKey: 'Review', name: 'Review Ada' });
  });

  it("should fail the start with Spin's error in Camunda's format when elements() meets a JSON object, committing nothing", async () => {
    // given
    const count = async () => (await rest.get('/process-instance/count?processDefinitionKey=json-variables-as-spin-nodes')).body.count as number;
    const before = await count();

    // when
    const started = await start('{"first":720}');

    // then
    expect(started.status).to.equal(500);
    expect(started.body.type).to.equal('RestException');
    expect(started.body.message).to.match(/^Cannot instantiate process definition \S+: /);
    expect(started.body.message).to.contain('${creditScores.elements().size()}');
    expect(started.body.message).to.contain("SPIN/JACKSON-JSON-01002 Expected 'Array', got 'OBJECT'");
    expect(started.body.message).to.not.match(/\n\s+at /);
    expect(await count()).to.equal(before);
  });
});
