/** Specification of /job-definition: what each timer event and async continuation defines, and the jobs that name it. */
import { expect } from 'chai';
import { describeOnDatabases } from '../../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';
import { RestClient } from '../../support/rest-client.js';

describeOnDatabases('job definition router', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    await rest.deployFixture('timers-boundary.bpmn');
    await rest.deployFixture('async-continuations.bpmn');
  });

  it('should define one job per timer event and per async continuation, with Camunda\'s types and configurations', async () => {
    const timers = (await rest.get('/job-definition?processDefinitionKey=timer-reminder')).body;
    const continuations = (await rest.get('/job-definition?processDefinitionKey=async-charge&sortBy=jobConfiguration&sortOrder=asc')).body;

    expect(timers.map(({ activityId, jobType, jobConfiguration, suspended }: Record<string, unknown>) => ({ activityId, jobType, jobConfiguration, suspended }))).to.deep.equal([
      { activityId: 'Timer_Remind', jobType: 'timer-transition', jobConfiguration: 'CYCLE: R3/PT10M', suspended: false },
    ]);
    expect(continuations.map(({ activityId, jobConfiguration }: Record<string, unknown>) => `${activityId} ${jobConfiguration}`)).to.deep.equal(['Task_Review async-after', 'Task_Charge async-before']);
  });

  it('should name the definition in each job, and filter jobs by it', async () => {
    // given
    const [definition] = (await rest.get('/job-definition?processDefinitionKey=timer-deadline')).body;
    const instanceId = (await rest.post('/process-definition/key/timer-deadline/start', {})).body.id;

    // when
    const [job] = (await rest.get(`/job?processInstanceId=${instanceId}`)).body;
    const byDefinition = (await rest.get(`/job/count?jobDefinitionId=${definition.id}`)).body.count;

    // then
    expect(job.jobDefinitionId).to.equal(definition.id);
    expect(byDefinition).to.equal(1);
    expect((await rest.get(`/job-definition/${definition.id}`)).body).to.deep.equal(definition);
  });

  it('should filter by job type, activity and configuration, and count', async () => {
    expect((await rest.get('/job-definition/count?jobType=async-continuation')).body.count).to.equal(2);
    expect((await rest.get('/job-definition/count?activityIdIn=Timer_Deadline,Timer_Remind')).body.count).to.equal(2);
    expect((await rest.post('/job-definition/count', { jobConfiguration: 'DURATION: P2D' })).body.count).to.equal(1);
  });

  it('should answer 404 in Camunda\'s words for a definition that does not exist', async () => {
    const res = await rest.get('/job-definition/nope', { undocumentedStatus: 404 });
    expect(res.status).to.equal(404);
    expect(res.body.message).to.equal('Job Definition with id nope does not exist');
  });
});
