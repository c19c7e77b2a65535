/** Specification of task management: stand-alone tasks, delegation, identity links, the candidate group report and the identity link log. */
import { expect } from 'chai';
import { describeOnDatabases } from '../../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';
import { RestClient, type CallOptions } from '../../support/rest-client.js';

describeOnDatabases('task management router', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    await rest.deployFixture('task-operations.bpmn');
  });

  /** Starts an instance and returns its Review task (assignee kermit, candidates fozzie, reviewers and managers). */
  async function startReview(): Promise<{ instanceId: string; taskId: string }> {
    const started = await rest.post('/process-definition/key/task-operations/start', {});
    expect(started.status, started.text).to.equal(200);
    const tasks = await rest.get(`/task?processInstanceId=${started.body.id}`);
    return { instanceId: started.body.id, taskId: tasks.body[0].id };
  }

  async function linkLog(taskId: string): Promise<string[]> {
    const answer = await rest.get(`/history/identity-link-log?taskId=${taskId}&sortBy=time&sortOrder=asc`);
    expect(answer.status, answer.text).to.equal(200);
    return answer.body.map((row: any) => `${row.operationType} ${row.type} ${row.userId ?? row.groupId}`).sort();
  }

  describe('stand-alone tasks', () => {
    it('should create a task of no process that the task queries and the history show', async () => {
      const created = await rest.post('/task/create', {
        id: 'sa-create', name: 'Call back', description: 'About the invoice', assignee: 'kermit', owner: 'piggy',
        delegationState: 'PENDING', due: '2026-12-24T10:00:00.000+0000', priority: 70,
      });
      expect(created.status, created.text).to.equal(204);
      const task = (await rest.get('/task/sa-create')).body;
      expect(task).to.include({ name: 'Call back', description: 'About the invoice', assignee: 'kermit', owner: 'piggy', delegationState: 'PENDING', priority: 70, taskState: 'Created' });
      expect(task).to.include({ processInstanceId: null, executionId: null, processDefinitionId: null, taskDefinitionKey: null, due: '2026-12-24T10:00:00.000+0000' });
      expect((await rest.get('/task?taskId=sa-create')).body.map((t: any) => t.id)).to.deep.equal(['sa-create']);
      expect((await rest.get('/task/count?assignee=kermit&taskId=sa-create')).body).to.deep.equal({ count: 1 });
      const history = (await rest.get('/history/task?taskId=sa-create')).body;
      expect(history).to.have.length(1);
      expect(history[0]).to.include({ name: 'Call back', assignee: 'kermit', owner: 'piggy', processInstanceId: null, activityInstanceId: null, endTime: null, taskState: 'Created' });
      expect(await linkLog('sa-create')).to.deep.equal(['add assignee kermit', 'add owner piggy']);
    });

    it('should give a task created without an id a new one', async () => {
      expect((await rest.post('/task/create', { name: 'Nameless id' })).status).to.equal(204);
      const tasks = (await rest.get('/task?name=Nameless%20id')).body;
      expect(tasks).to.have.length(1);
      expect(tasks[0].id).to.match(/^[0-9a-f-]{36}$/);
      expect(tasks[0].priority).to.equal(0);
    });

    it('should refuse an unknown delegation state, a missing parent task and an id already taken', async () => {
      const bad = await rest.post('/task/create', { id: 'sa-bad', delegationState: 'FOO' });
      expect(bad.status).to.equal(400);
      expect(bad.body.message).to.equal("Valid values for property 'delegationState' are 'PENDING' or 'RESOLVED', but was 'FOO'");
      const orphan = await rest.post('/task/create', { id: 'sa-orphan', parentTaskId: 'no-such-task' });
      expect(orphan.status).to.equal(400);
      expect(orphan.body.message).to.equal("Could not save task: Parent task with id 'no-such-task' does not exist: parentTask is null");
      expect((await rest.post('/task/create', { id: 'sa-taken' })).status).to.equal(204);
      expect((await rest.post('/task/create', { id: 'sa-taken' }, { undocumentedStatus: 500 })).status).to.equal(500);
      expect((await rest.get('/task/sa-orphan')).status).to.equal(404);
    });

    it('should let a sub-task inherit its parent\'s tenant and refuse another one', async () => {
      expect((await rest.post('/task/create', { id: 'sa-parent', tenantId: 'tenant-a' })).status).to.equal(204);
      expect((await rest.post('/task/create', { id: 'sa-child', parentTaskId: 'sa-parent' })).status).to.equal(204);
      expect((await rest.get('/task/sa-child')).body).to.include({ parentTaskId: 'sa-parent', tenantId: 'tenant-a' });
      expect((await rest.get('/task?parentTaskId=sa-parent')).body.map((t: any) => t.id)).to.deep.equal(['sa-child']);
      expect((await rest.get('/history/task?taskId=sa-child')).body[0]).to.include({ parentTaskId: 'sa-parent', tenantId: 'tenant-a' });
      const other = await rest.post('/task/create', { id: 'sa-stranger', parentTaskId: 'sa-parent', tenantId: 'tenant-b' }, { undocumentedStatus: 500 });
      expect(other.status).to.equal(500);
      expect(other.body.message).to.match(/^ENGINE-03073 Cannot set different tenantId on subtask than on parent Task/);
    });

    it('should delete a task\'s subtasks, and theirs, when it is deleted or completed, as Camunda does', async () => {
      // given a parent with a child and a grandchild, and a second parent with a child
      for (const [id, parentTaskId] of [['tree-root', undefined], ['tree-child', 'tree-root'], ['tree-grandchild', 'tree-child'], ['tree-done', undefined], ['tree-done-child', 'tree-done']]) {
        expect((await rest.post('/task/create', { id, parentTaskId })).status).to.equal(204);
      }

      // when
      expect((await rest.delete('/task/tree-root')).status).to.equal(204);
      expect((await rest.post('/task/tree-done/complete', {})).status).to.equal(204);

      // then
      for (const id of ['tree-child', 'tree-grandchild', 'tree-done-child']) {
        expect((await rest.get(`/task/${id}`)).status, id).to.equal(404);
        expect((await rest.get(`/history/task?taskId=${id}`)).body[0], id).to.include({ deleteReason: 'deleted' });
      }
      expect((await rest.get('/history/task?taskId=tree-done')).body[0]).to.include({ deleteReason: 'completed' });
    });

    it('should replace every property on update, absent ones cleared, and log the changed assignee and owner', async () => {
      await rest.post('/task/create', { id: 'sa-update', name: 'Before', assignee: 'kermit', owner: 'piggy', priority: 70, description: 'd' });
      const updated = await rest.put('/task/sa-update', { name: 'After', assignee: 'gonzo', delegationState: 'RESOLVED' });
      expect(updated.status, updated.text).to.equal(204);
      const task = (await rest.get('/task/sa-update')).body;
      expect(task).to.include({ name: 'After', assignee: 'gonzo', owner: null, description: null, priority: 0, delegationState: 'RESOLVED', taskState: 'Updated' });
      expect(task.lastUpdated).to.be.a('string');
      expect((await rest.get('/history/task?taskId=sa-update')).body[0]).to.include({ name: 'After', assignee: 'gonzo', owner: null, priority: 0, taskState: 'Updated' });
      expect(await linkLog('sa-update')).to.deep.equal(['add assignee gonzo', 'add assignee kermit', 'add owner piggy', 'delete assignee kermit', 'delete owner piggy']);
    });

    it('should answer 404 for updating an unknown task and 400 for an unknown delegation state', async () => {
      const missing = await rest.put('/task/no-such-task', { name: 'x' });
      expect(missing.status).to.equal(404);
      expect(missing.body).to.deep.include({ type: 'InvalidRequestException', message: 'No matching task with id no-such-task' });
      expect((await rest.put('/task/sa-create', { delegationState: 'X' })).status).to.equal(400);
    });

    it('should complete a stand-alone task: it ends, with its history', async () => {
      await rest.post('/task/create', { id: 'sa-complete', name: 'Done soon' });
      expect((await rest.post('/task/sa-complete/claim', { userId: 'gonzo' })).status).to.equal(204);
      const completed = await rest.post('/task/sa-complete/complete', { withVariablesInReturn: true });
      expect(completed.status, completed.text).to.equal(200);
      expect(completed.body).to.deep.equal({});
      expect((await rest.get('/task/sa-complete')).status).to.equal(404);
      const history = (await rest.get('/history/task?taskId=sa-complete')).body[0];
      expect(history).to.include({ assignee: 'gonzo', deleteReason: 'completed', taskState: 'Completed' });
      expect(history.endTime).to.be.a('string');
    });

    it('should delete a stand-alone task, ignore an unknown one and refuse a task of a process', async () => {
      await rest.post('/task/create', { id: 'sa-delete', name: 'Doomed' });
      expect((await rest.delete('/task/sa-delete')).status).to.equal(204);
      expect((await rest.get('/task/sa-delete')).status).to.equal(404);
      expect((await rest.get('/history/task?taskId=sa-delete')).body[0]).to.include({ deleteReason: 'deleted', taskState: 'Deleted' });
      expect((await rest.delete('/task/no-such-task')).status).to.equal(204);
      const { taskId } = await startReview();
      const refused = await rest.delete(`/task/${taskId}`);
      expect(refused.status).to.equal(500);
      expect(refused.body).to.deep.include({ type: 'ProcessEngineException', message: 'The task cannot be deleted because is part of a running process' });
      expect((await rest.get(`/task/${taskId}`)).status).to.equal(200);
    });
  });

  describe('delegation', () => {
    it('should make the assignee the owner and the delegate the assignee, then resolve it back to the owner', async () => {
      const { instanceId, taskId } = await startReview();
      expect((await rest.post(`/task/${taskId}/delegate`, { userId: 'gonzo' })).status).to.equal(204);
      expect((await rest.get(`/task/${taskId}`)).body).to.include({ owner: 'kermit', assignee: 'gonzo', delegationState: 'PENDING' });
      expect((await rest.get(`/task?owner=kermit&delegationState=pending&processInstanceId=${instanceId}`)).body.map((t: any) => t.id)).to.deep.equal([taskId]);
      expect((await rest.get(`/task/count?delegationState=RESOLVED&processInstanceId=${instanceId}`)).body).to.deep.equal({ count: 0 });
      const unknown = await rest.get('/task?delegationState=X');
      expect(unknown.status).to.equal(400);
      expect(unknown.body.message).to.equal("Valid values for property 'delegationState' are 'PENDING' or 'RESOLVED', but was 'X'");
      const resolved = await rest.post(`/task/${taskId}/resolve`, { variables: { checked: { value: true, type: 'Boolean' } } });
      expect(resolved.status, resolved.text).to.equal(204);
      expect((await rest.get(`/task/${taskId}`)).body).to.include({ owner: 'kermit', assignee: 'kermit', delegationState: 'RESOLVED' });
      expect((await rest.get(`/process-instance/${instanceId}/variables/checked`)).body).to.include({ value: true, type: 'Boolean' });
      expect(await linkLog(taskId)).to.include.members(['add owner kermit', 'delete assignee kermit', 'add assignee gonzo', 'delete assignee gonzo']);
    });

    it('should keep an owner that is already set when delegating again', async () => {
      const { taskId } = await startReview();
      await rest.post(`/task/${taskId}/delegate`, { userId: 'gonzo' });
      await rest.post(`/task/${taskId}/delegate`, { userId: 'piggy' });
      expect((await rest.get(`/task/${taskId}`)).body).to.include({ owner: 'kermit', assignee: 'piggy' });
    });

    it('should complete a task that is still pending delegation, moving the instance on', async () => {
      const { instanceId, taskId } = await startReview();
      await rest.post(`/task/${taskId}/delegate`, { userId: 'gonzo' });
      expect((await rest.post(`/task/${taskId}/complete`, {})).status).to.equal(204);
      expect((await rest.get(`/task?processInstanceId=${instanceId}`)).body.map((t: any) => t.taskDefinitionKey)).to.deep.equal(['Task_Archive']);
    });

    it('should refuse delegating and resolving an unknown task with Camunda\'s NullValueException', async () => {
      for (const action of ['delegate', 'resolve']) {
        const answer = await rest.post(`/task/no-such-task/${action}`, { userId: 'gonzo' });
        expect(answer.status).to.equal(500);
        expect(answer.body).to.deep.include({ type: 'NullValueException', message: 'Cannot find task with id no-such-task: task is null' });
      }
    });
  });

  describe('identity links', () => {
    it('should add candidate and custom links, set assignee and owner through links, and list them all', async () => {
      const { taskId } = await startReview();
      for (const link of [{ userId: 'u1', type: 'candidate' }, { groupId: 'g1', type: 'candidate' }, { userId: 'u2', type: 'participant' }, { groupId: 'g2', type: 'watcher' }, { userId: 'alice', type: 'owner' }, { userId: 'bob', type: 'assignee' }]) {
        const answer = await rest.post(`/task/${taskId}/identity-links`, link);
        expect(answer.status, answer.text).to.equal(204);
      }
      const links = (await rest.get(`/task/${taskId}/identity-links`)).body;
      expect(links).to.have.deep.members([
        { userId: 'fozzie', groupId: null, type: 'candidate' }, { userId: 'u1', groupId: null, type: 'candidate' },
        { userId: null, groupId: 'reviewers', type: 'candidate' }, { userId: null, groupId: 'managers', type: 'candidate' }, { userId: null, groupId: 'g1', type: 'candidate' },
        { userId: 'u2', groupId: null, type: 'participant' }, { userId: null, groupId: 'g2', type: 'watcher' },
        { userId: 'bob', groupId: null, type: 'assignee' }, { userId: 'alice', groupId: null, type: 'owner' },
      ]);
      expect((await rest.get(`/task?candidateGroup=g1&includeAssignedTasks=true&taskId=${taskId}`)).body).to.have.length(1);
      expect(await linkLog(taskId)).to.include.members(['add candidate u1', 'add candidate g1', 'add participant u2', 'add watcher g2', 'add owner alice', 'delete assignee kermit', 'add assignee bob']);
    });

    it('should delete links, clearing the assignee whoever the link names, and ignore an absent link', async () => {
      const { taskId } = await startReview();
      await rest.post(`/task/${taskId}/identity-links`, { userId: 'u2', type: 'participant' });
      for (const link of [{ userId: 'fozzie', type: 'candidate' }, { groupId: 'managers', type: 'candidate' }, { userId: 'u2', type: 'participant' }, { userId: 'whoever', type: 'assignee' }, { userId: 'nobody', type: 'candidate' }]) {
        expect((await rest.post(`/task/${taskId}/identity-links/delete`, link)).status).to.equal(204);
      }
      expect((await rest.get(`/task/${taskId}/identity-links`)).body).to.deep.equal([{ userId: null, groupId: 'reviewers', type: 'candidate' }]);
      const deletions = (await linkLog(taskId)).filter((entry) => entry.startsWith('delete'));
      expect(deletions).to.deep.equal(['delete assignee kermit', 'delete candidate fozzie', 'delete candidate managers', 'delete participant u2']);
    });

    it('should refuse links with both or neither of user and group, and assignee groups, with Camunda\'s errors', async () => {
      const { taskId } = await startReview();
      const both = await rest.post(`/task/${taskId}/identity-links`, { userId: 'a', groupId: 'b', type: 'candidate' });
      expect(both.status).to.equal(400);
      expect(both.body.message).to.equal('Identity Link requires userId or groupId, but not both.');
      expect((await rest.post(`/task/${taskId}/identity-links/delete`, { type: 'candidate' })).body.message).to.equal('Identity Link requires userId or groupId.');
      const group = await rest.post(`/task/${taskId}/identity-links`, { groupId: 'g', type: 'assignee' });
      expect(group.status).to.equal(400);
      expect(group.body).to.deep.include({ type: 'BadUserRequestException', message: 'Incompatible usage: cannot use ASSIGNEE together with a groupId' });
      const unknown = await rest.post('/task/no-such-task/identity-links', { userId: 'u', type: 'candidate' });
      expect(unknown.status).to.equal(400);
      expect(unknown.body.type).to.equal('NotFoundException');
    });

    it('should count unassigned tasks per group of their links, user links and tasks without links under null', async () => {
      const before = await groupCounts();
      const { taskId } = await startReview();
      // Assigned (to kermit), the task is left out until it is unclaimed.
      expect(await groupCounts()).to.deep.equal(before);
      await rest.post(`/task/${taskId}/unclaim`, {});
      await rest.post('/task/create', { id: 'sa-report' });
      const after = await groupCounts();
      expect(after.get('reviewers')).to.equal((before.get('reviewers') ?? 0) + 1);
      expect(after.get('managers')).to.equal((before.get('managers') ?? 0) + 1);
      // fozzie's link and the stand-alone task without links.
      expect(after.get(null)).to.equal((before.get(null) ?? 0) + 2);
      const report = (await rest.get('/task/report/candidate-group-count')).body;
      expect(report[report.length - 1].groupName).to.equal(null);
    });

    async function groupCounts(): Promise<Map<string | null, number>> {
      const answer = await rest.get('/task/report/candidate-group-count');
      expect(answer.status, answer.text).to.equal(200);
      return new Map(answer.body.map((row: any) => [row.groupName, row.taskCount]));
    }
  });

  describe('identity link log', () => {
    it('should log a new task\'s assignee and candidates with its definition and root instance', async () => {
      const { instanceId, taskId } = await startReview();
      const rows = (await rest.get(`/history/identity-link-log?taskId=${taskId}`)).body;
      expect(rows.map((row: any) => `${row.type} ${row.userId ?? row.groupId}`)).to.have.members(['assignee kermit', 'candidate fozzie', 'candidate reviewers', 'candidate managers']);
      expect(rows[0]).to.include({ processDefinitionKey: 'task-operations', rootProcessInstanceId: instanceId, operationType: 'add', assignerId: null, removalTime: null });
    });

    it('should log claims and unclaims', async () => {
      const { taskId } = await startReview();
      await rest.post(`/task/${taskId}/unclaim`, {});
      await rest.post(`/task/${taskId}/claim`, { userId: 'rowlf' });
      expect(await linkLog(taskId)).to.include.members(['delete assignee kermit', 'add assignee rowlf']);
    });

    it('should filter, count, sort and page the log', async () => {
      const { taskId } = await startReview();
      await rest.post(`/task/${taskId}/delegate`, { userId: 'gonzo' });
      const query = `taskId=${taskId}`;
      expect((await rest.get(`/history/identity-link-log/count?${query}`)).body).to.deep.equal({ count: 7 });
      expect((await rest.get(`/history/identity-link-log/count?${query}&type=candidate`)).body).to.deep.equal({ count: 3 });
      expect((await rest.get(`/history/identity-link-log/count?${query}&operationType=delete`)).body).to.deep.equal({ count: 1 });
      expect((await rest.get(`/history/identity-link-log/count?${query}&groupId=reviewers`)).body).to.deep.equal({ count: 1 });
      expect((await rest.get(`/history/identity-link-log/count?${query}&userId=kermit`)).body).to.deep.equal({ count: 3 });
      expect((await rest.get(`/history/identity-link-log/count?${query}&withoutTenantId=true&processDefinitionKey=task-operations`)).body).to.deep.equal({ count: 7 });
      expect((await rest.get(`/history/identity-link-log/count?${query}&dateAfter=2999-01-01T00:00:00.000%2B0000`)).body).to.deep.equal({ count: 0 });
      const sorted = (await rest.get(`/history/identity-link-log?${query}&type=candidate&sortBy=userId&sortOrder=asc&maxResults=2`)).body;
      expect(sorted.map((row: any) => row.userId)).to.deep.equal(['fozzie', null]);
      const refused = await rest.get('/history/identity-link-log?sortBy=nonsense&sortOrder=asc');
      expect(refused.status).to.equal(400);
    });
  });
});

describeOnDatabases('task management router, authenticated', (use) => {
  const USERS = new Map([['anna', 'anna-secret']]);
  const asAnna: CallOptions = { headers: { Authorization: `Basic ${Buffer.from('anna:anna-secret').toString('base64')}` } };
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    engine = createTestEngine(use(), { basicAuthUsers: USERS });
    rest = new RestClient(engine.app);
  });

  it('should name the caller as assigner in the identity link log and record link changes as user operations', async () => {
    // given
    expect((await rest.post('/task/create', { id: 'auth-task', name: 'Audited' }, asAnna)).status).to.equal(204);

    // when
    expect((await rest.post('/task/auth-task/identity-links', { groupId: 'auditors', type: 'candidate' }, asAnna)).status).to.equal(204);
    expect((await rest.post('/task/auth-task/identity-links/delete', { groupId: 'auditors', type: 'candidate' }, asAnna)).status).to.equal(204);

    // then
    const log = (await rest.get('/history/identity-link-log?taskId=auth-task', asAnna)).body;
    expect(log.map((row: any) => [row.operationType, row.groupId, row.assignerId])).to.have.deep.members([['add', 'auditors', 'anna'], ['delete', 'auditors', 'anna']]);
    const operations = (await rest.get('/history/user-operation?taskId=auth-task&entityType=IdentityLink', asAnna)).body;
    expect(operations.map((entry: any) => [entry.operationType, entry.property, entry.newValue, entry.userId, entry.category])).to.have.deep.members([
      ['AddGroupLink', 'candidate', 'auditors', 'anna', 'TaskWorker'],
      ['DeleteGroupLink', 'candidate', 'auditors', 'anna', 'TaskWorker'],
    ]);
  });

  it('should record creating, saving and delegating a task with the properties that changed, as Operaton does', async () => {
    // given
    const properties = async (operationType: string) => (await rest.get(`/history/user-operation?taskId=auth-saved&operationType=${operationType}`, asAnna)).body
      .map((entry: any) => [entry.property, entry.orgValue, entry.newValue]);

    // when
    await rest.post('/task/create', { id: 'auth-saved', name: 'A', due: '2026-12-24T10:00:00.000+0000' }, asAnna);
    await rest.put('/task/auth-saved', { name: 'A', priority: 0, due: '2026-12-25T10:00:00.000+0000' }, asAnna);
    await rest.put('/task/auth-saved', { name: 'A', priority: 0, due: '2026-12-25T10:00:00.000+0000' }, asAnna);
    await rest.post('/task/auth-saved/delegate', { userId: 'gonzo' }, asAnna);

    // then
    expect(await properties('Create')).to.have.deep.members([['name', null, 'A'], ['priority', '50', '0'], ['dueDate', null, String(Date.parse('2026-12-24T10:00:00Z'))]]);
    // The second, unchanged, save records nothing.
    expect(await properties('Update')).to.deep.equal([['dueDate', String(Date.parse('2026-12-24T10:00:00Z')), String(Date.parse('2026-12-25T10:00:00Z'))]]);
    expect(await properties('Delegate')).to.have.deep.members([['assignee', null, 'gonzo'], ['delegation', null, 'PENDING']]);
  });
});
