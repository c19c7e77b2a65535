/** Specification of task and process instance comments: `/task/{id}/comment` and `/process-instance/{id}/comment`. */
import { expect } from 'chai';
import { describeOnDatabases } from '../../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';
import { RestClient } from '../../support/rest-client.js';

describeOnDatabases('comment router', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    await rest.deployFixture('differential-user-task.bpmn');
  });

  async function startWithTask(): Promise<{ instanceId: string; taskId: string }> {
    const started = await rest.post('/process-definition/key/differential-user-task/start', {});
    expect(started.status, started.text).to.equal(200);
    const tasks = await rest.get(`/task?processInstanceId=${started.body.id}`);
    return { instanceId: started.body.id, taskId: tasks.body[0].id };
  }

  async function comment(taskId: string, body: Record<string, unknown>): Promise<any> {
    const created = await rest.post(`/task/${taskId}/comment/create`, body);
    expect(created.status, created.text).to.equal(200);
    return created.body;
  }

  it('should create a comment with its task, instance, root and a self link, and list it', async () => {
    // given
    const { instanceId, taskId } = await startWithTask();

    // when
    const created = await comment(taskId, { message: 'Looks fine', processInstanceId: instanceId });

    // then
    expect(created).to.include({ taskId, processInstanceId: instanceId, rootProcessInstanceId: instanceId, message: 'Looks fine', userId: null, removalTime: null });
    expect(created.links).to.have.length(1);
    expect(created.links[0].href).to.match(new RegExp(`/engine-rest/task/${taskId}/comment/${created.id}$`));
    const listed = await rest.get(`/task/${taskId}/comment`);
    expect(listed.body.map((c: any) => c.message)).to.deep.equal(['Looks fine']);
    expect(listed.body[0].links).to.deep.equal([]);
    expect((await rest.get(`/process-instance/${instanceId}/comment`)).body.map((c: any) => c.id)).to.deep.equal([created.id]);
  });

  it('should comment on a stand-alone task, which has no instance, and list it', async () => {
    // given
    expect((await rest.post('/task/create', { id: 'standalone-commented', name: 'Call the patient' })).status).to.equal(204);

    // when
    const created = await comment('standalone-commented', { message: 'Left a voicemail' });

    // then
    expect(created).to.include({ taskId: 'standalone-commented', processInstanceId: null, rootProcessInstanceId: null, message: 'Left a voicemail' });
    expect((await rest.get('/task/standalone-commented/comment')).body.map((c: any) => c.message)).to.deep.equal(['Left a voicemail']);
  });

  it('should list only the comments that name the instance under the instance', async () => {
    const { instanceId, taskId } = await startWithTask();
    await comment(taskId, { message: 'task only' });
    const named = await comment(taskId, { message: 'named', processInstanceId: instanceId });

    const listed = await rest.get(`/process-instance/${instanceId}/comment`);

    expect(listed.body.map((c: any) => c.id)).to.deep.equal([named.id]);
  });

  it('should update a comment\'s message and mark the task updated', async () => {
    const { taskId } = await startWithTask();
    const created = await comment(taskId, { message: 'first' });

    const updated = await rest.put(`/task/${taskId}/comment`, { id: created.id, message: 'second' });

    expect(updated.status, updated.text).to.equal(204);
    expect((await rest.get(`/task/${taskId}/comment/${created.id}`)).body.message).to.equal('second');
    expect((await rest.get(`/task/${taskId}`)).body.lastUpdated).to.be.a('string');
    expect((await rest.get(`/history/task?taskId=${taskId}`)).body[0].taskState).to.equal('Updated');
  });

  it('should refuse a comment without a message and one on an unknown task, storing nothing', async () => {
    const { taskId } = await startWithTask();

    const withoutMessage = await rest.post(`/task/${taskId}/comment/create`, {});
    const unknownTask = await rest.post('/task/no-such-task/comment/create', { message: 'x' });

    expect(withoutMessage.status).to.equal(400);
    expect(withoutMessage.body).to.include({ type: 'InvalidRequestException', message: 'Not enough parameters submitted' });
    expect(unknownTask.status).to.equal(400);
    expect(unknownTask.body.message).to.equal('No task found for task id no-such-task');
    expect((await rest.get(`/task/${taskId}/comment`)).body).to.deep.equal([]);
  });

  it('should delete one comment, then all of a task\'s comments', async () => {
    const { taskId } = await startWithTask();
    const first = await comment(taskId, { message: 'one' });
    await comment(taskId, { message: 'two' });
    await comment(taskId, { message: 'three' });

    expect((await rest.delete(`/task/${taskId}/comment/${first.id}`)).status).to.equal(204);
    expect((await rest.get(`/task/${taskId}/comment`)).body.map((c: any) => c.message).sort()).to.deep.equal(['three', 'two']);
    expect((await rest.delete(`/task/${taskId}/comment`)).status).to.equal(204);
    expect((await rest.get(`/task/${taskId}/comment`)).body).to.deep.equal([]);
  });

  it('should keep a completed task\'s comments, stamp their removal time when the instance ends, and refuse changes', async () => {
    // given
    const { instanceId, taskId } = await startWithTask();
    const created = await comment(taskId, { message: 'before completion', processInstanceId: instanceId });

    // when
    expect((await rest.post(`/task/${taskId}/complete`, {})).status).to.equal(204);

    // then
    const [kept] = (await rest.get(`/task/${taskId}/comment`)).body;
    expect(kept.message).to.equal('before completion');
    expect(kept.removalTime, 'the fixture keeps history 180 days').to.be.a('string');
    const late = await comment(taskId, { message: 'after completion' });
    expect(late.rootProcessInstanceId).to.equal(null);
    const update = await rest.put(`/task/${taskId}/comment`, { id: created.id, message: 'x' });
    expect(update.status).to.equal(400);
    expect(update.body.message).to.equal(`No task exists with taskId: ${taskId}: task is null`);
    const removal = await rest.delete(`/process-instance/${instanceId}/comment/${created.id}`);
    expect(removal.status).to.equal(400);
    expect(removal.body.message).to.equal(`No processInstance exists with processInstanceId: ${instanceId}: processInstance is null`);
    expect((await rest.get(`/task/${taskId}/comment`)).body).to.have.length(2);
  });

  it('should update and delete an instance\'s comments, and answer 404 for an unknown instance', async () => {
    const { instanceId, taskId } = await startWithTask();
    const created = await comment(taskId, { message: 'operator note', processInstanceId: instanceId });

    expect((await rest.put(`/process-instance/${instanceId}/comment`, { id: created.id, message: 'edited' })).status).to.equal(204);
    expect((await rest.get(`/process-instance/${instanceId}/comment`)).body[0].message).to.equal('edited');
    expect((await rest.delete(`/process-instance/${instanceId}/comment`)).status).to.equal(204);
    expect((await rest.get(`/process-instance/${instanceId}/comment`)).body).to.deep.equal([]);
    const unknown = await rest.get('/process-instance/no-such-instance/comment');
    expect(unknown.status).to.equal(404);
    expect(unknown.body.message).to.equal('No process instance found for id no-such-instance');
  });

  it('should name the signed-in user as the author and record changes of comments and attachments in the audit trail', async () => {
    // given an engine that requires sign-in
    const secured = createTestEngine(use(), { basicAuthUsers: new Map([['anna', 'anna-secret']]) });
    const asAnna = new RestClient(secured.app, '/engine-rest', { Authorization: `Basic ${Buffer.from('anna:anna-secret').toString('base64')}` });
    const started = await asAnna.post('/process-definition/key/differential-user-task/start', {});
    const taskId = (await asAnna.get(`/task?processInstanceId=${started.body.id}`)).body[0].id;

    // when
    const created = (await asAnna.post(`/task/${taskId}/comment/create`, { message: 'mine' })).body;
    await asAnna.put(`/task/${taskId}/comment`, { id: created.id, message: 'still mine' });
    await asAnna.upload(`/task/${taskId}/attachment/create`, { 'attachment-name': 'Referral', url: 'https://example.com/r' });
    await asAnna.delete(`/task/${taskId}/comment/${created.id}`);

    // then
    expect(created.userId).to.equal('anna');
    const entries = (await asAnna.get(`/history/user-operation?taskId=${taskId}`)).body;
    expect(entries.map((e: any) => [e.userId, e.operationType, e.entityType, e.category, e.property, e.orgValue, e.newValue])).to.have.deep.members([
      ['anna', 'UpdateComment', 'Comment', 'TaskWorker', 'comment', 'mine', 'still mine'],
      ['anna', 'AddAttachment', 'Attachment', 'TaskWorker', 'name', null, 'Referral'],
      ['anna', 'DeleteComment', 'Comment', 'TaskWorker', 'comment', null, null],
    ]);
  });

  it('should remove the comments and attachments of a deployment\'s instances with its cascading deletion', async () => {
    // given
    const { deploymentId } = await rest.deployFixture('single-user-task.bpmn');
    const started = await rest.post('/process-definition/key/single-user-task/start', {});
    const taskId = (await rest.get(`/task?processInstanceId=${started.body.id}`)).body[0].id;
    await comment(taskId, { message: 'goes with the deployment', processInstanceId: started.body.id });
    await rest.upload(`/task/${taskId}/attachment/create`, {}, [{ field: 'content', content: 'x', filename: 'x.txt', contentType: 'text/plain' }]);

    // when
    expect((await rest.delete(`/deployment/${deploymentId}?cascade=true`)).status).to.equal(204);

    // then
    expect(await use().knex('comment').where({ task_id: taskId })).to.deep.equal([]);
    expect(await use().knex('attachment').where({ task_id: taskId })).to.deep.equal([]);
    expect((await rest.get(`/task/${taskId}/comment`, { undocumentedStatus: 404 })).status).to.equal(404);
  });

  it('should flag tasks with comments in queries that ask withCommentAttachmentInfo', async () => {
    const { instanceId, taskId } = await startWithTask();
    expect((await rest.get(`/task/${taskId}?withCommentAttachmentInfo=true`)).body).to.include({ comment: false, attachment: false });

    await comment(taskId, { message: 'flagged' });

    expect((await rest.get(`/task?processInstanceId=${instanceId}&withCommentAttachmentInfo=true`)).body[0]).to.include({ comment: true, attachment: false });
    expect((await rest.get(`/task/${taskId}`)).body, 'without the parameter, Camunda answers false').to.include({ comment: false });
  });
});
