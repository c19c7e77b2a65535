/** Differential: filters (Tasklist's saved task queries) kept, listed, changed and run against one instance's tasks. */
import { describeAgainstOperaton, type Ids } from './engine-pair.js';

const OURS = { processDefinitionKey: 'differential-filters' };

describeAgainstOperaton('filters', (use) => {
  before(async () => {
    await use().ensureDeployed('bpmn/differential-filters.bpmn');
  });

  it('should start an instance with two open tasks and claim one, as Operaton does', async () => {
    await use().expectSame('POST', '/process-definition/key/differential-filters/start', { businessKey: 'FILTER-1' }, { remember: { filterInstance: (answer) => answer.body.id } });
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.filterInstance}&sortBy=name&sortOrder=asc`, undefined, {
      remember: { checkTask: (answer) => answer.body[0].id, reviewTask: (answer) => answer.body[1].id },
    });
    await use().expectSame('POST', (ids) => `/task/${ids.reviewTask}/claim`, { userId: 'demo' });
  });

  it('should create filters and answer them as Operaton does: the set query properties, unknown ones dropped', async () => {
    await use().expectSame('POST', '/filter/create', (ids: Ids) => ({
      resourceType: 'Task', name: 'Differential all', owner: 'demo',
      query: { ...OURS, processInstanceId: ids.filterInstance, unknownProperty: 1, unassigned: false, sorting: [{ sortBy: 'name', sortOrder: 'asc' }] },
      properties: { color: '#3366ff', priority: 5 },
    }), { remember: { allFilter: (answer) => answer.body.id } });
    await use().expectSame('POST', '/filter/create', (ids: Ids) => ({ resourceType: 'Task', name: 'Differential mine', query: { processInstanceId: ids.filterInstance, assignee: 'demo' } }), {
      remember: { mineFilter: (answer) => answer.body.id },
    });
    await use().expectSame('POST', '/filter/create', (ids: Ids) => ({
      resourceType: 'Task', name: 'Differential clerk', query: { processInstanceIdIn: [ids.filterInstance], candidateUser: 'clerk', includeAssignedTasks: true, minPriority: 0, maxPriority: 100 },
    }), { remember: { clerkFilter: (answer) => answer.body.id } });
    await use().expectSame('GET', (ids) => `/filter/${ids.allFilter}`);
    await use().expectSame('GET', (ids) => `/filter/${ids.mineFilter}?itemCount=true`);
  });

  it('should list, sort, page and count filters as Operaton does', async () => {
    await use().expectSame('GET', '/filter?nameLike=Differential%25&sortBy=name&sortOrder=asc&itemCount=true');
    await use().expectSame('GET', '/filter?nameLike=Differential%25&sortBy=name&sortOrder=desc&firstResult=1&maxResults=1');
    await use().expectSame('GET', '/filter?owner=demo&resourceType=Task&nameLike=Differential%25');
    await use().expectSame('GET', '/filter/count?nameLike=Differential%25');
    await use().expectSame('GET', '/filter?sortBy=color&sortOrder=asc');
  });

  it('should run a filter\'s query, paged, extended by a POST body, and as a single result, as Operaton does', async () => {
    await use().expectSame('GET', (ids) => `/filter/${ids.allFilter}/list`);
    await use().expectSame('GET', (ids) => `/filter/${ids.allFilter}/list?firstResult=1&maxResults=5`);
    await use().expectSame('GET', (ids) => `/filter/${ids.allFilter}/count`);
    await use().expectSame('POST', (ids) => `/filter/${ids.allFilter}/list`, { name: 'Review claim' });
    await use().expectSame('POST', (ids) => `/filter/${ids.allFilter}/list`, { sorting: [{ sortBy: 'name', sortOrder: 'desc' }] });
    await use().expectSame('POST', (ids) => `/filter/${ids.allFilter}/count`, { candidateGroup: 'reviewers', includeAssignedTasks: true });
    await use().expectSame('POST', (ids) => `/filter/${ids.allFilter}/list`, {});
    await use().expectSame('GET', (ids) => `/filter/${ids.clerkFilter}/list`);
    await use().expectSame('GET', (ids) => `/filter/${ids.mineFilter}/singleResult`);
    await use().expectSame('POST', (ids) => `/filter/${ids.mineFilter}/singleResult`, { name: 'Check documents' });
    await use().expectSame('GET', (ids) => `/filter/${ids.allFilter}/singleResult`);
  });

  it('should keep and run a filter on process and task variables as Operaton does', async () => {
    // given: a second instance whose amount differs
    await use().expectSame('POST', '/process-definition/key/differential-filters/start', { businessKey: 'FILTER-2', variables: { amount: { value: 900, type: 'Integer' }, region: { value: 'North', type: 'String' } } }, {
      remember: { bigInstance: (answer) => answer.body.id },
    });
    await use().expectSame('POST', (ids) => `/process-instance/${ids.filterInstance}/variables`, { modifications: { amount: { value: 40, type: 'Integer' }, region: { value: 'south', type: 'String' } } });
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.bigInstance}&sortBy=name&sortOrder=asc`, undefined, { remember: { bigCheckTask: (answer) => answer.body[0].id } });
    await use().expectSame('PUT', (ids) => `/task/${ids.bigCheckTask}/localVariables/urgent`, { value: true, type: 'Boolean' });

    // when
    await use().expectSame('POST', '/filter/create', {
      resourceType: 'Task', name: 'Differential big amounts',
      query: { processDefinitionKey: 'differential-filters', processVariables: [{ name: 'amount', operator: 'gteq', value: 100 }, { name: 'region', operator: 'eq', value: 'North' }], sorting: [{ sortBy: 'name', sortOrder: 'asc' }] },
    }, { remember: { bigFilter: (answer) => answer.body.id } });
    await use().expectSame('POST', '/filter/create', {
      resourceType: 'Task', name: 'Differential urgent', query: { processDefinitionKey: 'differential-filters', taskVariables: [{ name: 'urgent', operator: 'eq', value: true }] },
    }, { remember: { urgentFilter: (answer) => answer.body.id } });

    // then
    await use().expectSame('GET', (ids) => `/filter/${ids.bigFilter}?itemCount=true`);
    await use().expectSame('GET', (ids) => `/filter/${ids.bigFilter}/list`);
    await use().expectSame('GET', (ids) => `/filter/${ids.bigFilter}/count`);
    await use().expectSame('POST', (ids) => `/filter/${ids.bigFilter}/list`, { processVariables: [{ name: 'amount', operator: 'lt', value: 100 }] });
    await use().expectSame('GET', (ids) => `/filter/${ids.urgentFilter}?itemCount=true`);
    await use().expectSame('GET', (ids) => `/filter/${ids.urgentFilter}/list`);
    await use().expectSame('POST', (ids) => `/filter/${ids.urgentFilter}/count`, { taskVariables: [{ name: 'urgent', operator: 'eq', value: false }] });
    // an extension's condition with the name and operator of a stored one takes its place
    await use().expectSame('POST', '/filter/create', { resourceType: 'Task', name: 'Differential huge amounts', query: { processDefinitionKey: 'differential-filters', processVariables: [{ name: 'amount', operator: 'gteq', value: 1000 }] } }, {
      remember: { hugeFilter: (answer) => answer.body.id },
    });
    await use().expectSame('GET', (ids) => `/filter/${ids.hugeFilter}/count`);
    await use().expectSame('POST', (ids) => `/filter/${ids.hugeFilter}/count`, { processVariables: [{ name: 'amount', operator: 'gteq', value: 100 }] });
    for (const name of ['bigFilter', 'urgentFilter', 'hugeFilter']) await use().expectSame('DELETE', (ids) => `/filter/${ids[name]}`);
    await use().expectSame('DELETE', (ids) => `/process-instance/${ids.bigInstance}`);
  });

  it('should refuse invalid filters and extensions with Operaton\'s messages', async () => {
    await use().expectSame('POST', '/filter/create', { resourceType: 'ProcessInstance', name: 'x', query: {} });
    await use().expectSame('POST', '/filter/create', { name: 'x', query: {} });
    await use().expectSame('POST', '/filter/create', { resourceType: 'Task', query: {} });
    await use().expectSame('POST', '/filter/create', { resourceType: 'Task', name: 'x', query: { sorting: [{ sortBy: 'color', sortOrder: 'asc' }] } });
    await use().expectSame('POST', '/filter/create', { resourceType: 'Task', name: 'x', query: { tenantIdIn: ['a'], withoutTenantId: true } });
    await use().expectSame('POST', '/filter/create', { resourceType: 'Task', name: 'x', query: { candidateGroups: ['a'], candidateUser: 'u' } });
    await use().expectSame('POST', '/filter/create', { resourceType: 'Task', name: 'x', query: { processVariables: [{ name: 'amount', operator: 'bogus', value: 1 }] } });
    await use().expectSame('POST', '/filter/create', { resourceType: 'Task', name: 'x', query: { taskVariables: [{ name: 'urgent', operator: 'gt', value: true }] } });
    await use().expectSame('POST', (ids) => `/filter/${ids.allFilter}/list`, { sorting: [{ sortBy: 'color', sortOrder: 'asc' }] });
    await use().expectSame('POST', (ids) => `/filter/${ids.allFilter}/count`, { sorting: [{ sortBy: 'color', sortOrder: 'asc' }] });
    await use().expectSame('POST', (ids) => `/filter/${ids.allFilter}/singleResult`, { sorting: [{ sortBy: 'color', sortOrder: 'asc' }] });
  });

  it('should fail a ${currentUser()} filter without an authenticated user as Operaton does', async () => {
    await use().expectSame('POST', '/filter/create', { resourceType: 'Task', name: 'Differential current user', query: { assigneeExpression: '${currentUser()}' } }, {
      remember: { currentUserFilter: (answer) => answer.body.id },
    });
    await use().expectSame('GET', (ids) => `/filter/${ids.currentUserFilter}/list`);
    await use().expectSame('GET', (ids) => `/filter/${ids.currentUserFilter}/count`);
    await use().expectSame('GET', (ids) => `/filter/${ids.currentUserFilter}/singleResult`);
    await use().expectSame('DELETE', (ids) => `/filter/${ids.currentUserFilter}`);
  });

  it('should update and delete filters, and answer a missing one, as Operaton does', async () => {
    await use().expectSame('PUT', (ids) => `/filter/${ids.mineFilter}`, (ids: Ids) => ({ name: 'Differential renamed', owner: 'anna', query: { processInstanceId: ids.filterInstance, candidateGroup: 'reviewers' } }));
    await use().expectSame('GET', (ids) => `/filter/${ids.mineFilter}?itemCount=true`);
    await use().expectSame('PUT', (ids) => `/filter/${ids.mineFilter}`, { resourceType: 'ProcessInstance', name: 'x', query: {} });
    await use().expectSame('PUT', (ids) => `/filter/${ids.mineFilter}`, { name: null, query: {} });
    for (const name of ['allFilter', 'mineFilter', 'clerkFilter']) await use().expectSame('DELETE', (ids) => `/filter/${ids[name]}`);
    await use().expectSame('GET', (ids) => `/filter/${ids.allFilter}`);
    await use().expectSame('DELETE', (ids) => `/filter/${ids.allFilter}`);
    await use().expectSame('PUT', (ids) => `/filter/${ids.allFilter}`, { name: 'x', query: {} });
    await use().expectSame('GET', (ids) => `/filter/${ids.allFilter}/list`);
    await use().expectSame('POST', (ids) => `/filter/${ids.allFilter}/count`, {});
  });

  it('should describe the filter resources (OPTIONS) as Operaton does', async () => {
    await use().expectSame('OPTIONS', '/filter');
    await use().expectSame('OPTIONS', '/filter/some-filter');
  });

  it('should end the instance as Operaton does', async () => {
    await use().expectSame('DELETE', (ids) => `/process-instance/${ids.filterInstance}`);
  });
});
