/** Specification of `/history/user-operation`: the audit trail of a scenario run by two users, its filters, sorting, paging and annotations. */
import { expect } from 'chai';
import { describeOnDatabases } from '../../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';
import { fixture, RestClient, type CallOptions } from '../../support/rest-client.js';

const USERS = new Map([['anna', 'anna-secret'], ['ben', 'ben-secret']]);

function as(user: string): CallOptions {
  return { headers: { Authorization: `Basic ${Buffer.from(`${user}:${USERS.get(user)}`).toString('base64')}` } };
}

/** What an entry says, without its generated ids and times. */
function summary(entry: any) {
  return [entry.userId, entry.operationType, entry.entityType, entry.category, entry.property, entry.orgValue, entry.newValue];
}

describeOnDatabases('server/routers/history-router user operations', (use) => {
  let engine: TestEngine;
  let rest: RestClient;
  let now: number;
  let deploymentId: string;
  let definitionId: string;
  let instance: string;
  let deleted: string;
  let taskId: string;

  /** Each operation a second later than the one before, so the log sorts by time. */
  async function step<T>(call: () => Promise<T>): Promise<T> {
    now += 1000;
    return call();
  }

  async function ok(res: Promise<{ status: number; text: string; body: any }>, status = 204) {
    const answer = await res;
    expect(answer.status, answer.text).to.equal(status);
    return answer.body;
  }

  before(async () => {
    now = Date.parse('2025-02-03T09:00:00.000Z');
    engine = createTestEngine(use(), { clock: { now: () => new Date(now) }, basicAuthUsers: USERS });
    rest = new RestClient(engine.app);
    const deployment = await ok(rest.deploy([{ name: 'differential-user-task.bpmn', content: fixture('bpmn/differential-user-task.bpmn') }], { 'deployment-name': 'audit' }, as('anna')), 200);
    deploymentId = deployment.id;
    definitionId = (Object.values(deployment.deployedProcessDefinitions) as any[])[0].id;

    const started = await step(() => ok(rest.post('/process-definition/key/differential-user-task/start', {
      variables: { diagnosis: { value: 'PATIENT-DIAGNOSIS-1', type: 'String' }, age: { value: 61, type: 'Integer' } },
    }, as('anna')), 200));
    instance = started.id;
    await step(() => ok(rest.post(`/process-instance/${instance}/variables`, { modifications: { diagnosis: { value: 'PATIENT-DIAGNOSIS-2', type: 'String' } }, deletions: ['age'] }, as('anna'))));
    await step(() => ok(rest.put(`/process-instance/${instance}/variables/note`, { value: 'PATIENT-NOTE', type: 'String' }, as('ben'))));
    await step(() => ok(rest.delete(`/process-instance/${instance}/variables/note`, as('ben'))));
    await step(() => ok(rest.put(`/process-instance/${instance}/suspended`, { suspended: true }, as('anna'))));
    await step(() => ok(rest.put(`/process-instance/${instance}/suspended`, { suspended: false }, as('anna'))));
    taskId = (await ok(rest.get(`/task?processInstanceId=${instance}`, as('ben')), 200))[0].id;
    await step(() => ok(rest.post(`/task/${taskId}/claim`, { userId: 'ben' }, as('ben'))));
    await step(() => ok(rest.put(`/task/${taskId}/localVariables/finding`, { value: 'PATIENT-FINDING', type: 'String' }, as('ben'))));
    await step(() => ok(rest.post(`/task/${taskId}/complete`, { variables: { approved: { value: true, type: 'Boolean' }, reason: { value: 'PATIENT-REASON', type: 'String' } } }, as('ben'))));
    deleted = (await step(() => ok(rest.post('/process-definition/key/differential-user-task/start', {}, as('ben')), 200))).id;
    await step(() => ok(rest.delete(`/process-instance/${deleted}`, as('anna'))));
  });

  it("should record each operation on an instance with its user, Camunda's operation and entity types and the changed properties", async () => {
    const entries = await ok(rest.get(`/history/user-operation?processInstanceId=${instance}&sortBy=timestamp&sortOrder=asc`, as('anna')), 200);

    expect(entries.map(summary)).to.deep.equal([
      ['anna', 'Create', 'ProcessInstance', 'Operator', null, null, null],
      ['anna', 'ModifyVariable', 'Variable', 'Operator', null, null, null],
      ['ben', 'SetVariable', 'Variable', 'Operator', null, null, null],
      ['ben', 'RemoveVariable', 'Variable', 'Operator', null, null, null],
      ['anna', 'Suspend', 'ProcessInstance', 'Operator', 'suspensionState', null, 'suspended'],
      ['anna', 'Activate', 'ProcessInstance', 'Operator', 'suspensionState', null, 'active'],
      ['ben', 'Claim', 'Task', 'TaskWorker', 'assignee', null, 'ben'],
      ['ben', 'SetVariable', 'Variable', 'TaskWorker', null, null, null],
      ['ben', 'Complete', 'Task', 'TaskWorker', 'delete', 'false', 'true'],
    ]);
    expect(new Set(entries.map((entry: any) => entry.operationId)).size).to.equal(entries.length);
    expect(entries[0]).to.include({
      processInstanceId: instance, rootProcessInstanceId: instance, processDefinitionId: definitionId, processDefinitionKey: 'differential-user-task',
      deploymentId, executionId: null, taskId: null, timestamp: '2025-02-03T09:00:01.000+0000', annotation: null,
    });
    expect(entries[8]).to.include({ taskId, executionId: instance, processInstanceId: instance });
  });

  it('should name the user who started an instance as its startUserId, and find its instances by startedBy, as Camunda does', async () => {
    const history = await ok(rest.get(`/history/process-instance/${instance}`, as('ben')), 200);
    expect(history.startUserId).to.equal('anna');
    expect((await ok(rest.get(`/history/process-instance?processInstanceId=${instance}&startedBy=anna`, as('ben')), 200)).map((entry: any) => entry.id)).to.deep.equal([instance]);
    expect(await ok(rest.post('/history/process-instance/count', { processInstanceId: instance, startedBy: 'ben' }, as('ben')), 200)).to.deep.equal({ count: 0 });
  });

  it('should give the entries of an instance the removal time of its history once it ended', async () => {
    const entries = await ok(rest.get(`/history/user-operation?processInstanceId=${instance}`, as('anna')), 200);
    const [history] = await ok(rest.get(`/history/process-instance?processInstanceId=${instance}`, as('anna')), 200);

    expect(history.removalTime).to.be.a('string');
    expect(entries.map((entry: any) => entry.removalTime)).to.deep.equal(entries.map(() => history.removalTime));
  });

  it('should record the deletion of an instance by the user who deleted it', async () => {
    const entries = await ok(rest.get(`/history/user-operation?processInstanceId=${deleted}&sortBy=timestamp&sortOrder=asc`, as('anna')), 200);

    expect(entries.map(summary)).to.deep.equal([
      ['ben', 'Create', 'ProcessInstance', 'Operator', null, null, null],
      ['anna', 'Delete', 'ProcessInstance', 'Operator', null, null, null],
    ]);
  });

  it('should never record a variable value (nor a name): the log holds no patient data', async () => {
    const res = await rest.get('/history/user-operation', as('anna'));
    const rows = await engine.ctx.database.knex('hist_user_operation_log').select('*');

    expect(rows.length).to.be.greaterThan(10);
    for (const text of [res.text, JSON.stringify(rows)]) {
      expect(text).not.to.match(/PATIENT-|diagnosis|finding|reason|"note"/);
    }
  });

  it('should filter by user, operation, entity type, category, property, task and time, and count alike', async () => {
    const cases: Array<[string, number]> = [
      ['userId=ben', 6],
      ['userId=anna&processInstanceId=' + instance, 4],
      ['operationType=Claim', 1],
      ['entityType=Variable', 4],
      ['entityTypeIn=Task,ProcessInstance', 7],
      ['category=TaskWorker', 3],
      ['categoryIn=TaskWorker,Admin', 3],
      ['property=suspensionState', 2],
      [`taskId=${taskId}`, 3],
      [`deploymentId=${deploymentId}&processDefinitionKey=differential-user-task`, 11],
      [`processDefinitionId=${definitionId}&executionId=${instance}`, 3],
      ['afterTimestamp=2025-02-03T09:00:05.000%2B0000&beforeTimestamp=2025-02-03T09:00:08.000%2B0000', 2],
      ['caseInstanceId=any', 0],
      ['jobId=none', 0],
    ];
    for (const [query, expected] of cases) {
      const list = await ok(rest.get(`/history/user-operation?${query}`, as('anna')), 200);
      const count = await ok(rest.get(`/history/user-operation/count?${query}`, as('anna')), 200);
      expect(list, query).to.have.length(expected);
      expect(count, query).to.deep.equal({ count: expected });
    }
  });

  it('should sort by timestamp both ways and page with firstResult and maxResults', async () => {
    const ascending = await ok(rest.get('/history/user-operation?sortBy=timestamp&sortOrder=asc', as('anna')), 200);
    const descending = await ok(rest.get('/history/user-operation?sortBy=timestamp&sortOrder=desc', as('anna')), 200);
    const page = await ok(rest.get('/history/user-operation?sortBy=timestamp&sortOrder=asc&firstResult=2&maxResults=3', as('anna')), 200);

    expect(ascending.map((entry: any) => entry.timestamp)).to.deep.equal([...descending].reverse().map((entry: any) => entry.timestamp));
    expect(ascending[0].operationType).to.equal('Create');
    expect(descending[0].operationType).to.equal('Delete');
    expect(page.map((entry: any) => entry.id)).to.deep.equal(ascending.slice(2, 5).map((entry: any) => entry.id));
  });

  it("should refuse an unknown sort key, a lone sortBy and a malformed date as Camunda does", async () => {
    const unknownSort = await rest.get('/history/user-operation?sortBy=userId&sortOrder=asc', as('anna'));
    const loneSort = await rest.get('/history/user-operation?sortBy=timestamp', as('anna'));
    const badDate = await rest.get('/history/user-operation/count?afterTimestamp=yesterday', as('anna'));

    expect(unknownSort.status).to.equal(400);
    expect(unknownSort.body).to.include({ type: 'InvalidRequestException', message: "Cannot set query parameter 'sortBy' to value 'userId'" });
    expect(loneSort.status).to.equal(400);
    expect(loneSort.body.message).to.equal('Only a single sorting parameter specified. sortBy and sortOrder required');
    expect(badDate.status).to.equal(400);
    expect(badDate.body).to.include({ type: 'InvalidRequestException' });
    expect(badDate.body.message).to.match(/^Cannot set query parameter 'afterTimestamp' to value 'yesterday'/);
  });

  it('should annotate all entries of an operation, clear the annotation again, and record both', async () => {
    const [claim] = await ok(rest.get('/history/user-operation?operationType=Claim', as('anna')), 200);

    await step(() => ok(rest.put(`/history/user-operation/${claim.operationId}/set-annotation`, { annotation: 'Checked by compliance' }, as('anna'))));
    const annotated = await ok(rest.get(`/history/user-operation?operationId=${claim.operationId}`, as('anna')), 200);
    await step(() => ok(rest.put(`/history/user-operation/${claim.operationId}/clear-annotation`, {}, as('anna'))));
    const cleared = await ok(rest.get(`/history/user-operation?operationId=${claim.operationId}`, as('anna')), 200);
    await step(() => ok(rest.put(`/history/user-operation/${claim.operationId}/set-annotation`, { annotation: 'Checked again' }, as('anna'))));
    // Setting no annotation clears it, and Operaton records it as clearing.
    await step(() => ok(rest.put(`/history/user-operation/${claim.operationId}/set-annotation`, {}, as('anna'))));
    const setToNothing = await ok(rest.get(`/history/user-operation?operationId=${claim.operationId}`, as('anna')), 200);
    const records = await ok(rest.get('/history/user-operation?entityType=OperationLog&sortBy=timestamp&sortOrder=asc', as('anna')), 200);

    expect(annotated[0].annotation).to.equal('Checked by compliance');
    expect(cleared[0].annotation).to.equal(null);
    expect(setToNothing[0].annotation).to.equal(null);
    expect(records.map(summary)).to.deep.equal([
      ['anna', 'SetAnnotation', 'OperationLog', 'Operator', 'operationId', null, claim.operationId],
      ['anna', 'ClearAnnotation', 'OperationLog', 'Operator', 'operationId', null, claim.operationId],
      ['anna', 'SetAnnotation', 'OperationLog', 'Operator', 'operationId', null, claim.operationId],
      ['anna', 'ClearAnnotation', 'OperationLog', 'Operator', 'operationId', null, claim.operationId],
    ]);
  });

  it('should answer an annotation of an unknown operation with 400 BadUserRequestException', async () => {
    const set = await rest.put('/history/user-operation/nope/set-annotation', { annotation: 'x' }, { ...as('anna'), undocumentedStatus: 400 });
    const clear = await rest.put('/history/user-operation/nope/clear-annotation', {}, { ...as('anna'), undocumentedStatus: 400 });

    for (const res of [set, clear]) {
      expect(res.status).to.equal(400);
      expect(res.body).to.deep.equal({ type: 'BadUserRequestException', message: 'operation is null', code: 0 });
    }
  });
});
