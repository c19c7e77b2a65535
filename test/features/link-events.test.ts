/** Scenario: a link throw event continues at the link catch event of its name. */
import { expect } from 'chai';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { RestClient } from '../support/rest-client.js';

describeOnDatabases('feature: link events', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    await rest.deployFixture('link-events.bpmn');
  });

  after(() => engine?.fetchAndLockWaiter.close());

  it('should continue at the link catch event of the same name', async () => {
    // given
    const started = await rest.post('/process-definition/key/link-events/start', {});
    const [intake] = (await rest.get(`/task?processInstanceId=${started.body.id}`)).body;

    // when
    await rest.post(`/task/${intake.id}/complete`, {});

    // then
    const tasks = (await rest.get(`/task?processInstanceId=${started.body.id}`)).body;
    expect(tasks.map((task: { taskDefinitionKey: string }) => task.taskDefinitionKey)).to.deep.equal(['Task_Assess']);
    const history = (await rest.get(`/history/activity-instance?processInstanceId=${started.body.id}&sortBy=occurrence&sortOrder=asc`)).body;
    // Camunda jumps from the throw to the catch event and records neither.
    expect(history.map((row: { activityId: string }) => row.activityId)).to.deep.equal(['Start_Intake', 'Task_Intake', 'Task_Assess']);
  });

  it('should refuse a link throw event whose name no link catch event has', async () => {
    // given
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="x">
  <bpmn:process id="link-dangling" isExecutable="true">
    <bpmn:startEvent id="S" /><bpmn:sequenceFlow id="F" sourceRef="S" targetRef="T" />
    <bpmn:intermediateThrowEvent id="T"><bpmn:linkEventDefinition name="nowhere" /></bpmn:intermediateThrowEvent>
  </bpmn:process>
</bpmn:definitions>`;

    // when
    const res = await rest.deploy([{ name: 'link-dangling.bpmn', content: xml }], { 'deployment-name': 'dangling' }, { undocumentedStatus: 400 });

    // then
    expect(res.status).to.equal(400);
    expect(res.body.details['link-dangling.bpmn'].errors.map((error: { message: string }) => error.message)).to.deep.equal(["IntermediateThrowEvent 'T' links to 'nowhere', which no link catch event of its scope is named"]);
  });
});
