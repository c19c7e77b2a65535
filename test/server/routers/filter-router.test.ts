/** Specification of `/filter`: Tasklist's saved task queries, kept, listed and run as `GET /task` runs its query. */
import { expect } from 'chai';
import request from 'supertest';
import { describeOnDatabases } from '../../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';
import { RestClient } from '../../support/rest-client.js';

const EMPTY_LISTS = { taskVariables: [], processVariables: [], caseInstanceVariables: [], orQueries: [] };

describeOnDatabases('filter router', (use) => {
  let engine: TestEngine;
  let rest: RestClient;
  const tasks: Record<string, string> = {};

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    await rest.deployFixture('differential-filters.bpmn');
    // given two instances, each with a "Review claim" (group reviewers) and a "Check documents" (user clerk) task
    for (const businessKey of ['F-1', 'F-2']) {
      const started = await rest.post('/process-definition/key/differential-filters/start', { businessKey });
      expect(started.status, started.text).to.equal(200);
      for (const task of (await rest.get(`/task?processInstanceId=${started.body.id}`)).body) tasks[`${businessKey}:${task.name}`] = task.id;
    }
    expect((await rest.post(`/task/${tasks['F-1:Review claim']}/claim`, { userId: 'demo' })).status).to.equal(204);
  });

  after(async () => {
    await engine?.fetchAndLockWaiter.close();
  });

  async function create(name: string, query: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<string> {
    const created = await rest.post('/filter/create', { resourceType: 'Task', name, query, ...extra });
    expect(created.status, created.text).to.equal(200);
    return created.body.id;
  }

  const OURS = { processDefinitionKey: 'differential-filters' };

  it('should keep process and task variable conditions, run them as GET /task does, and merge an extension\'s, as Camunda does', async () => {
    // given a third instance with an amount of 900, and one of its tasks marked urgent
    const started = await rest.post('/process-definition/key/differential-filters/start', { businessKey: 'F-3', variables: { amount: { value: 900, type: 'Integer' } } });
    expect(started.status, started.text).to.equal(200);
    const [checkTask] = (await rest.get(`/task?processInstanceId=${started.body.id}&sortBy=name&sortOrder=asc`)).body;
    expect((await rest.put(`/task/${checkTask.id}/localVariables/urgent`, { value: true, type: 'Boolean' })).status).to.equal(204);
    const processVariables = [{ name: 'amount', operator: 'gteq', value: 100 }];

    // when
    const big = await create('Big', { ...OURS, processVariables });
    const urgent = await create('Urgent', { ...OURS, taskVariables: [{ name: 'urgent', operator: 'eq', value: true }] });

    // then
    expect((await rest.get(`/filter/${big}`)).body.query).to.deep.equal({ ...OURS, ...EMPTY_LISTS, processVariables });
    expect((await rest.get(`/filter/${big}/list`)).body.map((task: { processInstanceId: string }) => task.processInstanceId)).to.deep.equal([started.body.id, started.body.id]);
    expect((await rest.get(`/filter/${urgent}/list`)).body.map((task: { id: string }) => task.id)).to.deep.equal([checkTask.id]);
    // an extension's condition joins the stored one (same name and operator: it replaces it)
    expect((await rest.post(`/filter/${big}/count`, { processVariables: [{ name: 'amount', operator: 'lt', value: 1000 }] })).body.count).to.equal(2);
    expect((await rest.post(`/filter/${big}/count`, { processVariables: [{ name: 'amount', operator: 'lt', value: 500 }] })).body.count).to.equal(0);
    const huge = await create('Huge', { ...OURS, processVariables: [{ name: 'amount', operator: 'gteq', value: 1000 }] });
    expect((await rest.get(`/filter/${huge}/count`)).body.count).to.equal(0);
    expect((await rest.post(`/filter/${huge}/count`, { processVariables })).body.count).to.equal(2);
    for (const id of [big, urgent, huge]) await rest.delete(`/filter/${id}`);
    expect((await rest.delete(`/process-instance/${started.body.id}`)).status).to.equal(204);
  });

  it('should create a filter and answer it as Camunda does: only the set query properties, the variable lists always', async () => {
    const created = await rest.post('/filter/create', {
      resourceType: 'Task',
      name: 'Review',
      owner: 'demo',
      query: { candidateGroup: 'reviewers', includeAssignedTasks: true, unassigned: false, unknownProperty: 1, sorting: [{ sortBy: 'created', sortOrder: 'desc' }] },
      properties: { color: '#3366ff', priority: 5 },
    });
    expect(created.status, created.text).to.equal(200);
    const expected = {
      id: created.body.id,
      resourceType: 'Task',
      name: 'Review',
      owner: 'demo',
      query: { candidateGroup: 'reviewers', includeAssignedTasks: true, ...EMPTY_LISTS, sorting: [{ sortBy: 'created', sortOrder: 'desc' }] },
      properties: { color: '#3366ff', priority: 5 },
    };
    expect(created.body).to.deep.equal(expected);
    expect((await rest.get(`/filter/${created.body.id}`)).body).to.deep.equal(expected);
    await rest.delete(`/filter/${created.body.id}`);
  });

  it('should list, sort, page and count filters, with each one\'s item count when asked', async () => {
    const mine = await create('List mine', { ...OURS, assignee: 'demo' }, { owner: 'demo' });
    const open = await create('List open', { ...OURS, unassigned: true }, { owner: 'anna' });
    const names = await rest.get('/filter?nameLike=List%25&sortBy=name&sortOrder=desc');
    expect(names.body.map((filter: { name: string }) => filter.name)).to.deep.equal(['List open', 'List mine']);
    expect(names.body[0]).to.not.have.property('itemCount');
    const counted = await rest.get('/filter?nameLike=List%25&sortBy=name&sortOrder=asc&itemCount=true');
    expect(counted.body.map((filter: { itemCount: number }) => filter.itemCount)).to.deep.equal([1, 3]);
    expect((await rest.get(`/filter/${open}?itemCount=true`)).body.itemCount).to.equal(3);
    expect((await rest.get('/filter?owner=anna')).body.map((filter: { id: string }) => filter.id)).to.deep.equal([open]);
    expect((await rest.get(`/filter?filterId=${mine}&resourceType=Task`)).body).to.have.length(1);
    expect((await rest.get('/filter?nameLike=List%25&sortBy=name&sortOrder=asc&firstResult=1&maxResults=5')).body.map((filter: { id: string }) => filter.id)).to.deep.equal([open]);
    expect((await rest.get('/filter/count?nameLike=List%25')).body).to.deep.equal({ count: 2 });
    expect((await rest.get('/filter?sortBy=color&sortOrder=asc')).body.message).to.equal("Cannot set query parameter 'sortBy' to value 'color'");
    await rest.delete(`/filter/${mine}`);
    await rest.delete(`/filter/${open}`);
  });

  it('should run the stored query as GET /task does, paged and sorted as stored', async () => {
    const id = await create('Run', { ...OURS, sorting: [{ sortBy: 'name', sortOrder: 'asc' }, { sortBy: 'id', sortOrder: 'asc' }] });
    const all = await rest.get(`/filter/${id}/list`);
    const viaTask = await rest.get('/task?processDefinitionKey=differential-filters&sortBy=name&sortOrder=asc');
    expect(all.body.map((task: { name: string }) => task.name)).to.deep.equal(['Check documents', 'Check documents', 'Review claim', 'Review claim']);
    expect(new Set(all.body.map((task: { id: string }) => task.id))).to.deep.equal(new Set(viaTask.body.map((task: { id: string }) => task.id)));
    expect(all.body[0]).to.deep.equal(viaTask.body.find((task: { id: string }) => task.id === all.body[0].id));
    expect((await rest.get(`/filter/${id}/list?firstResult=1&maxResults=2`)).body.map((task: { id: string }) => task.id)).to.deep.equal(all.body.slice(1, 3).map((task: { id: string }) => task.id));
    expect((await rest.get(`/filter/${id}/count`)).body).to.deep.equal({ count: 4 });
    await rest.delete(`/filter/${id}`);
  });

  it('should extend the stored query by a POST body: its properties win, and its sorting orders what the stored one leaves tied', async () => {
    const id = await create('Extend', { ...OURS, name: 'Review claim', sorting: [{ sortBy: 'name', sortOrder: 'asc' }] });
    const extended = await rest.post(`/filter/${id}/list`, { processInstanceBusinessKey: 'F-2' });
    expect(extended.body.map((task: { id: string }) => task.id)).to.deep.equal([tasks['F-2:Review claim']]);
    expect((await rest.post(`/filter/${id}/count`, { name: 'Check documents' })).body).to.deep.equal({ count: 2 });
    expect((await rest.post(`/filter/${id}/count`, {})).body).to.deep.equal({ count: 2 });
    const resorted = await rest.post(`/filter/${id}/list`, { name: 'Check documents', sorting: [{ sortBy: 'id', sortOrder: 'desc' }] });
    expect(resorted.body.map((task: { id: string }) => task.id)).to.deep.equal([tasks['F-1:Check documents'], tasks['F-2:Check documents']].sort().reverse());
    const badSort = await rest.post(`/filter/${id}/list`, { sorting: [{ sortBy: 'color', sortOrder: 'asc' }] }, { undocumentedStatus: 400 });
    expect(badSort.body).to.deep.equal({ type: 'NotValidException', message: 'You should call any of the orderBy methods first before specifying a direction: currentOrderingProperty is null', code: 0 });
    expect((await rest.post(`/filter/${id}/count`, { sorting: [{ sortBy: 'color', sortOrder: 'asc' }] }, { undocumentedStatus: 400 })).body.message).to.equal('Filter cannot be extended by an invalid query');
    await rest.delete(`/filter/${id}`);
  });

  it('should answer a single result, nothing (204) for none, and 400 for several', async () => {
    const id = await create('Single', { ...OURS, assignee: 'demo' });
    const single = await rest.get(`/filter/${id}/singleResult`);
    expect(single.status).to.equal(200);
    expect(single.body.id).to.equal(tasks['F-1:Review claim']);
    expect((await rest.post(`/filter/${id}/singleResult`, { name: 'Check documents' })).status).to.equal(204);
    // an extension's null sets nothing (Camunda's TaskQuery.extend keeps the stored assignee)
    expect((await rest.post(`/filter/${id}/singleResult`, { assignee: null })).body.id).to.equal(tasks['F-1:Review claim']);
    const all = await create('Several', OURS);
    const several = await rest.get(`/filter/${all}/singleResult`);
    expect(several.status).to.equal(400);
    expect(several.body).to.deep.equal({ type: 'InvalidRequestException', message: 'Filter does not returns a valid single result', code: 0 });
    await rest.delete(`/filter/${id}`);
    await rest.delete(`/filter/${all}`);
  });

  it('should update a filter\'s name, owner, query and properties, and refuse another resource type', async () => {
    const id = await create('Before', OURS, { properties: { color: 'red' } });
    expect((await rest.put(`/filter/${id}`, { name: 'After', owner: 'anna', query: { ...OURS, candidateUser: 'clerk' } })).status).to.equal(204);
    expect((await rest.get(`/filter/${id}`)).body).to.deep.equal({
      id, resourceType: 'Task', name: 'After', owner: 'anna', query: { ...OURS, candidateUser: 'clerk', ...EMPTY_LISTS }, properties: {},
    });
    expect((await rest.get(`/filter/${id}/count`)).body).to.deep.equal({ count: 2 });
    const other = await rest.put(`/filter/${id}`, { resourceType: 'ProcessInstance', name: 'x', query: {} });
    expect([other.status, other.body.message]).to.deep.equal([400, "Unable to update filter from resource type 'Task' to 'ProcessInstance'"]);
    const unnamed = await rest.put(`/filter/${id}`, { name: null, query: {} });
    expect([unnamed.status, unnamed.body.message]).to.deep.equal([400, 'Unable to update filter with invalid content']);
    expect((await rest.get(`/filter/${id}`)).body.name).to.equal('After');
    await rest.delete(`/filter/${id}`);
  });

  it('should refuse what Camunda refuses, with its messages, and keep nothing', async () => {
    const before = (await rest.get('/filter/count')).body.count;
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ resourceType: 'ProcessInstance', name: 'x', query: {} }, 400, "Unable to create filter with invalid resource type 'ProcessInstance'"],
      [{ name: 'x', query: {} }, 400, "Unable to create filter with invalid resource type 'null'"],
      [{ resourceType: 'Task', query: {} }, 400, 'Unable to create filter with invalid content'],
      [{ resourceType: 'Task', name: '', query: {} }, 400, 'Unable to create filter with invalid content'],
      [{ resourceType: 'Task', name: 'x' }, 400, 'Unable to create filter with invalid content'],
      [{ resourceType: 'Task', name: 'x', query: { sorting: [{ sortBy: 'color', sortOrder: 'asc' }] } }, 400, 'Unable to create filter with invalid content'],
      [{ resourceType: 'Task', name: 'x', query: { priority: 'high' } }, 400, "Property 'query.priority' must be an integer, got a string."],
      [{ resourceType: 'Task', name: 'x', query: { tenantIdIn: ['a'], withoutTenantId: true } }, 500, 'Invalid query usage: cannot set both tenantIdIn and withoutTenantId filters.'],
      [{ resourceType: 'Task', name: 'x', query: { candidateGroups: ['a'], candidateUser: 'u' } }, 500, 'Invalid query usage: cannot set both candidateGroupIn and candidateUser'],
      // Properties this engine's task query cannot run: refused rather than ignored, so a filter never shows more than it says.
      [{ resourceType: 'Task', name: 'x', query: { dueBefore: '2026-01-01T00:00:00.000+0000' } }, 400, "Unable to create filter with invalid content: the task query property 'dueBefore' is not supported by this engine"],
      // Camunda echoes these when a filter is saved but does not keep them: its filter then matches case-sensitively.
      [{ resourceType: 'Task', name: 'x', query: { processVariables: [{ name: 'amount', operator: 'bogus', value: 1 }] } }, 400, 'Invalid process variable comparator specified: bogus'],
      [{ resourceType: 'Task', name: 'x', query: { taskVariables: [{ name: 'urgent', operator: 'gt', value: true }] } }, 500, "Booleans and null cannot be used in 'greater than' condition"],
      [{ resourceType: 'Task', name: 'x', query: { variableValuesIgnoreCase: true } }, 400, "Unable to create filter with invalid content: the task query property 'variableValuesIgnoreCase' is not supported by this engine"],
      [{ resourceType: 'Task', name: 'x', query: { assigneeExpression: '${now()}' } }, 400, "Unable to create filter with invalid content: 'assigneeExpression' must be ${currentUser()}"],
      // Text PostgreSQL cannot keep in JSON is refused before anything is written.
      [{ resourceType: 'Task', name: 'x', query: {}, properties: { 'a\u0000b': 1 } }, 400, "Property 'properties' holds text PostgreSQL cannot store as JSON: a NUL character (\\u0000) or an unpaired surrogate."],
      [{ resourceType: 'Task', name: 'x', query: { assignee: '\ud800' } }, 400, "Property 'query' holds text PostgreSQL cannot store as JSON: a NUL character (\\u0000) or an unpaired surrogate."],
    ];
    for (const [body, status, message] of cases) {
      const answer = await rest.post('/filter/create', body, { undocumentedStatus: status });
      expect([answer.status, answer.body.message], JSON.stringify(body)).to.deep.equal([status, message]);
    }
    // The variable lists and flags Camunda echoes for unset properties come back on a PUT: they are no refusal.
    const id = await create('Echoed', { ...OURS, ...EMPTY_LISTS, variableNamesIgnoreCase: false, withoutDueDate: null });
    expect((await rest.get('/filter/count')).body.count).to.equal(before + 1);
    await rest.delete(`/filter/${id}`);
  });

  it('should answer 404 for a filter that does not exist, whatever the operation', async () => {
    const message = "Filter with id 'nope' does not exist.";
    for (const answer of [
      await rest.get('/filter/nope'),
      await rest.put('/filter/nope', { name: 'x', query: {} }),
      await rest.delete('/filter/nope'),
      await rest.get('/filter/nope/list'),
      await rest.post('/filter/nope/count', {}),
      await rest.get('/filter/nope/singleResult'),
    ]) {
      expect([answer.status, answer.body]).to.deep.equal([404, { type: 'InvalidRequestException', message, code: 0 }]);
    }
  });

  it('should describe the operations on /filter and /filter/{id} (OPTIONS)', async () => {
    const base = await request(engine.app).options('/engine-rest/filter').set('Host', 'engine.example');
    const href = (path: string) => `http://engine.example/engine-rest${path}`;
    expect(base.body).to.deep.equal({ links: [
      { method: 'GET', href: href('/filter'), rel: 'list' }, { method: 'GET', href: href('/filter/count'), rel: 'count' }, { method: 'POST', href: href('/filter/create'), rel: 'create' },
    ] });
    const one = await request(engine.app).options('/engine-rest/filter/f1').set('Host', 'engine.example');
    expect(one.body.links.map((link: { method: string; rel: string }) => `${link.method} ${link.rel}`)).to.deep.equal([
      'GET self', 'GET singleResult', 'POST singleResult', 'GET list', 'POST list', 'GET count', 'POST count', 'DELETE delete', 'PUT update',
    ]);
    expect(one.body.links[3].href).to.equal(href('/filter/f1/list'));
  });

  describe('with ${currentUser()} and ${currentUserGroups()}', () => {
    let secured: RestClient;
    const anna = { Authorization: `Basic ${Buffer.from('anna:anna-pw').toString('base64')}` };

    before(async () => {
      const admin = { Authorization: `Basic ${Buffer.from('root:root-pw').toString('base64')}` };
      const securedEngine = createTestEngine(use(), { basicAuthUsers: new Map([['root', 'root-pw']]) });
      secured = new RestClient(securedEngine.app, '/engine-rest', admin);
      expect((await secured.post('/user/create', { profile: { id: 'anna' }, credentials: { password: 'anna-pw' } })).status).to.equal(204);
      expect((await secured.post('/group/create', { id: 'reviewers', name: 'Reviewers' })).status).to.equal(204);
      expect((await secured.put('/group/reviewers/members/anna', {})).status).to.equal(204);
      expect((await secured.post(`/task/${tasks['F-2:Review claim']}/claim`, { userId: 'anna' })).status).to.equal(204);
    });

    after(async () => {
      await secured.post(`/task/${tasks['F-2:Review claim']}/unclaim`, {});
    });

    it('should resolve them to the authenticated user and their groups when the filter runs', async () => {
      const assigned = await create('My tasks', { ...OURS, assigneeExpression: '${currentUser()}' });
      const grouped = await create('My group tasks', { ...OURS, candidateGroupsExpression: '${currentUserGroups()}', includeAssignedTasks: true });
      expect((await secured.get(`/filter/${assigned}`)).body.query).to.deep.equal({ ...OURS, assigneeExpression: '${currentUser()}', ...EMPTY_LISTS });
      expect((await secured.get(`/filter/${assigned}/list`, { headers: anna })).body.map((task: { id: string }) => task.id)).to.deep.equal([tasks['F-2:Review claim']]);
      expect((await secured.get(`/filter/${grouped}/count`, { headers: anna })).body).to.deep.equal({ count: 2 });
      await rest.delete(`/filter/${assigned}`);
      await rest.delete(`/filter/${grouped}`);
    });

    it('should fail the query as Camunda does when nobody is authenticated', async () => {
      const id = await create('Nobody', { assigneeExpression: '${currentUser()}' });
      const message = "Unable to invoke method 'taskAssignee' on class 'org.camunda.bpm.engine.impl.TaskQueryImpl'";
      for (const answer of [await rest.get(`/filter/${id}/list`, { undocumentedStatus: 500 }), await rest.get(`/filter/${id}/count`, { undocumentedStatus: 500 }), await rest.get(`/filter/${id}?itemCount=true`, { undocumentedStatus: 500 })]) {
        expect([answer.status, answer.body]).to.deep.equal([500, { type: 'ProcessEngineException', message, code: 0 }]);
      }
      expect((await rest.get(`/filter/${id}/singleResult`)).body.message).to.equal('Filter does not returns a valid single result');
      await rest.delete(`/filter/${id}`);
    });
  });
});
