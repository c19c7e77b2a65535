/** Scenario: messages correlate by name to catch events, receive tasks, boundary events, event-based gateways and message start events. */
import { expect } from 'chai';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { RestClient } from '../support/rest-client.js';
import { TestClock } from '../support/test-clock.js';
import { JobExecutor } from '../../src/jobs/job-executor.js';

describeOnDatabases('feature: messages', (use) => {
  let engine: TestEngine;
  let rest: RestClient;
  const clock = new TestClock(new Date('2026-03-02T09:00:00.000Z'));

  before(async () => {
    engine = createTestEngine(use(), { clock });
    rest = new RestClient(engine.app);
    await rest.deployFixture('messages.bpmn');
  });

  after(() => engine?.fetchAndLockWaiter.close());

  const taskKeys = async (processInstanceId: string) => (await rest.get(`/task?processInstanceId=${processInstanceId}`)).body.map((task: { taskDefinitionKey: string }) => task.taskDefinitionKey).sort();
  const history = async (processInstanceId: string) =>
    (await rest.get(`/history/activity-instance?processInstanceId=${processInstanceId}&sortBy=startTime&sortOrder=asc`)).body.map((row: { activityId: string; activityType: string; endTime: string | null; canceled: boolean }) => [row.activityId, row.activityType, row.endTime !== null, row.canceled]);

  describe('intermediate message catch events', () => {
    it('should correlate by business key, set process variables and answer with the execution when asked', async () => {
      // given two instances waiting for the same message
      const first = await rest.post('/process-definition/key/messages-catch/start', { businessKey: 'order-1' });
      const second = await rest.post('/process-definition/key/messages-catch/start', { businessKey: 'order-2' });
      const [subscription] = (await rest.get(`/event-subscription?processInstanceId=${first.body.id}`)).body;
      expect(subscription).to.include({ eventType: 'message', eventName: 'payment-received', activityId: 'Catch_Payment', processInstanceId: first.body.id });

      // when
      const correlated = await rest.post('/message', {
        messageName: 'payment-received', businessKey: 'order-1', resultEnabled: true, variablesInResultEnabled: true, processVariables: { paid: { value: true, type: 'Boolean' } },
      });

      // then only the first moved on, with the variable
      expect(correlated.status).to.equal(200);
      expect(correlated.body).to.deep.equal([{
        resultType: 'Execution',
        execution: { id: subscription.executionId, processInstanceId: first.body.id, ended: true, tenantId: null },
        processInstance: null,
        variables: { paid: { type: 'Boolean', value: true, valueInfo: {} } },
      }]);
      expect(await taskKeys(first.body.id)).to.deep.equal(['Task_Ship']);
      expect(await taskKeys(second.body.id)).to.deep.equal([]);
      expect((await rest.get(`/event-subscription?processInstanceId=${first.body.id}`)).body).to.deep.equal([]);
    });

    it('should correlate by correlation keys and by instance id, and refuse ambiguous or unmatched correlations', async () => {
      // given
      const a = await rest.post('/process-definition/key/messages-catch/start', { variables: { orderId: { value: 41, type: 'Integer' } } });
      const b = await rest.post('/process-definition/key/messages-catch/start', { variables: { orderId: { value: 42, type: 'Integer' } } });

      // when several wait and the request does not say which
      const ambiguous = await rest.post('/message', { messageName: 'payment-received' });

      // then nothing moves
      expect(ambiguous.status).to.equal(400);
      expect(ambiguous.body.type).to.equal('RestException');
      expect(ambiguous.body.message).to.match(/^org\.camunda\.bpm\.engine\.MismatchingMessageCorrelationException: ENGINE-13031 Cannot correlate a message with name 'payment-received' to a single execution\. \d+ executions match/);

      // when the correlation keys pick one, then the instance id the other
      expect((await rest.post('/message', { messageName: 'payment-received', correlationKeys: { orderId: { value: 42, type: 'Integer' } } })).status).to.equal(204);
      expect((await rest.post('/message', { messageName: 'payment-received', processInstanceId: a.body.id })).status).to.equal(204);

      // then both moved on, and a message nobody waits for is refused
      expect(await taskKeys(a.body.id)).to.deep.equal(['Task_Ship']);
      expect(await taskKeys(b.body.id)).to.deep.equal(['Task_Ship']);
      const unmatched = await rest.post('/message', { messageName: 'payment-received', processInstanceId: a.body.id });
      expect(unmatched.status).to.equal(400);
      expect(unmatched.body.message).to.equal("org.camunda.bpm.engine.MismatchingMessageCorrelationException: Cannot correlate message 'payment-received': No process definition or execution matches the parameters");
      expect((await rest.post('/message', {})).body).to.include({ type: 'InvalidRequestException', message: 'No message name supplied' });
    });

    it('should correlate to every waiting execution with all, and answer an empty list when none waits', async () => {
      // given
      const ids = [];
      for (const key of ['all-1', 'all-2']) ids.push((await rest.post('/process-definition/key/messages-catch/start', { businessKey: key, variables: { batch: { value: 'all', type: 'String' } } })).body.id);

      // when
      const correlated = await rest.post('/message', { messageName: 'payment-received', correlationKeys: { batch: { value: 'all', type: 'String' } }, all: true, resultEnabled: true });

      // then
      expect(correlated.body.map((result: { execution: { processInstanceId: string } }) => result.execution.processInstanceId).sort()).to.deep.equal([...ids].sort());
      for (const id of ids) expect(await taskKeys(id)).to.deep.equal(['Task_Ship']);
      expect((await rest.post('/message', { messageName: 'payment-received', correlationKeys: { batch: { value: 'all', type: 'String' } }, all: true, resultEnabled: true })).body).to.deep.equal([]);
    });

    it('should not correlate to a suspended instance until it is activated', async () => {
      // given
      const started = await rest.post('/process-definition/key/messages-catch/start', { businessKey: 'suspended-1' });
      await rest.put(`/process-instance/${started.body.id}/suspended`, { suspended: true });

      // when, then
      expect((await rest.post('/message', { messageName: 'payment-received', businessKey: 'suspended-1' })).status).to.equal(400);
      await rest.put(`/process-instance/${started.body.id}/suspended`, { suspended: false });
      expect((await rest.post('/message', { messageName: 'payment-received', businessKey: 'suspended-1' })).status).to.equal(204);
      expect(await taskKeys(started.body.id)).to.deep.equal(['Task_Ship']);
    });

    it('should let one of two concurrent correlations to one waiting instance succeed and refuse the other', async () => {
      // given
      const started = await rest.post('/process-definition/key/messages-catch/start', { businessKey: 'race-1' });

      // when
      const answers = await Promise.all([0, 1].map(() => rest.post('/message', { messageName: 'payment-received', businessKey: 'race-1' })));

      // then exactly one moved the instance, once
      expect(answers.map((answer) => answer.status).sort()).to.deep.equal([204, 400]);
      expect(await taskKeys(started.body.id)).to.deep.equal(['Task_Ship']);
      expect((await history(started.body.id)).filter(([activityId]: [string]) => activityId === 'Catch_Payment')).to.have.length(1);
    });
  });

  describe('local correlation keys and variables', () => {
    it('should correlate by the waiting execution\'s local variables and set local variables there', async () => {
      // given two instances whose catch events hold their order in a local variable
      const first = await rest.post('/process-definition/key/messages-local/start', { variables: { order: { value: 'lab-1', type: 'String' } } });
      const second = await rest.post('/process-definition/key/messages-local/start', { variables: { order: { value: 'lab-2', type: 'String' } } });

      // when a process variable does not match as a local key, and the local variable does
      const byProcessVariable = await rest.post('/message', { messageName: 'lab-result', localCorrelationKeys: { order: { value: 'lab-2', type: 'String' } } });
      const byLocal = await rest.post('/message', {
        messageName: 'lab-result', localCorrelationKeys: { labOrder: { value: 'lab-2', type: 'String' } }, processVariablesLocal: { result: { value: 'negative', type: 'String' } },
      });

      // then only the second moved on; the local variable lived on the catch event's scope
      expect(byProcessVariable.status).to.equal(400);
      expect(byLocal.status).to.equal(204);
      expect(await taskKeys(first.body.id)).to.deep.equal([]);
      expect(await taskKeys(second.body.id)).to.deep.equal(['Task_Read']);
      expect((await rest.get(`/process-instance/${second.body.id}/variables`)).body).to.not.have.property('result');
      const [result] = (await rest.get(`/history/variable-instance?processInstanceId=${second.body.id}&variableName=result`)).body;
      expect(result.activityInstanceId).to.match(/^Catch_Lab:/);
      expect(result.value).to.equal('negative');

      // and plain correlation keys match local variables too, as Camunda's variable query does
      expect((await rest.post('/message', { messageName: 'lab-result', correlationKeys: { labOrder: { value: 'lab-1', type: 'String' } } })).status).to.equal(204);
      expect(await taskKeys(first.body.id)).to.deep.equal(['Task_Read']);
    });
  });

  describe('event subscriptions', () => {
    it('should filter, count and sort subscriptions, and refuse an unknown sort key as Camunda does', async () => {
      // given
      const started = await rest.post('/process-definition/key/messages-receive/start', { variables: { caseId: { value: 'C-9', type: 'String' } } });

      // then
      expect((await rest.get(`/event-subscription/count?processInstanceId=${started.body.id}&eventType=message`)).body).to.deep.equal({ count: 3 });
      expect((await rest.get(`/event-subscription?processInstanceId=${started.body.id}&activityId=Boundary_Withdraw`)).body.map((s: { eventName: string }) => s.eventName)).to.deep.equal(['withdraw']);
      expect((await rest.get(`/event-subscription?processInstanceId=${started.body.id}&eventType=signal`)).body).to.deep.equal([]);
      expect((await rest.get(`/event-subscription?processInstanceId=${started.body.id}&sortBy=created&sortOrder=desc&maxResults=2`)).body).to.have.length(2);
      const refused = await rest.get('/event-subscription?sortBy=foo&sortOrder=desc');
      expect(refused.status).to.equal(400);
      expect(refused.body.message).to.equal("Cannot set query parameter 'sortBy' to value 'foo'");
    });
  });

  describe('plain receive tasks', () => {
    it('should continue a receive task without a message through POST /execution/{id}/signal, setting its variables', async () => {
      // given
      const started = await rest.post('/process-definition/key/messages-plain-receive/start', { variables: { caller: { value: 'Dr. Lee', type: 'String' } } });
      expect((await rest.get(`/event-subscription?processInstanceId=${started.body.id}`)).body).to.deep.equal([]);
      const [execution] = (await rest.get(`/execution?processInstanceId=${started.body.id}&activityId=Receive_Call`)).body;

      // when
      const signalled = await rest.post(`/execution/${execution.id}/signal`, { variables: { answered: { value: true, type: 'Boolean' } } });

      // then
      expect(signalled.status).to.equal(204);
      expect(await taskKeys(started.body.id)).to.deep.equal(['Task_Callback']);
      expect((await rest.get(`/process-instance/${started.body.id}/variables/answered`)).body.value).to.equal(true);
      const again = await rest.post(`/execution/${execution.id}/signal`, {}, { undocumentedStatus: 500 });
      expect(again.body.message).to.match(/^Cannot signal execution .*: execution .* doesn't exist: execution is null$|it has no current activity$/);
    });
    it('should leave a user task whose execution is signalled, deleting its task, as Camunda does', async () => {
      // given: the call was received, so the instance waits in the user task
      const started = await rest.post('/process-definition/key/messages-plain-receive/start', { variables: { caller: { value: 'Dr. Kim', type: 'String' } } });
      const [execution] = (await rest.get(`/execution?processInstanceId=${started.body.id}&activityId=Receive_Call`)).body;
      await rest.post(`/execution/${execution.id}/signal`, {});
      const [callback] = (await rest.get(`/task?processInstanceId=${started.body.id}`)).body;

      // when
      const signalled = await rest.post(`/execution/${callback.executionId}/signal`, { variables: { skipped: { value: true, type: 'Boolean' } } });

      // then
      expect(signalled.status).to.equal(204);
      expect((await rest.get(`/history/task?taskId=${callback.id}`)).body.map((task: { deleteReason: string; taskState: string }) => [task.deleteReason, task.taskState])).to.deep.equal([['deleted', 'Deleted']]);
      expect((await rest.get(`/history/process-instance/${started.body.id}`)).body.state).to.equal('COMPLETED');
      expect((await history(started.body.id)).slice(-2)).to.deep.equal([['Task_Callback', 'userTask', true, false], ['End_Plain', 'noneEndEvent', true, false]]);
      expect((await rest.get(`/history/variable-instance?processInstanceId=${started.body.id}&variableName=skipped`)).body.map((variable: { value: unknown }) => variable.value)).to.deep.equal([true]);
    });
  });

  describe('receive tasks and message boundary events', () => {
    it('should resolve the message name from variables, fire a non-interrupting boundary event each time and keep the task waiting', async () => {
      // given
      const started = await rest.post('/process-definition/key/messages-receive/start', { variables: { caseId: { value: 'C-7', type: 'String' } } });
      const names = (await rest.get(`/event-subscription?processInstanceId=${started.body.id}&sortBy=created&sortOrder=asc`)).body.map((s: { eventName: string }) => s.eventName).sort();
      expect(names).to.deep.equal(['document-signed-C-7', 'reminder', 'withdraw']);

      // when the reminder arrives, is handled, and arrives again
      const remind = async () => {
        const answer = await rest.post('/message', { messageName: 'reminder', processInstanceId: started.body.id, resultEnabled: true });
        expect(answer.body[0].execution.ended).to.equal(false);
      };
      await remind();
      const [reminder] = (await rest.get(`/task?processInstanceId=${started.body.id}&taskDefinitionKey=Task_Remind`)).body;
      await rest.post(`/task/${reminder.id}/complete`, {});
      await remind();

      // then the boundary event stays armed and the receive task waits on
      expect(await taskKeys(started.body.id)).to.deep.equal(['Task_Remind']);
      expect((await rest.get(`/event-subscription?processInstanceId=${started.body.id}&eventName=reminder`)).body).to.have.length(1);

      // when the document is signed
      const signed = await rest.post('/message', { messageName: 'document-signed-C-7', resultEnabled: true });

      // then the receive task completes and its boundary events are gone
      expect(signed.body[0].execution.ended).to.equal(true);
      expect(await taskKeys(started.body.id)).to.deep.equal(['Task_File', 'Task_Remind']);
      expect((await rest.get(`/event-subscription?processInstanceId=${started.body.id}`)).body).to.deep.equal([]);
      expect((await history(started.body.id)).filter(([, type]: [string, string]) => type === 'boundaryMessage' || type === 'receiveTask')).to.deep.equal([
        ['Receive_Signature', 'receiveTask', true, false],
        ['Boundary_Reminder', 'boundaryMessage', true, false],
        ['Boundary_Reminder', 'boundaryMessage', true, false],
      ]);
    });

    it('should cancel the receive task when an interrupting boundary message arrives', async () => {
      // given
      const started = await rest.post('/process-definition/key/messages-receive/start', { variables: { caseId: { value: 'C-8', type: 'String' } } });

      // when
      await rest.post('/message', { messageName: 'withdraw', processInstanceId: started.body.id });

      // then the instance ended through the boundary event
      const [instance] = (await rest.get(`/history/process-instance?processInstanceId=${started.body.id}`)).body;
      expect(instance.state).to.equal('COMPLETED');
      expect((await history(started.body.id)).map(([activityId]: [string]) => activityId)).to.include.members(['Boundary_Withdraw', 'End_Withdrawn']);
      expect((await history(started.body.id)).find(([activityId]: [string]) => activityId === 'Receive_Signature')).to.deep.equal(['Receive_Signature', 'receiveTask', true, true]);
    });
  });

  describe('message start events', () => {
    it('should start an instance at the message start event with the business key and variables', async () => {
      // when
      const correlated = await rest.post('/message', {
        messageName: 'referral-received', businessKey: 'referral-9', resultEnabled: true, processVariables: { urgency: { value: 'high', type: 'String' } },
      });

      // then
      expect(correlated.status).to.equal(200);
      const [result] = correlated.body;
      expect(result).to.deep.include({ resultType: 'ProcessDefinition', execution: null });
      expect(result.processInstance).to.include({ businessKey: 'referral-9', definitionKey: 'messages-start', ended: false });
      expect(result.processInstance.links).to.deep.equal([]);
      const [instance] = (await rest.get(`/history/process-instance?processInstanceId=${result.processInstance.id}`)).body;
      expect(instance.startActivityId).to.equal('Start_Referral');
      expect(await taskKeys(result.processInstance.id)).to.deep.equal(['Task_Triage']);
      expect((await rest.get(`/process-instance/${result.processInstance.id}/variables`)).body).to.deep.equal({ urgency: { type: 'String', value: 'high', valueInfo: {} } });
    });

    it('should start a process whose only start event is a message start event over REST, through that event', async () => {
      const started = await rest.post('/process-definition/key/messages-start-only/start', {});
      const [instance] = (await rest.get(`/history/process-instance?processInstanceId=${started.body.id}`)).body;
      expect(instance.startActivityId).to.equal('Start_OnlyByMessage');
      expect(await taskKeys(started.body.id)).to.deep.equal(['Task_Scan']);
    });

    it('should start at the none start event over REST and keep one start subscription per key, moved to the newest version', async () => {
      // when
      const started = await rest.post('/process-definition/key/messages-start/start', {});

      // then
      const [instance] = (await rest.get(`/history/process-instance?processInstanceId=${started.body.id}`)).body;
      expect(instance.startActivityId).to.equal('Start_Manual');
      expect(await taskKeys(started.body.id)).to.deep.equal(['Task_Triage']);

      // when a second version is deployed
      const second = await rest.deployFixture('messages.bpmn');

      // then its start event is the one that subscribes
      const subscriptions = (await rest.get('/event-subscription?eventName=referral-received')).body;
      expect(subscriptions).to.have.length(1);
      expect(subscriptions[0]).to.include({ executionId: null, processInstanceId: null, activityId: 'Start_Referral' });
      const correlated = await rest.post('/message', { messageName: 'referral-received', resultEnabled: true });
      expect(correlated.body[0].processInstance.definitionId).to.match(/^messages-start:2:/);

      // when the newest version's deployment is deleted, the version before takes the subscription back
      expect((await rest.delete(`/deployment/${second.deploymentId}?cascade=true`)).status).to.equal(204);
      expect((await rest.get('/event-subscription?eventName=referral-received')).body).to.have.length(1);
      const again = await rest.post('/message', { messageName: 'referral-received', resultEnabled: true });
      expect(again.body[0].processInstance.definitionId).to.match(/^messages-start:1:/);
    });
  });

  describe('message start event names', () => {
    it('should refuse a deployment whose message start event uses a name another process key starts by', async () => {
      // given
      const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">
  <bpmn:message id="m" name="referral-received"/>
  <bpmn:process id="messages-other-intake" isExecutable="true" camunda:historyTimeToLive="30">
    <bpmn:startEvent id="s"><bpmn:messageEventDefinition messageRef="m"/></bpmn:startEvent>
    <bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e"/><bpmn:endEvent id="e"/>
  </bpmn:process>
</bpmn:definitions>`;

      // when
      const deployed = await rest.deploy([{ name: 'other-intake.bpmn', content: Buffer.from(xml) }], { 'deployment-name': 'other intake' }, { undocumentedStatus: 500 });

      // then
      expect(deployed.status).to.equal(500);
      expect(deployed.body).to.include({ type: 'ProcessEngineException', message: "ENGINE-01011 Cannot deploy process definition 'other-intake.bpmn': there already is a message event subscription for the message with name 'referral-received'." });
      expect((await rest.get('/process-definition/count?key=messages-other-intake')).body.count).to.equal(0);
    });
  });

  describe('event-based gateways', () => {
    it('should take the message when it comes first and cancel the timer in the same command', async () => {
      // given
      const started = await rest.post('/process-definition/key/messages-gateway/start', {});
      const [job] = (await rest.get(`/job?processInstanceId=${started.body.id}`)).body;
      const [subscription] = (await rest.get(`/event-subscription?processInstanceId=${started.body.id}`)).body;
      expect(subscription.executionId).to.equal(job.executionId).and.not.equal(started.body.id);
      expect(await history(started.body.id)).to.deep.equal([['Start_Gateway', 'startEvent', true, false], ['Gateway_Race', 'eventBasedGateway', false, false]]);

      // when
      await rest.post('/message', { messageName: 'authorization-approved', processInstanceId: started.body.id });

      // then
      expect((await rest.get(`/job?processInstanceId=${started.body.id}`)).body).to.deep.equal([]);
      expect(await taskKeys(started.body.id)).to.deep.equal(['Task_Schedule']);
      expect(await history(started.body.id)).to.deep.equal([
        ['Start_Gateway', 'startEvent', true, false],
        ['Gateway_Race', 'eventBasedGateway', true, true],
        ['Catch_Approved', 'intermediateMessageCatch', true, false],
        ['Task_Schedule', 'userTask', false, false],
      ]);
    });

    it('should take the timer when it fires first and remove the message subscription', async () => {
      // given
      const started = await rest.post('/process-definition/key/messages-gateway/start', {});

      // when a day passes
      clock.advance({ days: 1, seconds: 1 });
      await new JobExecutor(engine.ctx, { lockOwner: 'gateway-node', lockDurationMs: 300_000, pollIntervalMs: 1_000 }).runDueJobs();

      // then
      expect(await taskKeys(started.body.id)).to.deep.equal(['Task_Escalate']);
      expect((await rest.get(`/event-subscription?processInstanceId=${started.body.id}`)).body).to.deep.equal([]);
      const late = await rest.post('/message', { messageName: 'authorization-approved', processInstanceId: started.body.id });
      expect(late.status).to.equal(400);
      expect((await history(started.body.id)).map(([activityId]: [string]) => activityId)).to.deep.equal(['Start_Gateway', 'Gateway_Race', 'Timer_Deadline', 'Task_Escalate']);
    });
  });
});
