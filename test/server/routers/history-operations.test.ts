/** Specification of `/history` details, logs and deletions: variable updates, external task and job logs, history removal. */
import { expect } from 'chai';
import { describeOnDatabases } from '../../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';
import { RestClient } from '../../support/rest-client.js';

describeOnDatabases('history operations', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  async function start(key: string, variables: Record<string, unknown> = {}): Promise<string> {
    const res = await rest.post(`/process-definition/key/${key}/start`, { variables });
    expect(res.status, res.text).to.equal(200);
    return res.body.id;
  }

  async function completeTaskOf(instance: string, path = 'complete', body: unknown = {}): Promise<void> {
    const [task] = (await rest.get(`/task?processInstanceId=${instance}`)).body;
    const res = await rest.post(`/task/${task.id}/${path}`, body);
    expect(res.status, res.text).to.equal(204);
  }

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    await rest.deployFixture('single-user-task.bpmn');
    await rest.deployFixture('single-external-task.bpmn');
    await rest.deployFixture('differential-timer.bpmn');
  });

  describe('historic details', () => {
    it('should record every update of a variable with its revision, the start value flagged initial', async () => {
      // given
      const instance = await start('single-user-task', { amount: { value: 1, type: 'Integer' } });

      // when
      await rest.put(`/process-instance/${instance}/variables/amount`, { value: 2, type: 'Integer' });
      await rest.put(`/process-instance/${instance}/variables/amount`, { value: 'three', type: 'String' });

      // then
      const res = await rest.get(`/history/detail?processInstanceId=${instance}&sortBy=variableRevision&sortOrder=asc`);
      expect(res.status).to.equal(200);
      expect(res.body.map((detail: any) => [detail.type, detail.variableName, detail.revision, detail.initial, detail.variableType, detail.value])).to.deep.equal([
        ['variableUpdate', 'amount', 0, true, 'Integer', 1],
        ['variableUpdate', 'amount', 1, false, 'Integer', 2],
        ['variableUpdate', 'amount', 2, false, 'String', 'three'],
      ]);
      expect((await rest.get(`/history/detail/count?processInstanceId=${instance}&initial=true`)).body).to.deep.equal({ count: 1 });
      const [last] = (await rest.post('/history/detail', { processInstanceId: instance, variableTypeIn: ['string'] })).body;
      expect((await rest.get(`/history/detail/${last.id}`)).body).to.deep.equal(last);
    });

    it('should record a submitted form\'s String values as form fields', async () => {
      // given
      const instance = await start('single-user-task');

      // when
      await completeTaskOf(instance, 'submit-form', { variables: { decision: { value: 'approve', type: 'String' }, score: { value: 7, type: 'Integer' } } });

      // then
      const fields = (await rest.get(`/history/detail?processInstanceId=${instance}&formFields=true`)).body;
      expect(fields.map((field: any) => [field.type, field.fieldId, field.fieldValue])).to.deep.equal([['formField', 'decision', 'approve']]);
      expect((await rest.get(`/history/detail/count?processInstanceId=${instance}&variableUpdates=true`)).body).to.deep.equal({ count: 2 });
    });

    it('should answer an unknown detail with 404 and Camunda\'s message', async () => {
      const res = await rest.get('/history/detail/missing');

      expect(res.status).to.equal(404);
      expect(res.body.message).to.equal("Historic detail with Id 'missing' does not exist.");
    });
  });

  describe('deleting history', () => {
    it('should delete a finished instance\'s history, details included, and refuse a running one\'s with 404', async () => {
      // given
      const finished = await start('single-user-task', { note: { value: 'x', type: 'String' } });
      await completeTaskOf(finished);
      const running = await start('single-user-task');

      // when
      const deleted = await rest.delete(`/history/process-instance/${finished}`);
      const refused = await rest.delete(`/history/process-instance/${running}`);

      // then
      expect(deleted.status).to.equal(204);
      expect((await rest.get(`/history/process-instance/${finished}`)).status).to.equal(404);
      expect((await rest.get(`/history/detail/count?processInstanceId=${finished}`)).body).to.deep.equal({ count: 0 });
      expect((await rest.get(`/history/activity-instance/count?processInstanceId=${finished}`)).body).to.deep.equal({ count: 0 });
      expect(refused.status).to.equal(404);
      expect(refused.body.message).to.equal(`Historic process instance with id ${running} does not exist`);
      expect((await rest.get(`/history/process-instance/${running}`)).status).to.equal(200);
    });

    it('should delete finished instances chosen by a query and answer a batch', async () => {
      // given
      const finished = await start('single-user-task');
      await completeTaskOf(finished);

      // when
      const res = await rest.post('/history/process-instance/delete', { historicProcessInstanceQuery: { processInstanceIds: [finished] } });

      // then
      expect(res.status, res.text).to.equal(200);
      expect(res.body).to.include({ type: 'historic-instance-deletion', totalJobs: 1, jobsCreated: 0, suspended: false });
      expect((await rest.get(`/history/process-instance/${finished}`)).status).to.equal(404);
      expect((await rest.post('/history/process-instance/delete', {})).status).to.equal(400);
    });

    it('should delete one historic variable and all of an instance\'s, with their details', async () => {
      // given
      const instance = await start('single-user-task', { a: { value: 1, type: 'Integer' }, b: { value: 2, type: 'Integer' } });
      const [a] = (await rest.get(`/history/variable-instance?processInstanceId=${instance}&variableName=a`)).body;

      // when / then
      expect((await rest.delete(`/history/variable-instance/${a.id}`)).status).to.equal(204);
      expect((await rest.get(`/history/variable-instance/${a.id}`)).status).to.equal(404);
      expect((await rest.get(`/history/detail/count?variableInstanceId=${a.id}`)).body).to.deep.equal({ count: 0 });
      expect((await rest.delete(`/history/process-instance/${instance}/variable-instances`)).status).to.equal(204);
      expect((await rest.get(`/history/variable-instance/count?processInstanceId=${instance}`)).body).to.deep.equal({ count: 0 });
      expect((await rest.get(`/history/detail/count?processInstanceId=${instance}`)).body).to.deep.equal({ count: 0 });
    });
  });

  describe('external task log', () => {
    it('should log creation, failure (with the retries before it) and success, and deletion with the instance', async () => {
      // given
      const instance = await start('single-external-task');
      const fetch = { workerId: 'w', maxTasks: 1, topics: [{ topicName: 'work', lockDuration: 10000, processDefinitionKey: 'single-external-task' }] };
      const [task] = (await rest.post('/external-task/fetchAndLock', fetch)).body;

      // when
      await rest.post(`/external-task/${task.id}/failure`, { workerId: 'w', errorMessage: 'boom', errorDetails: 'trace', retries: 2, retryTimeout: 0 });
      await rest.post('/external-task/fetchAndLock', fetch);
      expect((await rest.post(`/external-task/${task.id}/complete`, { workerId: 'w' })).status).to.equal(204);
      const deletedInstance = await start('single-external-task');
      await rest.delete(`/process-instance/${deletedInstance}`);

      // then
      const log = (await rest.get(`/history/external-task-log?processInstanceId=${instance}&sortBy=timestamp&sortOrder=asc`)).body;
      expect(log.map((entry: any) => [entry.creationLog, entry.failureLog, entry.successLog, entry.deletionLog, entry.retries, entry.errorMessage])).to.deep.equal([
        [true, false, false, false, null, null],
        [false, true, false, false, null, 'boom'],
        [false, false, true, false, 2, null],
      ]);
      const failure = log[1];
      const details = await rest.get(`/history/external-task-log/${failure.id}/error-details`);
      expect(details.status).to.equal(200);
      expect(details.headers['content-type']).to.equal('text/plain');
      expect(details.text).to.equal('trace');
      const deletion = (await rest.post('/history/external-task-log', { processInstanceId: deletedInstance, deletionLog: true })).body;
      expect(deletion).to.have.length(1);
    });
  });

  describe('job log', () => {
    it('should log a job\'s creation and its success when it runs', async () => {
      // given
      const instance = await start('differential-async', { amount: { value: 30, type: 'Integer' } });
      const [job] = (await rest.get(`/job?processInstanceId=${instance}`)).body;

      // when
      expect((await rest.post(`/job/${job.id}/execute`, {})).status).to.equal(204);

      // then
      const log = (await rest.get(`/history/job-log?jobId=${job.id}&sortBy=occurrence&sortOrder=asc`)).body;
      expect(log.map((entry: any) => [entry.creationLog, entry.successLog, entry.deletionLog, entry.jobDefinitionType, entry.jobDueDate])).to.deep.equal([
        [true, false, false, 'async-continuation', null],
        [false, true, false, 'async-continuation', null],
      ]);
      expect((await rest.post('/history/job-log/count', { jobId: job.id, successLog: true })).body).to.deep.equal({ count: 1 });
    });
  });

  describe('historic activity statistics', () => {
    it('should count the running instances per activity, and the finished ones when asked for', async () => {
      // given: a definition of its own version, with one instance finished and one waiting at the task
      const definitionId = (await rest.deployFixture('single-user-task.bpmn')).definition.id;
      const finished = (await rest.post(`/process-definition/${definitionId}/start`, {})).body.id;
      await completeTaskOf(finished);
      await rest.post(`/process-definition/${definitionId}/start`, {});

      // when
      const running = (await rest.get(`/history/process-definition/${definitionId}/statistics`)).body;
      const all = (await rest.get(`/history/process-definition/${definitionId}/statistics?finished=true`)).body;

      // then
      expect(running.map((row: any) => [row.id, row.instances, row.finished])).to.deep.equal([['Task_Review', 1, 0]]);
      expect(all.map((row: any) => [row.id, row.instances, row.finished])).to.deep.equal([['EndEvent_1', 0, 1], ['StartEvent_1', 0, 2], ['Task_Review', 1, 1]]);
    });
  });

  describe('cleanable process instance report', () => {
    it('should count the finished instances of each definition and those past their removal time', async () => {
      // given: the definitions deployed above, with their finished instances (none has a history time to live)
      const report = (await rest.get('/history/process-definition/cleanable-process-instance-report?processDefinitionKeyIn=single-external-task')).body;

      // then
      expect(report).to.have.length(1);
      expect(report[0]).to.include({ processDefinitionKey: 'single-external-task', historyTimeToLive: null, finishedProcessInstanceCount: 2, cleanableProcessInstanceCount: 0 });
      expect((await rest.get('/history/process-definition/cleanable-process-instance-report/count?processDefinitionKeyIn=differential-timer&compact=true')).body).to.deep.equal({ count: 0 });
    });
  });

  describe('task report', () => {
    it('should count the completed tasks by name, and refuse a report without its type', async () => {
      // given: the user tasks completed above, all named "Review request"
      const completed = (await rest.get('/history/task/count?taskName=Review%20request&finished=true')).body.count;

      // when
      const report = (await rest.get('/history/task/report?reportType=count&groupBy=taskName')).body;
      const untyped = await rest.get('/history/task/report');

      // then
      const reviews = report.filter((row: any) => row.taskName === 'Review request');
      expect(reviews.reduce((sum: number, row: any) => sum + row.count, 0)).to.equal(completed);
      expect(reviews[0]).to.include({ processDefinitionKey: 'single-user-task', processDefinitionName: 'Single user task' });
      expect(untyped.status).to.equal(400);
      expect(untyped.body.message).to.equal('Parameter reportType is not set.');
    });
  });
});
