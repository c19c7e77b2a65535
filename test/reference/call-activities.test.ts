/** Differential: call activities (the child instance, variables in and out, the call tree in queries and history). */
import { describeAgainstOperaton } from './engine-pair.js';

describeAgainstOperaton('call activities', (use) => {
  before(async () => {
    await use().ensureDeployed('bpmn/call-activities.bpmn');
  });

  it('should start the child, hand variables and the business key in and out, and continue the caller, as Operaton does', async () => {
    // given
    await use().expectSame('POST', '/process-definition/key/call-activities-caller/start', { businessKey: 'claim-1', variables: { amount: { value: 40, type: 'Integer' } } }, { remember: { caller: (answer) => answer.body.id } });
    await use().expectSame('GET', (ids) => `/process-instance?superProcessInstance=${ids.caller}`, undefined, { remember: { child: (answer) => answer.body[0].id } });
    await use().expectSame('GET', (ids) => `/process-instance?subProcessInstance=${ids.child}`);
    await use().expectSame('GET', (ids) => `/process-instance/${ids.child}/variables`);
    await use().expectSame('GET', (ids) => `/process-instance/${ids.caller}/activity-instances`);
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.child}`, undefined, { remember: { decide: (answer) => answer.body[0].id } });

    // when
    await use().expectSame('POST', (ids) => `/task/${ids.decide}/complete`, { variables: { decision: { value: 'approve', type: 'String' } } });

    // then
    await use().expectSame('GET', (ids) => `/process-instance/${ids.caller}/variables`);
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.caller}`);
    await use().expectSame('GET', (ids) => `/history/process-instance?processInstanceId=${ids.child}`);
    await use().expectSame('GET', (ids) => `/history/process-instance?superProcessInstanceId=${ids.caller}`);
    await use().expectSame('GET', (ids) => `/history/activity-instance?processInstanceId=${ids.caller}&activityId=ReviewClaim`);
  });

  it('should name the caller as the root instance of the child\'s history, as Operaton does', async () => {
    for (const resource of ['activity-instance', 'task', 'variable-instance', 'detail']) {
      await use().expectSame('GET', (ids) => `/history/${resource}?processInstanceId=${ids.child}`, undefined, { unordered: true });
    }
    await use().expectSame('GET', (ids) => `/history/activity-instance?processInstanceId=${ids.child}&activityType=userTask`, undefined, { remember: { decideActivity: (answer) => answer.body[0].id } });
    await use().expectSame('GET', (ids) => `/history/activity-instance/${ids.decideActivity}`);
  });

  it('should continue at once when the child ends in its start command, as Operaton does', async () => {
    await use().expectSame('POST', '/process-definition/key/call-activities-instant/start', {
      variables: { calleeKey: { value: 'call-activities-passthrough', type: 'String' }, amount: { value: 3, type: 'Integer' } },
    }, { remember: { instant: (answer) => answer.body.id } });
    await use().expectSame('GET', (ids) => `/process-instance/${ids.instant}/variables`);
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.instant}`);
  });

  it('should delete the child with its caller, as Operaton does', async () => {
    await use().expectSame('POST', '/process-definition/key/call-activities-caller/start', { variables: { amount: { value: 1, type: 'Integer' } } }, { remember: { deleted: (answer) => answer.body.id } });
    await use().expectSame('GET', (ids) => `/process-instance?superProcessInstance=${ids.deleted}`, undefined, { remember: { deletedChild: (answer) => answer.body[0].id } });
    await use().expectSame('DELETE', (ids) => `/process-instance/${ids.deleted}`);
    await use().expectSame('GET', (ids) => `/process-instance/${ids.deletedChild}`);
    await use().expectSame('GET', (ids) => `/history/process-instance?processInstanceId=${ids.deletedChild}`);
  });

  it('should refuse a call of a process that is not deployed and commit nothing, as Operaton does', async () => {
    await use().expectSame('POST', '/process-definition/key/call-activities-missing/start', {});
    await use().expectSame('GET', '/history/process-instance/count?processDefinitionKey=call-activities-missing');
  });

  it('should catch a BPMN error the child does not catch on the call activity, as Operaton does', async () => {
    // given
    await use().expectSame('POST', '/process-definition/key/call-activities-eligibility/start', {}, { remember: { eligibility: (answer) => answer.body.id } });
    await use().expectSame('GET', (ids) => `/process-instance?superProcessInstance=${ids.eligibility}`, undefined, { remember: { payerCheck: (answer) => answer.body[0].id } });
    await use().expectSame('POST', '/external-task/fetchAndLock', { workerId: 'payer-worker', maxTasks: 1, topics: [{ topicName: 'payer-check', lockDuration: 60_000 }] }, { remember: { askPayer: (answer) => answer.body[0].id } });

    // when
    await use().expectSame('POST', (ids) => `/external-task/${ids.askPayer}/bpmnError`, { workerId: 'payer-worker', errorCode: 'NOT_ELIGIBLE', errorMessage: 'plan ended' });

    // then
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.eligibility}`);
    await use().expectSame('GET', (ids) => `/process-instance/${ids.eligibility}/variables`);
    await use().expectSame('GET', (ids) => `/process-instance/${ids.payerCheck}`);
    await use().expectSame('GET', (ids) => `/history/process-instance?processInstanceId=${ids.payerCheck}`);
    await use().expectSame('GET', (ids) => `/external-task?processInstanceId=${ids.payerCheck}`);
    await use().expectSame('GET', (ids) => `/history/external-task-log?processInstanceId=${ids.payerCheck}`, undefined, { unordered: true });
  });
});
