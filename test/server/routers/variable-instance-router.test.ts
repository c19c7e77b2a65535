/** Specification of `/variable-instance`: runtime variables of every scope, queried, by id, and their binary content. */
import { expect } from 'chai';
import { describeOnDatabases } from '../../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';
import { RestClient } from '../../support/rest-client.js';

describeOnDatabases('variable instance router', (use) => {
  let engine: TestEngine;
  let rest: RestClient;
  let instance: string;
  let other: string;
  let task: { id: string; executionId: string };
  const ids: Record<string, string> = {};

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    await rest.deployFixture('differential-filters.bpmn');
    // given an instance with typed variables and a File, and a task-local variable on one of its tasks
    const started = await rest.post('/process-definition/key/differential-filters/start', {
      variables: {
        amount: { value: 10, type: 'Integer' },
        total: { value: 12.5, type: 'Double' },
        note: { value: 'Hello', type: 'String' },
        approved: { value: false, type: 'Boolean' },
        scan: { value: Buffer.from('%PDF-1.4').toString('base64'), type: 'File', valueInfo: { filename: 'scan.pdf', mimeType: 'application/pdf' } },
      },
    });
    instance = started.body.id;
    other = (await rest.post('/process-definition/key/differential-filters/start', { variables: { amount: { value: 99, type: 'Integer' } } })).body.id;
    task = (await rest.get(`/task?processInstanceId=${instance}&name=Review%20claim`)).body[0];
    expect((await rest.put(`/task/${task.id}/localVariables/comment`, { value: 'looks fine', type: 'String' })).status).to.equal(204);
    for (const variable of (await rest.get(`/variable-instance?processInstanceIdIn=${instance}`)).body) ids[variable.name] = variable.id;
  });

  after(async () => {
    await engine?.fetchAndLockWaiter.close();
  });

  async function names(query: string): Promise<string[]> {
    const answer = await rest.get(`/variable-instance?${query}`);
    expect(answer.status, answer.text).to.equal(200);
    return answer.body.map((variable: { name: string }) => variable.name);
  }

  it('should answer each variable with its scope: the instance for instance variables, the task and its execution for task variables', async () => {
    const all = await rest.get(`/variable-instance?processInstanceIdIn=${instance}&sortBy=variableName&sortOrder=asc`);
    const definitionId = (await rest.get(`/process-instance/${instance}`)).body.definitionId;
    expect(all.body.map((variable: { name: string }) => variable.name)).to.deep.equal(['amount', 'approved', 'comment', 'note', 'scan', 'total']);
    expect(all.body[0]).to.deep.equal({
      id: ids.amount, name: 'amount', type: 'Integer', value: 10, valueInfo: {}, processDefinitionId: definitionId, processInstanceId: instance,
      executionId: instance, caseInstanceId: null, caseExecutionId: null, taskId: null, batchId: null, activityInstanceId: instance, tenantId: null, errorMessage: null,
    });
    const comment = all.body[2];
    expect([comment.taskId, comment.executionId, comment.activityInstanceId]).to.deep.equal([task.id, task.executionId, (await rest.get(`/history/task?taskId=${task.id}`)).body[0].activityInstanceId]);
    expect(all.body[4]).to.include({ type: 'File', value: null });
    expect(all.body[4].valueInfo).to.deep.equal({ filename: 'scan.pdf', mimeType: 'application/pdf' });
    expect((await rest.get(`/variable-instance/count?processInstanceIdIn=${instance}`)).body).to.deep.equal({ count: 6 });
  });

  it('should filter by name, scope, task, execution and activity instance, and page', async () => {
    expect(await names(`processInstanceIdIn=${instance},${other}&variableName=amount`)).to.have.members(['amount', 'amount']);
    expect(await names(`processInstanceIdIn=${instance}&variableNameLike=%25o%25&sortBy=variableName&sortOrder=desc`)).to.deep.equal(['total', 'note', 'comment', 'approved', 'amount']);
    expect(await names(`taskIdIn=${task.id}`)).to.deep.equal(['comment']);
    expect(await names(`variableScopeIdIn=${task.id}`)).to.deep.equal(['comment']);
    expect(await names(`processInstanceIdIn=${instance}&executionIdIn=${task.executionId}`)).to.deep.equal(['comment']);
    expect(await names(`processInstanceIdIn=${instance}&variableScopeIdIn=${instance}&sortBy=variableName&sortOrder=asc`)).to.deep.equal(['amount', 'approved', 'note', 'scan', 'total']);
    expect(await names(`activityInstanceIdIn=${instance}&sortBy=variableName&sortOrder=asc&firstResult=1&maxResults=2`)).to.deep.equal(['approved', 'note']);
    expect(await names(`processInstanceIdIn=${instance}&caseInstanceIdIn=c1`)).to.deep.equal([]);
    const posted = await rest.post('/variable-instance?maxResults=1', { processInstanceIdIn: [instance], sorting: [{ sortBy: 'variableType', sortOrder: 'asc' }] });
    expect(posted.body.map((variable: { type: string }) => variable.type)).to.deep.equal(['Boolean']);
  });

  it('should compare values as Camunda does: a query string\'s values are strings, a JSON body\'s keep their type', async () => {
    const scoped = `processInstanceIdIn=${instance}`;
    expect(await names(`${scoped}&variableValues=note_eq_Hello`)).to.deep.equal(['note']);
    expect(await names(`${scoped}&variableValues=note_like_He%25`)).to.deep.equal(['note']);
    expect(await names(`${scoped}&variableValues=note_eq_hello&variableValuesIgnoreCase=true`)).to.deep.equal(['note']);
    expect(await names(`${scoped}&variableValues=NOTE_eq_Hello&variableNamesIgnoreCase=true`)).to.deep.equal(['note']);
    // "10" from a query string is a String: it matches no Integer
    expect(await names(`${scoped}&variableValues=amount_eq_10`)).to.deep.equal([]);
    const count = async (variableValues: unknown[]) => (await rest.post('/variable-instance/count', { processInstanceIdIn: [instance], variableValues })).body.count;
    expect(await count([{ name: 'amount', operator: 'eq', value: 10 }])).to.equal(1);
    expect(await count([{ name: 'amount', operator: 'gt', value: 9.5 }])).to.equal(1);
    expect(await count([{ name: 'total', operator: 'lteq', value: 12 }])).to.equal(0);
    expect(await count([{ name: 'approved', operator: 'eq', value: false }])).to.equal(1);
    expect(await count([{ name: 'amount', operator: 'neq', value: 10 }])).to.equal(0);
    // As Camunda, `neq` holds for a value of another type: the Integer 10 is not the String "10".
    expect(await count([{ name: 'amount', operator: 'neq', value: '10' }])).to.equal(1);
    expect(await count([{ name: 'approved', operator: 'neq', value: null }])).to.equal(1);
    const ordered = await rest.post('/variable-instance/count', { variableValues: [{ name: 'approved', operator: 'gt', value: true }] });
    expect([ordered.status, ordered.body]).to.deep.equal([400, { type: 'NotValidException', message: "Booleans and null cannot be used in 'greater than' condition", code: 0 }]);
    const bad = await rest.get(`/variable-instance?${scoped}&variableValues=amount_between_1`);
    expect([bad.status, bad.body.message]).to.deep.equal([400, 'Invalid variable comparator specified: between']);
    const malformed = await rest.get(`/variable-instance?${scoped}&variableValues=amount`);
    expect([malformed.status, malformed.body.message]).to.deep.equal([400, "Cannot set query parameter 'variableValues' to value 'amount': variable query parameter has to have format KEY_OPERATOR_VALUE."]);
    expect((await rest.get('/variable-instance?sortBy=name&sortOrder=asc')).body.message).to.equal("Cannot set query parameter 'sortBy' to value 'name'");
  });

  it('should answer one variable by id, and 404 for an unknown one', async () => {
    expect((await rest.get(`/variable-instance/${ids.note}`)).body).to.include({ id: ids.note, name: 'note', type: 'String', value: 'Hello' });
    const missing = await rest.get('/variable-instance/nope');
    expect([missing.status, missing.body]).to.deep.equal([404, { type: 'InvalidRequestException', message: "Variable instance with Id 'nope' does not exist.", code: 0 }]);
  });

  it('should stream a File\'s content with its type and name, and refuse content of a value that has none', async () => {
    const file = await rest.download(`/variable-instance/${ids.scan}/data`);
    expect(file.status).to.equal(200);
    expect(file.headers['content-type']).to.equal('application/pdf');
    expect(file.headers['content-disposition']).to.equal('attachment; filename="scan.pdf"');
    expect(file.bytes.toString()).to.equal('%PDF-1.4');
    const text = await rest.get(`/variable-instance/${ids.note}/data`, { undocumentedStatus: 400 });
    expect([text.status, text.body.message]).to.deep.equal([400, `Value of variable with id ${ids.note} is not a binary value.`]);
    expect((await rest.get('/variable-instance/nope/data')).status).to.equal(404);
  });

  it('should no longer list a deleted variable, nor any of an ended instance', async () => {
    expect((await rest.delete(`/process-instance/${other}/variables/amount`)).status).to.equal(204);
    expect(await names(`processInstanceIdIn=${other}`)).to.deep.equal([]);
    expect((await rest.delete(`/process-instance/${instance}`)).status).to.equal(204);
    expect(await names(`processInstanceIdIn=${instance}`)).to.deep.equal([]);
  });
});
