/** `/process-definition/statistics` and `/{id}/statistics`: running instances and incidents, as Cockpit reads them. */
import { expect } from 'chai';
import { describeOnDatabases } from '../../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';
import { RestClient } from '../../support/rest-client.js';

describeOnDatabases('server/routers/process-definition statistics', (use) => {
  let engine: TestEngine;
  let rest: RestClient;
  let definitionId: string;

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    ({ definition: { id: definitionId } } = await rest.deployFixture('payment.bpmn'));
    // given two instances waiting at ChargeCard, one of them with a failed task
    for (let i = 0; i < 2; i++) await rest.post('/process-definition/key/payment/start', { variables: { priority: { value: i, type: 'Integer' } } });
    const [task] = (await rest.post('/external-task/fetchAndLock', { workerId: 'w1', maxTasks: 1, topics: [{ topicName: 'charge-card', lockDuration: 60000 }] })).body;
    await rest.post(`/external-task/${task.id}/failure`, { workerId: 'w1', errorMessage: 'card service down' });
  });

  after(() => engine.fetchAndLockWaiter.close());

  it('should count running instances per activity', async () => {
    const statistics = await rest.get(`/process-definition/${definitionId}/statistics`);
    expect(statistics.body).to.deep.equal([
      { '@class': 'org.camunda.bpm.engine.rest.dto.repository.ActivityStatisticsResultDto', id: 'ChargeCard', instances: 2, failedJobs: 0, incidents: [] },
    ]);
  });

  it('should add incidents per type when asked, also by key', async () => {
    const statistics = await rest.get('/process-definition/key/payment/statistics?incidents=true');
    expect(statistics.body[0].incidents).to.deep.equal([{ incidentType: 'failedExternalTask', incidentCount: 1 }]);
    const other = await rest.get('/process-definition/key/payment/statistics?incidentsForType=failedJob');
    expect(other.body[0].incidents).to.deep.equal([]);
  });

  it('should answer no activities for an unknown id, as Camunda queries without looking the definition up', async () => {
    expect((await rest.get('/process-definition/nope:1:1/statistics')).body).to.deep.equal([]);
  });

  it('should count running instances and incidents per definition, with the definition', async () => {
    const statistics = await rest.get('/process-definition/statistics?incidents=true');
    expect(statistics.body).to.have.length(1);
    expect(statistics.body[0]).to.include({ id: definitionId, instances: 2, failedJobs: 0 });
    expect(statistics.body[0].definition).to.include({ key: 'payment', version: 1 });
    expect(statistics.body[0].incidents).to.deep.equal([{ incidentType: 'failedExternalTask', incidentCount: 1 }]);
  });

  it('should list every definition, also one without instances, with the definition as Camunda\'s statistics query maps it (no time to live)', async () => {
    // definitions-diagram.bpmn has a time to live of 30 days, which the statistics do not show
    const idle = (await rest.deployFixture('definitions-diagram.bpmn')).definition;

    const statistics = (await rest.get('/process-definition/statistics')).body as any[];

    expect(statistics.map((s) => [s.id, s.instances])).to.have.deep.members([[definitionId, 2], [idle.id, 0]]);
    expect(statistics.map((s) => s.definition.historyTimeToLive)).to.deep.equal([null, null]);
  });

  it('should count jobs out of retries as failed jobs per activity and per definition when asked, and 0 otherwise', async () => {
    // given a timer whose job has no retries left
    const { definition } = await rest.deployFixture('definition-resources-timer.bpmn');
    const instance = (await rest.post(`/process-definition/${definition.id}/start`, {})).body;
    const [job] = (await rest.get(`/job?processInstanceId=${instance.id}`)).body;
    await rest.put(`/job/${job.id}/retries`, { retries: 0 });

    const byActivity = await rest.get(`/process-definition/${definition.id}/statistics?failedJobs=true`);
    const unasked = await rest.get(`/process-definition/${definition.id}/statistics`);
    const byDefinition = (await rest.get('/process-definition/statistics?failedJobs=true')).body.find((s: any) => s.id === definition.id);

    expect(byActivity.body.map((s: any) => [s.id, s.instances, s.failedJobs])).to.deep.equal([['Wait_Hour', 1, 1]]);
    expect(unasked.body.map((s: any) => s.failedJobs)).to.deep.equal([0]);
    expect(byDefinition).to.include({ instances: 1, failedJobs: 1 });
  });

  it('should answer root incidents, all of them here, and refuse two ways of asking for incidents even if one is false, as Camunda', async () => {
    const roots = (await rest.get('/process-definition/statistics?rootIncidents=true')).body.find((s: any) => s.id === definitionId);
    const twice = await rest.get('/process-definition/statistics?incidents=false&incidentsForType=failedJob', { undocumentedStatus: 400 });
    const thrice = await rest.get('/process-definition/statistics?incidents=true&rootIncidents=true&incidentsForType=failedJob', { undocumentedStatus: 400 });
    const perActivity = await rest.get(`/process-definition/${definitionId}/statistics?rootIncidents=true&incidentsForType=failedJob`);

    expect(roots.incidents).to.deep.equal([{ incidentType: 'failedExternalTask', incidentCount: 1 }]);
    expect([twice.status, twice.body.message]).to.deep.equal([400, 'Only one of the query parameter includeIncidents or includeIncidentsForType can be set.']);
    expect(thrice.body.message).to.equal('Only one of the query parameter includeIncidents or includeIncidentsForType can be set.');
    expect(perActivity.status).to.equal(200);
  });
});
