/** Scenario: an invoice is approved by an assigned user, with a second approval for large amounts. */
import { expect } from 'chai';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { RestClient } from '../support/rest-client.js';

describeOnDatabases('feature: invoice approval', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    await rest.deployFixture('invoice-approval.bpmn');
  });

  it('should create the approval task with its attributes resolved from the instance variables', async () => {
    // given
    const started = await rest.post('/process-definition/key/invoice-approval/start', {
      businessKey: 'INV-1',
      variables: { amount: { value: 1500, type: 'Integer' }, approver: { value: 'anna', type: 'String' }, invoiceNumber: { value: 'R-77', type: 'String' } },
    });
    expect(started.status).to.equal(200);

    // when
    const tasks = await rest.get(`/task?processInstanceId=${started.body.id}`);

    // then
    expect(tasks.body).to.have.length(1);
    const [task] = tasks.body;
    expect(task).to.include({ name: 'Approve invoice R-77', assignee: 'anna', taskDefinitionKey: 'ApproveInvoice', priority: 80, formKey: 'embedded:app:forms/approve-invoice.html', description: 'Check the invoice R-77' });
    const due = new Date(task.due).getTime();
    expect(due - Date.now()).to.be.within(3 * 86400000 - 60000, 3 * 86400000 + 60000);
  });

  it('should route a large amount to the second approval and finish after it', async () => {
    // given
    const started = await rest.post('/process-definition/key/invoice-approval/start', {
      variables: { amount: { value: 5000, type: 'Integer' }, approver: { value: 'anna', type: 'String' }, invoiceNumber: { value: 'R-78', type: 'String' } },
    });
    const [approve] = (await rest.get(`/task?processInstanceId=${started.body.id}`)).body;

    // when
    expect((await rest.post(`/task/${approve.id}/complete`, {})).status).to.equal(204);

    // then
    const [second] = (await rest.get(`/task?processInstanceId=${started.body.id}&candidateUser=ceo`)).body;
    expect(second.taskDefinitionKey).to.equal('SecondApproval');
    expect((await rest.post(`/task/${second.id}/complete`, {})).status).to.equal(204);
    const history = await rest.get(`/history/process-instance?processInstanceId=${started.body.id}`);
    expect(history.body[0]).to.include({ state: 'COMPLETED', startActivityId: 'StartEvent_1' });
    const activities = await rest.get(`/history/activity-instance?processInstanceId=${started.body.id}&sortBy=occurrence&sortOrder=asc`);
    expect(activities.body.map((a: any) => a.activityId)).to.deep.equal(['StartEvent_1', 'ApproveInvoice', 'AmountGateway', 'SecondApproval', 'InvoiceApproved']);
    expect(activities.body.every((a: any) => a.endTime !== null)).to.equal(true);
  });

  it('should take the default flow for a small amount', async () => {
    const started = await rest.post('/process-definition/key/invoice-approval/start', {
      variables: { amount: { value: 20, type: 'Integer' }, approver: { value: 'ben', type: 'String' }, invoiceNumber: { value: 'R-79', type: 'String' } },
    });
    const [approve] = (await rest.get(`/task?processInstanceId=${started.body.id}`)).body;
    expect(approve.priority).to.equal(50);
    await rest.post(`/task/${approve.id}/complete`, { variables: { approved: { value: true, type: 'Boolean' } } });
    const history = await rest.get(`/history/process-instance?processInstanceId=${started.body.id}`);
    expect(history.body[0].state).to.equal('COMPLETED');
    const variables = await rest.get(`/history/variable-instance?processInstanceId=${started.body.id}&variableName=approved`);
    expect(variables.body[0]).to.include({ type: 'Boolean', value: true });
  });
});
