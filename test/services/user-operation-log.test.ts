/** The user operation log's recording rules: only authenticated users by default, all with the flag, and in the operation's transaction. */
import { expect } from 'chai';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine } from '../support/test-engine.js';
import { fixture, RestClient } from '../support/rest-client.js';

describeOnDatabases('services/user-operation-log', (use) => {
  async function startIn(rest: RestClient, key: string, variables: Record<string, unknown> = {}): Promise<string> {
    const res = await rest.post(`/process-definition/key/${key}/start`, { variables });
    expect(res.status, res.text).to.equal(200);
    return res.body.id;
  }

  it('should not record operations without an authenticated user by default (Camunda restricts the log to them)', async () => {
    const engine = createTestEngine(use());
    const rest = new RestClient(engine.app);
    await rest.deployFixture('differential-user-task.bpmn');

    const instance = await startIn(rest, 'differential-user-task');
    expect((await rest.delete(`/process-instance/${instance}`)).status).to.equal(204);

    expect((await rest.get('/history/user-operation/count')).body).to.deep.equal({ count: 0 });
  });

  it('should record them with user null when RESTRICT_USER_OPERATION_LOG_TO_AUTHENTICATED_USERS is off', async () => {
    const engine = createTestEngine(use(), { restrictUserOperationLogToAuthenticatedUsers: false });
    const rest = new RestClient(engine.app);
    const { deploymentId } = await rest.deployFixture('differential-user-task.bpmn');

    const instance = await startIn(rest, 'differential-user-task');
    const entries = (await rest.get(`/history/user-operation?processInstanceId=${instance}`)).body;
    const deployment = (await rest.get(`/history/user-operation?entityType=Deployment&deploymentId=${deploymentId}`)).body;

    expect(entries.map((entry: any) => [entry.userId, entry.operationType, entry.entityType])).to.deep.equal([[null, 'Create', 'ProcessInstance']]);
    expect(deployment.map((entry: any) => [entry.operationType, entry.property, entry.newValue])).to.deep.equal([['Create', 'duplicateFilterEnabled', 'false']]);
  });

  it('should name a recorded operation in the historic details its command writes, and no operation otherwise, as Camunda does', async () => {
    // given one engine that records an open API's operations and one that does not
    const recording = new RestClient(createTestEngine(use(), { restrictUserOperationLogToAuthenticatedUsers: false }).app);
    await recording.deployFixture('differential-user-task.bpmn');
    const silent = new RestClient(createTestEngine(use()).app);

    // when each starts an instance with variables and then sets one more
    const instance = await startIn(recording, 'differential-user-task', { amount: { value: 5, type: 'Integer' }, note: { value: 'x', type: 'String' } });
    expect((await recording.put(`/process-instance/${instance}/variables/note`, { value: 'y', type: 'String' })).status).to.equal(204);
    const quietInstance = await startIn(silent, 'differential-user-task', { amount: { value: 5, type: 'Integer' } });

    // then the details of each command carry that command's operation id, the one of its log entry
    const [start] = (await recording.get(`/history/user-operation?processInstanceId=${instance}&operationType=Create`)).body;
    const [update] = (await recording.get(`/history/user-operation?processInstanceId=${instance}&operationType=SetVariable`)).body;
    const details = (await recording.get(`/history/detail?processInstanceId=${instance}&sortBy=occurrence&sortOrder=asc`)).body;
    expect(details.map((detail: any) => [detail.variableName, detail.value, detail.userOperationId])).to.have.deep.members([
      ['amount', 5, start.operationId],
      ['note', 'x', start.operationId],
      ['note', 'y', update.operationId],
    ]);
    expect(start.operationId).not.to.equal(update.operationId);
    expect((await recording.get(`/history/detail/count?userOperationId=${update.operationId}`)).body).to.deep.equal({ count: 1 });
    // and without recording, none
    expect((await silent.get(`/history/detail?processInstanceId=${quietInstance}`)).body.map((detail: any) => detail.userOperationId)).to.deep.equal([null]);
  });

  it('should roll an entry back with the operation it records', async () => {
    const engine = createTestEngine(use(), { basicAuthUsers: new Map([['carla', 'pw']]) });
    const rest = new RestClient(engine.app);
    const carla = { headers: { Authorization: `Basic ${Buffer.from('carla:pw').toString('base64')}` } };
    expect((await rest.deploy([{ name: 'rollback.bpmn', content: fixture('bpmn/user-operation-log-rollback.bpmn') }], {}, carla)).status).to.equal(200);
    const instance = (await rest.post('/process-definition/key/user-operation-log-rollback/start', {}, carla)).body.id;
    const [task] = (await rest.get(`/task?processInstanceId=${instance}`, carla)).body;
    await rest.post(`/task/${task.id}/claim`, { userId: 'carla' }, carla);

    // No outgoing flow's condition holds after the task: the completion fails and rolls back.
    const res = await rest.post(`/task/${task.id}/complete`, { variables: { a: { value: false }, b: { value: false } } }, { ...carla, undocumentedStatus: 500 });

    expect(res.status).to.equal(500);
    expect((await rest.get(`/task/${task.id}`, carla)).status).to.equal(200);
    const entries = (await rest.get(`/history/user-operation?taskId=${task.id}`, carla)).body;
    expect(entries.map((entry: any) => [entry.userId, entry.operationType])).to.deep.equal([['carla', 'Claim']]);
  });

  it('should record what an operator does to external tasks, process definitions and deployments', async () => {
    const engine = createTestEngine(use(), { restrictUserOperationLogToAuthenticatedUsers: false });
    const rest = new RestClient(engine.app);
    const { deploymentId, definition } = await rest.deployFixture('differential-external-task.bpmn');
    const instance = await startIn(rest, 'differential-external-task');
    const [externalTask] = (await rest.get(`/external-task?processInstanceId=${instance}`)).body;

    expect((await rest.put(`/external-task/${externalTask.id}/retries`, { retries: 0 })).status).to.equal(204);
    expect((await rest.put(`/external-task/${externalTask.id}/retries`, { retries: 2 })).status).to.equal(204);
    expect((await rest.put(`/external-task/${externalTask.id}/priority`, { priority: 7 })).status).to.equal(204);
    expect((await rest.post(`/external-task/${externalTask.id}/unlock`)).status).to.equal(204);
    expect((await rest.put('/process-definition/key/differential-external-task/suspended', { suspended: true, includeProcessInstances: true })).status).to.equal(204);
    const tasks = (await rest.get(`/history/user-operation?externalTaskId=${externalTask.id}`)).body;
    const definitions = (await rest.get('/history/user-operation?entityType=ProcessDefinition')).body;
    expect((await rest.delete(`/deployment/${deploymentId}?cascade=true`)).status).to.equal(204);
    const deletion = (await rest.get(`/history/user-operation?operationType=Delete&deploymentId=${deploymentId}`)).body;

    expect(tasks.map((entry: any) => [entry.operationType, entry.property, entry.orgValue, entry.newValue])).to.have.deep.members([
      ['SetExternalTaskRetries', 'retries', null, '0'],
      ['SetExternalTaskRetries', 'retries', '0', '2'],
      ['SetPriority', 'priority', '0', '7'],
      ['Unlock', null, null, null],
    ]);
    expect(tasks[0]).to.include({ processInstanceId: instance, rootProcessInstanceId: instance, processDefinitionId: definition.id, deploymentId, category: 'Operator', entityType: 'ExternalTask' });
    expect(definitions.map((entry: any) => [entry.operationType, entry.property, entry.newValue, entry.processDefinitionId])).to.have.deep.members([
      ['SuspendProcessDefinition', 'suspensionState', 'suspended', definition.id],
      ['SuspendProcessDefinition', 'includeProcessInstances', 'true', definition.id],
    ]);
    expect(new Set(definitions.map((entry: any) => entry.operationId)).size).to.equal(1);
    expect(deletion.map((entry: any) => [entry.entityType, entry.property, entry.newValue])).to.deep.equal([['Deployment', 'cascade', 'true']]);
    // the cascade took the instance's entries with its history, and kept those about the definition itself
    expect((await rest.get(`/history/user-operation?externalTaskId=${externalTask.id}`)).body).to.deep.equal([]);
    expect((await rest.get('/history/user-operation?entityType=ProcessDefinition')).body.map((entry: any) => entry.id)).to.have.members(definitions.map((entry: any) => entry.id));
  });

  it('should record retries, due dates and suspension of jobs and job definitions with their ids', async () => {
    const engine = createTestEngine(use(), { restrictUserOperationLogToAuthenticatedUsers: false });
    const rest = new RestClient(engine.app);
    await rest.deployFixture('differential-timer.bpmn');
    const instance = await startIn(rest, 'differential-timer');
    const [job] = (await rest.get(`/job?processInstanceId=${instance}`)).body;

    expect((await rest.put(`/job/${job.id}/retries`, { retries: 5 })).status).to.equal(204);
    expect((await rest.put(`/job/${job.id}/duedate`, { duedate: '2030-01-01T00:00:00.000+0000' })).status).to.equal(204);
    expect((await rest.put(`/job/${job.id}/suspended`, { suspended: true })).status).to.equal(204);
    expect((await rest.put(`/job-definition/${job.jobDefinitionId}/suspended`, { suspended: false, includeJobs: true })).status).to.equal(204);
    expect((await rest.put(`/job-definition/${job.jobDefinitionId}/retries`, { retries: 2 })).status).to.equal(204);

    const jobs = (await rest.get(`/history/user-operation?jobId=${job.id}`)).body;
    const jobDefinition = (await rest.get(`/history/user-operation?jobDefinitionId=${job.jobDefinitionId}&entityTypeIn=JobDefinition,Job`)).body;

    expect(jobs.map((entry: any) => [entry.operationType, entry.property, entry.orgValue, entry.newValue])).to.have.deep.members([
      ['SetJobRetries', 'retries', '3', '5'],
      ['SetDueDate', 'duedate', String(new Date(job.dueDate).getTime()), String(Date.parse('2030-01-01T00:00:00.000Z'))],
      ['SuspendJob', 'suspensionState', null, 'suspended'],
    ]);
    expect(jobs[0]).to.include({ processInstanceId: instance, rootProcessInstanceId: instance, jobDefinitionId: job.jobDefinitionId, entityType: 'Job' });
    expect(jobDefinition.filter((entry: any) => entry.jobId === null).map((entry: any) => [entry.operationType, entry.entityType, entry.newValue])).to.have.deep.members([
      ['ActivateJobDefinition', 'JobDefinition', 'active'],
      ['SetJobRetries', 'Job', '2'],
    ]);
  });
});

describeOnDatabases('services/user-operation-log of identity changes', (use) => {
  const admin = { headers: { Authorization: `Basic ${Buffer.from('root:pw').toString('base64')}` } };

  it('should record user, group and membership changes as Admin operations naming the ids, and nothing for a change that did not happen', async () => {
    // given an administrator (a configured user, who counts as camunda-admin)
    const engine = createTestEngine(use(), { basicAuthUsers: new Map([['root', 'pw']]) });
    const rest = new RestClient(engine.app);

    // when they create, change and delete a user, a group and a membership, and delete what does not exist
    expect((await rest.post('/user/create', { profile: { id: 'nina', firstName: 'Nina' }, credentials: { password: 'secret-1' } }, admin)).status).to.equal(204);
    expect((await rest.put('/user/nina/profile', { id: 'nina', firstName: 'Nina', lastName: 'Ortiz' }, admin)).status).to.equal(204);
    expect((await rest.put('/user/nina/credentials', { password: 'secret-2', authenticatedUserPassword: 'pw' }, admin)).status).to.equal(204);
    expect((await rest.put('/user/nina/credentials', { authenticatedUserPassword: 'pw' }, admin)).status).to.equal(204);
    expect((await rest.post('/group/create', { id: 'nurses', name: 'Nurses', type: 'WORKFLOW' }, admin)).status).to.equal(204);
    expect((await rest.put('/group/nurses', { id: 'nurses', name: 'Night nurses', type: 'WORKFLOW' }, admin)).status).to.equal(204);
    expect((await rest.put('/group/nurses/members/nina', undefined, admin)).status).to.equal(204);
    expect((await rest.delete('/group/nurses/members/nina', admin)).status).to.equal(204);
    expect((await rest.delete('/group/nurses/members/nina', admin)).status).to.equal(204);
    expect((await rest.delete('/group/nurses', admin)).status).to.equal(204);
    expect((await rest.delete('/user/nina', admin)).status).to.equal(204);
    expect((await rest.delete('/user/nobody', admin)).status).to.equal(204);

    // then each change is one operation of root's in the Admin category, with no password or profile in it
    const entries = (await rest.get('/history/user-operation?category=Admin', admin)).body;
    const described = (list: unknown[][]) => list.map((entry) => JSON.stringify(entry)).sort();
    expect(described(entries.map((entry: any) => [entry.userId, entry.operationType, entry.entityType, entry.property, entry.orgValue, entry.newValue]))).to.deep.equal(described([
      ['root', 'Create', 'User', 'userId', null, 'nina'],
      ['root', 'Update', 'User', 'userId', null, 'nina'],
      ['root', 'Update', 'User', 'userId', null, 'nina'],
      // Saving credentials without a password changes nothing, and is recorded all the same, as in Operaton.
      ['root', 'Update', 'User', 'userId', null, 'nina'],
      ['root', 'Create', 'Group', 'groupId', null, 'nurses'],
      ['root', 'Update', 'Group', 'groupId', null, 'nurses'],
      ['root', 'Create', 'Group membership', 'userId', null, 'nina'],
      ['root', 'Create', 'Group membership', 'groupId', null, 'nurses'],
      ['root', 'Delete', 'Group membership', 'userId', null, 'nina'],
      ['root', 'Delete', 'Group membership', 'groupId', null, 'nurses'],
      ['root', 'Delete', 'Group', 'groupId', null, 'nurses'],
      ['root', 'Delete', 'User', 'userId', null, 'nina'],
    ]));
    const operations = new Map<string, string[]>();
    for (const entry of entries) operations.set(entry.operationId, [...(operations.get(entry.operationId) ?? []), `${entry.operationType} ${entry.entityType}`]);
    expect([...operations.values()].filter((operation) => operation.length > 1).map((operation) => operation.join(', ')).sort()).to.deep.equal([
      'Create Group membership, Create Group membership',
      'Delete Group membership, Delete Group membership',
    ]);
    expect(JSON.stringify(entries)).not.to.match(/secret|Ortiz|Night nurses/);
  });
});
