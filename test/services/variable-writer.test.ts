/** Specification of batched writes: one command may write more rows than PostgreSQL binds parameters in one statement. */
import { expect } from 'chai';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { RestClient } from '../support/rest-client.js';

describeOnDatabases('variable writer: batched writes', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    await rest.deployFixture('single-user-task.bpmn');
    await rest.deployFixture('bench-multi-instance.bpmn');
  });

  after(() => engine?.fetchAndLockWaiter.close());

  it('should start an instance with 5,000 variables, each with its history (more than 65,535 parameters in all)', async function () {
    this.timeout(120_000);
    // given
    const variables = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`v${i}`, { value: i, type: 'Integer' }]));

    // when
    const started = await rest.post('/process-definition/key/single-user-task/start', { variables });

    // then
    expect(started.status, started.text).to.equal(200);
    const id = started.body.id as string;
    expect(Object.keys((await rest.get(`/process-instance/${id}/variables`)).body)).to.have.length(5_000);
    expect((await rest.get(`/history/variable-instance/count?processInstanceId=${id}`)).body.count).to.equal(5_000);
    expect((await rest.get(`/process-instance/${id}/variables/v4999`)).body).to.deep.include({ value: 4_999, type: 'Integer' });
  });

  it('should create the 1,100 tasks of a parallel multi-instance in one command, each linked to its activity instance', async function () {
    this.timeout(120_000);
    // given
    const reviewers = Array.from({ length: 1_100 }, (_, i) => `reviewer-${i}`);

    // when
    const started = await rest.post('/process-definition/key/bench-parallel-reviews/start', {
      variables: { reviewers: { value: JSON.stringify(reviewers), type: 'Object', valueInfo: { objectTypeName: 'java.util.ArrayList<java.lang.String>', serializationDataFormat: 'application/json' } } },
    });

    // then
    expect(started.status, started.text).to.equal(200);
    const id = started.body.id as string;
    expect((await rest.get(`/task/count?processInstanceId=${id}`)).body.count).to.equal(1_100);
    expect((await rest.get(`/history/task/count?processInstanceId=${id}`)).body.count).to.equal(1_100);
    const last = (await rest.get(`/task?processInstanceId=${id}&assignee=reviewer-1099`)).body as Array<{ id: string }>;
    expect(last).to.have.length(1);
    const activity = (await rest.get(`/history/activity-instance?processInstanceId=${id}&activityId=Review&finished=false`)).body as Array<{ taskId: string | null; assignee: string | null }>;
    expect(activity.filter((each) => each.taskId !== null)).to.have.length(1_100);
    expect(activity.find((each) => each.taskId === last[0].id)?.assignee).to.equal('reviewer-1099');
  });
});
