/**
 * Never variable values or other patient data in logs: a canary string in variables, a business key, query strings,
 * worker failures and BPMN errors runs through start, expression and script incidents, an external task failure, a
 * 500 and BPMN errors, and appears nowhere in what the logger wrote at debug level.
 */
import { expect } from 'chai';
import request from 'supertest';
import { JobExecutor } from '../../src/jobs/job-executor.js';
import { capturedLog } from '../support/captured-log.js';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine } from '../support/test-engine.js';

const CANARY = 'CANARY-7f3e-patient-Jane-Doe';

const CANARY_FLOWS = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_canary" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:error id="Error_Rejected" errorCode="REJECTED" />
  <bpmn:process id="canary-expression" isExecutable="true" camunda:historyTimeToLive="30">
    <bpmn:startEvent id="Start" />
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Charge" />
    <bpmn:serviceTask id="Charge" camunda:asyncBefore="true" camunda:expression="\${amount * 2}" camunda:resultVariable="price" />
    <bpmn:sequenceFlow id="F2" sourceRef="Charge" targetRef="End" />
    <bpmn:endEvent id="End" />
  </bpmn:process>
  <bpmn:process id="canary-script" isExecutable="true" camunda:historyTimeToLive="30">
    <bpmn:startEvent id="ScriptStart" />
    <bpmn:sequenceFlow id="S1" sourceRef="ScriptStart" targetRef="Script" />
    <bpmn:scriptTask id="Script" camunda:asyncBefore="true" scriptFormat="javascript">
      <bpmn:script>throw new Error('cannot handle ' + secret)</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:sequenceFlow id="S2" sourceRef="Script" targetRef="ScriptEnd" />
    <bpmn:endEvent id="ScriptEnd" />
  </bpmn:process>
  <bpmn:process id="canary-sync" isExecutable="true" camunda:historyTimeToLive="30">
    <bpmn:startEvent id="SyncStart" />
    <bpmn:sequenceFlow id="Y1" sourceRef="SyncStart" targetRef="SyncCharge" />
    <bpmn:serviceTask id="SyncCharge" camunda:expression="\${amount * 2}" camunda:resultVariable="price" />
    <bpmn:sequenceFlow id="Y2" sourceRef="SyncCharge" targetRef="SyncEnd" />
    <bpmn:endEvent id="SyncEnd" />
  </bpmn:process>
  <bpmn:process id="canary-external" isExecutable="true" camunda:historyTimeToLive="30">
    <bpmn:startEvent id="ExternalStart" />
    <bpmn:sequenceFlow id="X1" sourceRef="ExternalStart" targetRef="Work" />
    <bpmn:serviceTask id="Work" camunda:type="external" camunda:topic="canary-work" />
    <bpmn:sequenceFlow id="X2" sourceRef="Work" targetRef="ExternalEnd" />
    <bpmn:endEvent id="ExternalEnd" />
    <bpmn:boundaryEvent id="Rejected" attachedToRef="Work">
      <bpmn:errorEventDefinition errorRef="Error_Rejected" />
    </bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="X3" sourceRef="Rejected" targetRef="RejectedEnd" />
    <bpmn:endEvent id="RejectedEnd" />
  </bpmn:process>
</bpmn:definitions>
`;

const canaryVariables = {
  secret: { value: CANARY, type: 'String' },
  amount: { value: CANARY, type: 'String' },
  record: { value: JSON.stringify({ name: CANARY }), type: 'Json' },
};

describeOnDatabases('telemetry: no patient data in logs', (db) => {
  it('should never write the canary, whatever fails', async () => {
    // given an engine logging everything at debug level into memory
    const log = capturedLog('debug');
    const engine = createTestEngine(db(), { logger: log.logger, javascriptScripts: true, unhandledBpmnError: 'end' });
    const executor = new JobExecutor(engine.ctx, { lockOwner: 'canary-node', lockDurationMs: 60_000, pollIntervalMs: 60_000 });
    const api = request(engine.app);
    const deployed = await api.post('/engine-rest/deployment/create').field('deployment-name', 'canary').attach('data', Buffer.from(CANARY_FLOWS), 'canary.bpmn');
    expect(deployed.status).to.equal(200);
    const start = (key: string) => api.post(`/engine-rest/process-definition/key/${key}/start`).send({ businessKey: CANARY, variables: canaryVariables });

    // when an expression and a script fail in jobs, until their incidents
    const expression = await start('canary-expression');
    const script = await start('canary-script');
    expect([expression.status, script.status]).to.deep.equal([200, 200]);
    await executor.runDueJobs();
    for (const instance of [expression.body.id, script.body.id]) {
      const [job] = (await api.get(`/engine-rest/job?processInstanceId=${instance}`)).body;
      // and a job executed over REST fails with a 500
      for (let i = 0; i < 3; i++) await api.post(`/engine-rest/job/${job.id}/execute`);
      expect((await api.post(`/engine-rest/job/${job.id}/execute`)).status).to.be.at.least(500);
    }
    expect((await api.get('/engine-rest/incident/count')).body.count).to.equal(2);

    // and an expression fails inside a start request
    expect((await start('canary-sync')).status).to.be.at.least(400);

    // and workers fail, throw a caught BPMN error and an uncaught one, each with the canary in message and details
    for (let i = 0; i < 3; i++) expect((await start('canary-external')).status).to.equal(200);
    const tasks = (await api.post('/engine-rest/external-task/fetchAndLock').send({ workerId: 'w', maxTasks: 3, topics: [{ topicName: 'canary-work', lockDuration: 60_000 }] })).body;
    expect(tasks).to.have.length(3);
    expect((await api.post(`/engine-rest/external-task/${tasks[0].id}/failure`).send({ workerId: 'w', errorMessage: CANARY, errorDetails: `stack of ${CANARY}`, retries: 0, retryTimeout: 0 })).status).to.equal(204);
    expect((await api.post(`/engine-rest/external-task/${tasks[1].id}/bpmnError`).send({ workerId: 'w', errorCode: 'REJECTED', errorMessage: CANARY, variables: canaryVariables })).status).to.equal(204);
    expect((await api.post(`/engine-rest/external-task/${tasks[2].id}/bpmnError`).send({ workerId: 'w', errorCode: 'UNKNOWN', errorMessage: CANARY })).status).to.equal(204);

    // and a client searches by it in query strings and sends it as its request id
    await api.get(`/engine-rest/process-instance?businessKey=${CANARY}&variables=secret_eq_${CANARY}`);
    await api.get('/engine-rest/task').set('X-Request-Id', `${CANARY} with spaces`);

    // then the logger wrote about all of it
    const lines = log.lines();
    expect(lines.filter((line) => line.msg === 'HTTP request').length).to.be.at.least(10);
    expect(lines.some((line) => line.level === 'warn' && /^Job .* failed$/.test(line.msg))).to.equal(true);
    expect(lines.some((line) => line.level === 'warn' && line.err?.status >= 500)).to.equal(true);
    expect(lines.some((line) => /BPMN error 'UNKNOWN'/.test(line.msg))).to.equal(true);
    // but never the canary
    expect(log.text()).not.to.contain(CANARY);
    expect(log.text()).not.to.contain('Jane-Doe');
  });
});
