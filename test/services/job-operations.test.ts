/** Specification of the operator actions on jobs and job definitions: bulk suspension, deletion, priorities, due dates. */
import { expect } from 'chai';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { RestClient } from '../support/rest-client.js';

describeOnDatabases('job operations', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    await rest.deployFixture('differential-runtime-operations.bpmn');
    await rest.deployFixture('differential-timer.bpmn');
  });

  async function waitingJob(): Promise<{ instanceId: string; job: Record<string, any> }> {
    const instanceId = (await rest.post('/process-definition/key/runtime-timer/start', {})).body.id;
    const [job] = (await rest.get(`/job?processInstanceId=${instanceId}`)).body;
    return { instanceId, job };
  }

  it('should suspend the jobs of an instance and activate them by job definition', async () => {
    // given
    const { instanceId, job } = await waitingJob();

    // when
    await rest.put('/job/suspended', { suspended: true, processInstanceId: instanceId });
    const suspended = (await rest.get(`/job/${job.id}`)).body.suspended;
    await rest.put('/job/suspended', { suspended: false, jobDefinitionId: job.jobDefinitionId });

    // then
    expect(suspended).to.equal(true);
    expect((await rest.get(`/job/${job.id}`)).body.suspended).to.equal(false);
  });

  it('should refuse a job suspension that names two selectors, in Camunda\'s words', async () => {
    const res = await rest.put('/job/suspended', { suspended: true, processDefinitionId: 'a', processDefinitionKey: 'b' });
    expect(res.status).to.equal(400);
    expect(res.body.message).to.equal('Only one of jobId, jobDefinitionId, processInstanceId, processDefinitionId or processDefinitionKey should be set to update the suspension state.');
  });

  it('should give new jobs a job definition\'s overriding priority and leave existing ones unless includeJobs', async () => {
    // given
    const { job: existing } = await waitingJob();

    // when
    await rest.put(`/job-definition/${existing.jobDefinitionId}/jobPriority`, { priority: 12 });
    const { job: created } = await waitingJob();

    // then
    expect((await rest.get(`/job/${existing.id}`)).body.priority).to.equal(0);
    expect(created.priority).to.equal(12);

    // when cascaded, then cleared
    await rest.put(`/job-definition/${existing.jobDefinitionId}/jobPriority`, { priority: 3, includeJobs: true });
    await rest.put(`/job-definition/${existing.jobDefinitionId}/jobPriority`, { priority: null });

    // then
    expect((await rest.get(`/job/${existing.id}`)).body.priority).to.equal(3);
    expect((await rest.get(`/job-definition/${existing.jobDefinitionId}`)).body.overridingJobPriority).to.equal(null);
  });

  it('should set one job\'s priority and refuse a null one', async () => {
    const { job } = await waitingJob();
    await rest.put(`/job/${job.id}/priority`, { priority: 77 });
    const refused = await rest.put(`/job/${job.id}/priority`, {}, { undocumentedStatus: 400 });
    expect((await rest.get(`/job/${job.id}`)).body.priority).to.equal(77);
    expect(refused.body).to.deep.include({ type: 'RestException', message: `Priority for job '${job.id}' cannot be null.` });
  });

  it('should recalculate a timer\'s due date from its creation', async () => {
    // given
    const { job } = await waitingJob();
    await rest.put(`/job/${job.id}/duedate`, { duedate: '2040-01-01T00:00:00.000+0000' });

    // when
    await rest.post(`/job/${job.id}/duedate/recalculate?creationDateBased=true`);

    // then: P1D after it was created
    const due = new Date((await rest.get(`/job/${job.id}`)).body.dueDate).getTime();
    expect(due - new Date(job.createTime).getTime()).to.equal(24 * 3600 * 1000);
  });

  it('should refuse to delete the job an instance waits at, and delete a timer start event\'s job', async () => {
    // given
    const { job } = await waitingJob();
    const [startJob] = (await rest.get('/job?processDefinitionKey=differential-timer-start')).body;

    // when
    const refused = await rest.delete(`/job/${job.id}`);
    const deleted = await rest.delete(`/job/${startJob.id}`);

    // then
    expect(refused.status).to.equal(500);
    expect((await rest.get(`/job/${job.id}`)).status).to.equal(200);
    expect(deleted.status).to.equal(204);
    expect((await rest.get(`/job/count?processDefinitionKey=differential-timer-start`)).body.count).to.equal(0);
  });

  it('should suspend the job definitions of a key with their jobs, and refuse a later execution date', async () => {
    // given
    const { job } = await waitingJob();

    // when
    await rest.put('/job-definition/suspended', { suspended: true, processDefinitionKey: 'runtime-timer', includeJobs: true });
    const later = await rest.put('/job-definition/suspended', { suspended: false, processDefinitionKey: 'runtime-timer', executionDate: '2099-01-01T00:00:00.000+0000' });

    // then
    expect((await rest.get(`/job-definition/${job.jobDefinitionId}`)).body.suspended).to.equal(true);
    expect((await rest.get(`/job/${job.id}`)).body.suspended).to.equal(true);
    expect(later.status).to.equal(400);
    await rest.put('/job-definition/suspended', { suspended: false, processDefinitionKey: 'runtime-timer', includeJobs: true });
    expect((await rest.get(`/job/${job.id}`)).body.suspended).to.equal(false);
  });
});
