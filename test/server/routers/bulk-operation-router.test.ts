/** Specification of the bulk operations: external task retries, instance suspension and batch deletion by ids and queries. */
import { expect } from 'chai';
import { describeOnDatabases } from '../../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';
import { RestClient } from '../../support/rest-client.js';

describeOnDatabases('bulk operation router', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    // Operations are recorded without an authenticated user too, so the log shows what a batch records.
    engine = createTestEngine(use(), { restrictUserOperationLogToAuthenticatedUsers: false });
    rest = new RestClient(engine.app);
    await rest.deployFixture('differential-runtime-operations.bpmn');
    await rest.deployFixture('differential-external-task.bpmn');
  });

  async function externalTaskOf(businessKey: string): Promise<{ instanceId: string; taskId: string }> {
    const instanceId = (await rest.post('/process-definition/key/differential-external-task/start', { businessKey, variables: { amount: { value: 1, type: 'Integer' } } })).body.id;
    return { instanceId, taskId: (await rest.get(`/external-task?processInstanceId=${instanceId}`)).body[0].id };
  }

  it('should set the retries of tasks named by ids and queries, raising incidents at 0, and change nothing when one id is unknown', async () => {
    // given
    const one = await externalTaskOf('BULK-1');
    const two = await externalTaskOf('BULK-2');

    // when
    const refused = await rest.put('/external-task/retries', { externalTaskIds: [one.taskId, 'nope'], retries: 0 });
    await rest.put('/external-task/retries', { externalTaskIds: [one.taskId], processInstanceQuery: { businessKey: 'BULK-2' }, retries: 0 });

    // then
    expect(refused.status).to.equal(404);
    expect((await rest.get(`/external-task/${two.taskId}`)).body.retries).to.equal(0);
    expect((await rest.get(`/incident/count?processInstanceId=${one.instanceId}`)).body.count).to.equal(1);

    // when given back by an external task query
    await rest.put('/external-task/retries', { externalTaskQuery: { processInstanceIdIn: [one.instanceId, two.instanceId] }, retries: 2 });

    // then
    expect((await rest.get(`/external-task/${one.taskId}`)).body.retries).to.equal(2);
    expect((await rest.get(`/incident/count?processInstanceId=${two.instanceId}`)).body.count).to.equal(0);
  });

  it('should suspend instances by ids and by a historic query, and refuse a group that is empty', async () => {
    // given
    const first = (await rest.post('/process-definition/key/runtime-message/start', { businessKey: 'HOLD-1' })).body.id;
    const second = (await rest.post('/process-definition/key/runtime-message/start', { businessKey: 'HOLD-2' })).body.id;

    // when
    await rest.put('/process-instance/suspended', { suspended: true, processInstanceIds: [first, 'nope'] });
    await rest.put('/process-instance/suspended', { suspended: true, historicProcessInstanceQuery: { processInstanceBusinessKey: 'HOLD-2' } });
    const empty = await rest.put('/process-instance/suspended', { suspended: true, processInstanceIds: [] });

    // then
    expect((await rest.get(`/process-instance/${first}`)).body.suspended).to.equal(true);
    expect((await rest.get(`/process-instance/${second}`)).body.suspended).to.equal(true);
    expect(empty.body).to.deep.include({ type: 'BadUserRequestException', message: 'No process instance ids given: Process Instance ids is empty' });
  });

  it('should delete the instances before it answers a batch that is done, and refuse skipSubprocesses', async () => {
    // given
    const first = (await rest.post('/process-definition/key/runtime-message/start', { businessKey: 'GONE-1' })).body.id;
    await rest.post('/process-definition/key/runtime-message/start', { businessKey: 'GONE-2' });

    // when
    const batch = (await rest.post('/process-instance/delete', { processInstanceIds: [first, 'nope'], processInstanceQuery: { businessKey: 'GONE-2' }, deleteReason: 'tidy' })).body;
    const refused = await rest.post('/process-instance/delete', { processInstanceIds: [first], skipSubprocesses: true });

    // then
    expect(batch).to.deep.include({ type: 'instance-deletion', totalJobs: 3, jobsCreated: 3, seedJobDefinitionId: null });
    expect((await rest.get('/process-instance/count?businessKeyLike=GONE-%25')).body.count).to.equal(0);
    expect((await rest.get(`/history/process-instance/${first}`)).body).to.deep.include({ state: 'EXTERNALLY_TERMINATED', deleteReason: 'tidy' });
    expect(refused.status).to.equal(400);
    const deletions = (await rest.get('/history/user-operation?operationType=Delete&entityType=ProcessInstance')).body;
    expect(deletions.map((entry: Record<string, unknown>) => `${entry.property}=${entry.newValue}`)).to.have.members(['nrOfInstances=3', 'async=true', 'deleteReason=tidy']);
  });
});
