/** Differential: messages, signals, event-based gateways, conditional events and event subscriptions. */
import { describeAgainstOperaton, type Ids } from './engine-pair.js';

describeAgainstOperaton('messages, signals and conditional events', (use) => {
  before(async () => {
    await use().ensureDeployed('bpmn/messages.bpmn');
    await use().ensureDeployed('bpmn/signals-and-conditions.bpmn');
  });

  it('should list subscriptions and correlate a message by business key with the result and variables, as Operaton does', async () => {
    // given
    await use().expectSame('POST', '/process-definition/key/messages-catch/start', { businessKey: 'diff-order-1', variables: { orderId: { value: 1, type: 'Integer' } } }, { remember: { paying: (answer) => answer.body.id } });
    await use().expectSame('GET', (ids) => `/event-subscription?processInstanceId=${ids.paying}`, undefined, { remember: { payingExecution: (answer) => answer.body[0].executionId } });
    await use().expectSame('GET', (ids) => `/event-subscription/count?processInstanceId=${ids.paying}&eventType=message`);
    await use().expectSame('GET', (ids) => `/execution?processInstanceId=${ids.paying}`, undefined, { unordered: true });

    // when
    await use().expectSame('POST', '/message', {
      messageName: 'payment-received', businessKey: 'diff-order-1', resultEnabled: true, variablesInResultEnabled: true, processVariables: { paid: { value: true, type: 'Boolean' } },
    });

    // then
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.paying}`);
    await use().expectSame('GET', (ids) => `/event-subscription?processInstanceId=${ids.paying}`);
    await use().expectSame('GET', (ids) => `/history/activity-instance?processInstanceId=${ids.paying}&sortBy=startTime&sortOrder=asc`, undefined, { unordered: true });
    await use().expectSame('POST', '/message', { messageName: 'payment-received', businessKey: 'diff-order-1' });
  });

  it('should refuse a message without a name, a message nobody waits for and an ambiguous one, as Operaton does', async () => {
    await use().expectSame('POST', '/message', {});
    await use().expectSame('POST', '/message', { messageName: 'nobody-waits-for-this' });
    await use().expectSame('POST', '/message', { messageName: 'nobody-waits-for-this', all: true, resultEnabled: true });
    await use().expectSame('POST', '/process-definition/key/messages-catch/start', { businessKey: 'diff-twin' });
    await use().expectSame('POST', '/process-definition/key/messages-catch/start', { businessKey: 'diff-twin' });
    await use().expectSame('POST', '/message', { messageName: 'payment-received', businessKey: 'diff-twin' });
    await use().expectSame('POST', '/message', { messageName: 'payment-received', businessKey: 'diff-twin', all: true });
    await use().expectSame('GET', '/task/count?processDefinitionKey=messages-catch&taskDefinitionKey=Task_Ship');
  });

  it('should correlate by correlation keys and local correlation keys, as Operaton does', async () => {
    await use().expectSame('POST', '/process-definition/key/messages-catch/start', { variables: { orderId: { value: 77, type: 'Integer' } } }, { remember: { keyed: (answer) => answer.body.id } });
    await use().expectSame('POST', '/message', { messageName: 'payment-received', correlationKeys: { orderId: { value: 78, type: 'Integer' } } });
    await use().expectSame('POST', '/message', { messageName: 'payment-received', correlationKeys: { orderId: { value: 77, type: 'Integer' } }, resultEnabled: true });
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.keyed}`);
  });

  it('should start an instance at a message start event, as Operaton does', async () => {
    await use().expectSame('POST', '/message', {
      messageName: 'referral-received', businessKey: 'diff-referral', resultEnabled: true, variablesInResultEnabled: true, processVariables: { urgency: { value: 'high', type: 'String' } },
    }, { remember: { referral: (answer) => answer.body[0].processInstance.id } });
    await use().expectSame('GET', (ids) => `/history/process-instance/${ids.referral}`);
    await use().expectSame('GET', (ids) => `/history/activity-instance?processInstanceId=${ids.referral}&sortBy=startTime&sortOrder=asc`, undefined, { unordered: true });
    await use().expectSame('GET', '/event-subscription?eventName=referral-received');
  });

  it('should run a receive task with interrupting and non-interrupting boundary messages, as Operaton does', async () => {
    // given
    await use().expectSame('POST', '/process-definition/key/messages-receive/start', { variables: { caseId: { value: 'D-1', type: 'String' } } }, { remember: { signing: (answer) => answer.body.id } });
    await use().expectSame('GET', (ids) => `/event-subscription?processInstanceId=${ids.signing}&sortBy=created&sortOrder=asc`, undefined, { unordered: true });

    // when a reminder arrives
    await use().expectSame('POST', '/message', (ids: Ids) => ({ messageName: 'reminder', processInstanceId: ids.signing, resultEnabled: true }));

    // then the task waits on, and so does the boundary event
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.signing}`);
    await use().expectSame('GET', (ids) => `/event-subscription/count?processInstanceId=${ids.signing}`);
    await use().expectSame('GET', (ids) => `/execution/count?processInstanceId=${ids.signing}`);

    // when the signer withdraws
    await use().expectSame('POST', '/message', (ids: Ids) => ({ messageName: 'withdraw', processInstanceId: ids.signing, resultEnabled: true }));

    // then
    await use().expectSame('GET', (ids) => `/event-subscription?processInstanceId=${ids.signing}`);
    await use().expectSame('GET', (ids) => `/history/activity-instance?processInstanceId=${ids.signing}&activityId=Receive_Signature`);
    await use().expectSame('GET', (ids) => `/history/process-instance/${ids.signing}`);
    await use().expectSame('GET', (ids) => `/process-instance/${ids.signing}/activity-instances`);
  });

  it('should wait at an event-based gateway and take the message that comes first, as Operaton does', async () => {
    // given
    await use().expectSame('POST', '/process-definition/key/messages-gateway/start', {}, { remember: { racing: (answer) => answer.body.id } });
    await use().expectSame('GET', (ids) => `/process-instance/${ids.racing}/activity-instances`);
    await use().expectSame('GET', (ids) => `/event-subscription?processInstanceId=${ids.racing}`);
    await use().expectSame('GET', (ids) => `/job/count?processInstanceId=${ids.racing}`);
    await use().expectSame('GET', (ids) => `/history/activity-instance?processInstanceId=${ids.racing}&sortBy=startTime&sortOrder=asc`, undefined, { unordered: true });

    // when
    await use().expectSame('POST', '/message', (ids: Ids) => ({ messageName: 'authorization-approved', processInstanceId: ids.racing, resultEnabled: true }));

    // then
    await use().expectSame('GET', (ids) => `/job/count?processInstanceId=${ids.racing}`);
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.racing}`);
    await use().expectSame('GET', (ids) => `/history/activity-instance?processInstanceId=${ids.racing}&sortBy=startTime&sortOrder=asc`, undefined, { unordered: true });
  });

  it('should broadcast a signal to catch and boundary events and start instances at signal start events, as Operaton does', async () => {
    // given
    await use().expectSame('POST', '/process-definition/key/signals-catch/start', {}, { remember: { recalled: (answer) => answer.body.id } });
    await use().expectSame('POST', '/process-definition/key/signals-boundary/start', {}, { remember: { submitting: (answer) => answer.body.id } });
    await use().expectSame('GET', '/event-subscription?eventType=signal&eventName=payer-outage');
    await use().expectSame('GET', '/process-instance/count?processDefinitionKey=signals-start');

    // when
    await use().expectSame('POST', '/signal', { name: 'formulary-recall', variables: { lot: { value: 'L-1', type: 'String' } } });
    await use().expectSame('POST', '/signal', { name: 'payer-outage' });

    // then
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.recalled}`);
    await use().expectSame('GET', (ids) => `/process-instance/${ids.recalled}/variables`);
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.submitting}`);
    await use().expectSame('GET', (ids) => `/history/activity-instance?processInstanceId=${ids.submitting}&activityId=Task_Submit`);
    await use().expectSame('GET', '/process-instance/count?processDefinitionKey=signals-start');
    await use().expectSame('POST', '/signal', {});
    await use().expectSame('POST', '/signal', { name: 'nobody-listens' });
  });

  it('should deliver a signal a process throws to the other instances in the same request, as Operaton does', async () => {
    await use().expectSame('POST', '/process-definition/key/signals-catch/start', {}, { remember: { catching: (answer) => answer.body.id } });
    await use().expectSame('POST', '/process-definition/key/signals-throw/start', {}, { remember: { throwing: (answer) => answer.body.id } });
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.catching}`);
    await use().expectSame('GET', (ids) => `/history/activity-instance?processInstanceId=${ids.throwing}&sortBy=startTime&sortOrder=asc`, undefined, { unordered: true });
  });

  it('should fire conditional events when variables change and start instances for POST /condition, as Operaton does', async () => {
    // given
    await use().expectSame('POST', '/process-definition/key/conditions-catch/start', { variables: { score: { value: 1, type: 'Integer' } } }, { remember: { scoring: (answer) => answer.body.id } });
    await use().expectSame('GET', (ids) => `/event-subscription?processInstanceId=${ids.scoring}`);

    // when
    await use().expectSame('POST', (ids) => `/process-instance/${ids.scoring}/variables`, { modifications: { score: { value: 3, type: 'Integer' } } });
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.scoring}`);
    await use().expectSame('POST', (ids) => `/process-instance/${ids.scoring}/variables`, { modifications: { score: { value: 8, type: 'Integer' } } });

    // then
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.scoring}`);
    await use().expectSame('GET', (ids) => `/history/activity-instance?processInstanceId=${ids.scoring}&activityId=Catch_Approved`);
    await use().expectSame('POST', '/condition', { variables: { temperature: { value: 35, type: 'Integer' } }, businessKey: 'diff-heat' });
    await use().expectSame('POST', '/condition', { variables: { temperature: { value: 5, type: 'Integer' } } });
    await use().expectSame('POST', '/condition', {});
  });
});
