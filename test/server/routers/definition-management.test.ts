/** Specification of managing deployed definitions: deletion, diagrams, history time to live, suspension by key, called definitions, redeployment. */
import { expect } from 'chai';
import request from 'supertest';
import { describeOnDatabases } from '../../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';
import { fixture, RestClient } from '../../support/rest-client.js';

describeOnDatabases('definition management', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(() => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
  });

  async function deploy(name: string, files: Array<{ name: string; content: Buffer | string }>, fields: Record<string, string> = {}): Promise<any> {
    const res = await rest.deploy(files, { 'deployment-name': name, ...fields });
    expect(res.status, res.text).to.equal(200);
    return res.body;
  }

  /** Camunda's OpenAPI documents 204 for these DELETEs; Camunda and Operaton answer 200 with no body. */
  const deleteDefinitions = (path: string) => request(engine.app).delete(`/engine-rest${path}`);

  const idOf = (deployment: any, key: string): string => Object.keys(deployment.deployedProcessDefinitions).find((id) => id.startsWith(`${key}:`))!;

  describe('DELETE /process-definition', () => {
    let first: string;
    let second: string;

    before(async () => {
      first = idOf(await deploy('delete', [{ name: 'definitions-delete.bpmn', content: fixture('bpmn/definitions-delete.bpmn') }]), 'definitions-delete');
      second = idOf(await deploy('delete', [{ name: 'definitions-delete.bpmn', content: fixture('bpmn/definitions-delete-v2.bpmn') }]), 'definitions-delete');
    });

    it('should refuse to delete a definition with running instances without cascade, keeping everything', async () => {
      const started = await rest.post('/message', { messageName: 'definitions-delete-start', resultEnabled: true });
      expect(started.body[0].processInstance.definitionId).to.equal(second);

      const res = await rest.delete(`/process-definition/${second}`, { undocumentedStatus: 500 });

      expect(res.status).to.equal(500);
      expect(res.body.message).to.equal(`ENGINE-03076 Deletion of process definition without cascading failed. Process definition with id: ${second} can't be deleted, because there are 1 dependent process instances.`);
      expect((await rest.get('/process-instance/count?processDefinitionKey=definitions-delete')).body).to.deep.equal({ count: 1 });
      expect((await rest.get(`/process-definition/${second}`)).status).to.equal(200);
    });

    it('should delete with cascade its instances and their history, and make the previous version the latest with its start events', async () => {
      const res = await deleteDefinitions(`/process-definition/${second}?cascade=true`);

      expect([res.status, res.text, res.headers['content-type']]).to.deep.equal([200, '', undefined]);
      expect((await rest.get('/process-instance/count?processDefinitionKey=definitions-delete')).body).to.deep.equal({ count: 0 });
      expect((await rest.get('/history/process-instance/count?processDefinitionKey=definitions-delete')).body).to.deep.equal({ count: 0 });
      expect((await rest.get('/process-definition/key/definitions-delete')).body.id).to.equal(first);
      const jobs = (await rest.get('/job?processDefinitionKey=definitions-delete')).body;
      expect(jobs.map((job: any) => [job.processDefinitionId, job.dueDate])).to.deep.equal([[first, '2199-01-01T00:00:00.000+0000']]);
      const subscriptions = (await rest.get('/event-subscription?eventName=definitions-delete-start')).body;
      expect(subscriptions).to.have.length(1);
      const started = await rest.post('/message', { messageName: 'definitions-delete-start', resultEnabled: true });
      expect(started.body[0].processInstance.definitionId).to.equal(first);
    });

    it('should delete every version of a key with cascade, its timer jobs and subscriptions with them', async () => {
      expect((await deleteDefinitions('/process-definition/key/definitions-delete?cascade=true')).status).to.equal(200);

      expect((await rest.get('/process-definition/count?key=definitions-delete')).body).to.deep.equal({ count: 0 });
      expect((await rest.get('/job/count?processDefinitionKey=definitions-delete')).body).to.deep.equal({ count: 0 });
      expect((await rest.get('/event-subscription/count?eventName=definitions-delete-start')).body).to.deep.equal({ count: 0 });
    });

    it('should answer 404 for an unknown id or key, with Camunda\'s messages', async () => {
      const byId = await rest.delete('/process-definition/nowhere');
      const byKey = await rest.delete('/process-definition/key/nowhere/tenant-id/tenant-one');

      expect([byId.status, byId.body.message]).to.deep.equal([404, "No process definition found with id 'nowhere': processDefinition is null"]);
      expect([byKey.status, byKey.body.type, byKey.body.message]).to.deep.equal([404, 'RestException', 'No matching process definition with key: nowhere and tenant-id: tenant-one']);
    });
  });

  describe('diagrams', () => {
    const png = fixture('diagrams/definitions-diagram.png');
    let deployment: any;

    before(async () => {
      deployment = await deploy('diagrams', [
        { name: 'definitions-diagram.bpmn', content: fixture('bpmn/definitions-diagram.bpmn') },
        { name: 'definitions-diagram.definitions-diagram.png', content: png },
        { name: 'definitions-diagram.svg', content: fixture('diagrams/definitions-diagram.svg') },
        { name: 'definitions-callee.bpmn', content: fixture('bpmn/definitions-callee.bpmn') },
        { name: 'definitions-dish.dmn', content: fixture('dmn/definitions-dish.dmn') },
        { name: 'definitions-dish.svg', content: fixture('diagrams/definitions-diagram.svg') },
      ]);
    });

    it('should name the image deployed next to a model, the one named after the key first, as its diagram', async () => {
      expect(deployment.deployedProcessDefinitions[idOf(deployment, 'definitions-diagram')].diagram).to.equal('definitions-diagram.definitions-diagram.png');
      expect(deployment.deployedProcessDefinitions[idOf(deployment, 'definitions-callee')].diagram).to.equal(null);
    });

    it('should answer the diagram with its media type and as an attachment', async () => {
      const res = await rest.download('/process-definition/key/definitions-diagram/diagram');

      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.equal('image/png');
      expect(res.headers['content-disposition']).to.equal('attachment; filename="definitions-diagram.definitions-diagram.png"; filename*=UTF-8\'\'definitions-diagram.definitions-diagram.png');
      expect(res.bytes.equals(png)).to.equal(true);
    });

    it('should answer a decision\'s diagram, and 204 without a body for a definition without one', async () => {
      const decision = await rest.download('/decision-definition/key/definitions-dish/diagram');
      const none = await rest.download('/process-definition/key/definitions-callee/diagram');

      expect([decision.status, decision.headers['content-type']]).to.deep.equal([200, 'image/svg+xml']);
      expect([none.status, none.bytes.length]).to.deep.equal([204, 0]);
    });

    it('should answer 400 for a diagram of an unknown id, as Camunda\'s repository service does', async () => {
      const res = await rest.get('/process-definition/nowhere/diagram', { undocumentedStatus: 400 });

      expect([res.status, res.body.type]).to.deep.equal([400, 'NotFoundException']);
    });

    it('should redeploy all resources, or those named, as a new deployment under the same name', async () => {
      const all = await rest.post(`/deployment/${deployment.id}/redeploy`, { source: 'again' });
      const one = await rest.post(`/deployment/${deployment.id}/redeploy`, { resourceNames: ['definitions-callee.bpmn'] });

      expect(all.status, all.text).to.equal(200);
      expect([all.body.name, all.body.source]).to.deep.equal(['diagrams', 'again']);
      expect(Object.values(all.body.deployedProcessDefinitions).map((d: any) => [d.key, d.version, d.diagram]).sort()).to.deep.equal([['definitions-callee', 2, null], ['definitions-diagram', 2, 'definitions-diagram.definitions-diagram.png'], ['definitions-other', 2, null]]);
      expect((await rest.get(`/deployment/${all.body.id}/resources`)).body).to.have.length(6);
      expect(Object.values(one.body.deployedProcessDefinitions).map((d: any) => [d.key, d.version]).sort()).to.deep.equal([['definitions-callee', 3], ['definitions-other', 3]]);
      expect(one.body.deployedDecisionDefinitions).to.equal(null);
    });

    it('should refuse to redeploy resources the deployment does not have', async () => {
      const res = await rest.post(`/deployment/${deployment.id}/redeploy`, { resourceIds: ['nowhere'] });

      expect([res.status, res.body.message]).to.deep.equal([404, `Cannot redeploy deployment '${deployment.id}': The deployment with id '${deployment.id}' does not contain the following resources with id: nowhere`]);
    });

    it('should answer every deployment as registered', async () => {
      const res = await rest.get('/deployment/registered');
      const all = (await rest.get('/deployment')).body.map((d: any) => d.id);

      expect([...res.body].sort()).to.deep.equal([...all].sort());
    });
  });

  describe('history time to live', () => {
    it('should set a process definition\'s time to live, which later ended instances take their removal time from', async () => {
      await deploy('ttl', [{ name: 'definitions-diagram.bpmn', content: fixture('bpmn/definitions-diagram.bpmn') }]);

      expect((await rest.put('/process-definition/key/definitions-diagram/history-time-to-live', { historyTimeToLive: 5 })).status).to.equal(204);
      const started = await rest.post('/process-definition/key/definitions-diagram/start', {});

      expect((await rest.get('/process-definition/key/definitions-diagram')).body.historyTimeToLive).to.equal(5);
      const [history] = (await rest.get(`/history/process-instance?processInstanceId=${started.body.id}`)).body;
      expect(Date.parse(history.removalTime) - Date.parse(history.endTime)).to.equal(5 * 24 * 3600 * 1000);
    });

    it('should refuse a negative or null time to live, keeping the one set', async () => {
      const negative = await rest.put('/process-definition/key/definitions-diagram/history-time-to-live', { historyTimeToLive: -1 });
      const none = await rest.put('/process-definition/key/definitions-diagram/history-time-to-live', { historyTimeToLive: null });

      expect([negative.status, negative.body.type, negative.body.message]).to.deep.equal([400, 'BadUserRequestException', 'historyTimeToLive is not greater than or equal to 0']);
      expect([none.status, none.body.type, none.body.message]).to.deep.equal([400, 'NotAllowedException', 'Null historyTimeToLive values are not allowed']);
      expect((await rest.get('/process-definition/key/definitions-diagram')).body.historyTimeToLive).to.equal(5);
    });

    it('should answer 404 for the time to live of an unknown id, as GET of the id does', async () => {
      const res = await rest.put('/process-definition/nowhere/history-time-to-live', { historyTimeToLive: 1 });

      expect([res.status, res.body.message]).to.deep.equal([404, 'No matching definition with id nowhere']);
    });

    it('should set a decision definition\'s time to live', async () => {
      expect((await rest.put('/decision-definition/key/definitions-dish/history-time-to-live', { historyTimeToLive: 12 })).status).to.equal(204);

      expect((await rest.get('/decision-definition/key/definitions-dish')).body.historyTimeToLive).to.equal(12);
    });
  });

  describe('PUT /process-definition/suspended', () => {
    it('should suspend every version of the key in every tenant when no tenant is chosen, and refuse an id', async () => {
      const content = fixture('bpmn/definitions-callee.bpmn');
      await deploy('plain', [{ name: 'definitions-callee.bpmn', content }]);
      await deploy('tenant', [{ name: 'definitions-callee.bpmn', content }], { 'tenant-id': 'tenant-one' });

      expect((await rest.put('/process-definition/suspended', { processDefinitionKey: 'definitions-other', suspended: true })).status).to.equal(204);
      const versions = (await rest.get('/process-definition?key=definitions-other')).body;
      expect(new Set(versions.map((d: any) => d.tenantId))).to.deep.equal(new Set([null, 'tenant-one']));
      expect(versions.every((d: any) => d.suspended)).to.equal(true);

      expect((await rest.put('/process-definition/suspended', { processDefinitionKey: 'definitions-other', processDefinitionTenantId: 'tenant-one', suspended: false })).status).to.equal(204);
      const suspended = (await rest.get('/process-definition?key=definitions-other&suspended=true')).body;
      expect(suspended.map((d: any) => d.tenantId)).to.deep.equal(versions.filter((d: any) => d.tenantId === null).map(() => null));

      const delayed = await rest.put('/process-definition/suspended', { processDefinitionKey: 'definitions-other', suspended: true, executionDate: '2199-01-01T00:00:00.000+0000' });
      expect([delayed.status, delayed.body.message]).to.deep.equal([400, 'executionDate is not supported: this engine suspends and activates process definitions immediately']);
      expect((await rest.get('/process-definition/count?key=definitions-other&suspended=true')).body).to.deep.equal({ count: suspended.length });

      const byId = await rest.put('/process-definition/suspended', { processDefinitionId: 'x', suspended: true });
      expect([byId.status, byId.body.message]).to.deep.equal([400, 'Only processDefinitionKey can be set to update the suspension state.']);
    });
  });

  describe('GET /process-definition/{id}/static-called-process-definitions', () => {
    it('should answer the definitions called by constant key, latest or bound version, with the activities calling them', async () => {
      const calls = await deploy('calls', [
        { name: 'definitions-caller.bpmn', content: fixture('bpmn/definitions-caller.bpmn') },
        { name: 'definitions-callee.bpmn', content: fixture('bpmn/definitions-callee.bpmn') },
      ]);
      const latest = await deploy('calls-again', [{ name: 'definitions-callee.bpmn', content: fixture('bpmn/definitions-callee.bpmn') }]);
      const caller = idOf(calls, 'definitions-caller');

      const res = await rest.get(`/process-definition/${caller}/static-called-process-definitions`);

      expect(res.status).to.equal(200);
      const summary = res.body.map((d: any) => [d.id, d.calledFromActivityIds, d.callingProcessDefinitionId]).sort();
      const firstCallee = (await rest.get('/process-definition?key=definitions-callee&version=1&withoutTenantId=true')).body[0].id;
      expect(summary).to.deep.equal([
        [firstCallee, ['CallFirstVersion'], caller],
        [idOf(latest, 'definitions-callee'), ['CallLatest', 'CallAgain'], caller],
        [idOf(latest, 'definitions-other'), ['CallNested'], caller],
      ].sort());
    });
  });

  describe('user operation log', () => {
    it('should record the time to live changes and deletions as Camunda\'s operations', async () => {
      const logging = createTestEngine(use(), { restrictUserOperationLogToAuthenticatedUsers: false });
      const client = new RestClient(logging.app);
      await client.deploy([{ name: 'definitions-drg.dmn', content: fixture('dmn/definitions-drg.dmn') }, { name: 'definitions-callee.bpmn', content: fixture('bpmn/definitions-callee.bpmn') }], { 'deployment-name': 'logged' });
      const process = (await client.get('/process-definition/key/definitions-other')).body;
      const decision = (await client.get('/decision-definition/key/definitions-beverages')).body;

      await client.put(`/process-definition/${process.id}/history-time-to-live`, { historyTimeToLive: 3 });
      await client.put(`/decision-definition/${decision.id}/history-time-to-live`, { historyTimeToLive: 4 });
      await request(logging.app).delete(`/engine-rest/process-definition/${process.id}`).expect(200);

      const entries = (await client.get('/history/user-operation?entityType=ProcessDefinition&sortBy=timestamp&sortOrder=asc')).body
        .concat((await client.get('/history/user-operation?entityType=DecisionDefinition')).body)
        .filter((entry: any) => entry.operationType !== 'Create')
        .map((entry: any) => [entry.entityType, entry.operationType, entry.property, entry.orgValue, entry.newValue, entry.processDefinitionId]);
      expect(entries.sort()).to.deep.equal([
        ['DecisionDefinition', 'UpdateHistoryTimeToLive', 'decisionDefinitionId', null, decision.id, null],
        ['DecisionDefinition', 'UpdateHistoryTimeToLive', 'decisionDefinitionKey', null, 'definitions-beverages', null],
        ['DecisionDefinition', 'UpdateHistoryTimeToLive', 'historyTimeToLive', '30', '4', null],
        ['ProcessDefinition', 'Delete', 'cascade', 'false', 'false', process.id],
        ['ProcessDefinition', 'UpdateHistoryTimeToLive', 'historyTimeToLive', '30', '3', process.id],
      ].sort());
    });
  });
});
