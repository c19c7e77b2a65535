/**
 * SQL metacharacters in every filter and sort parameter of the list endpoints: the answer is a 200 with no rows
 * leaked or a 4xx Camunda error body, and no table changes.
 */
import { expect } from 'chai';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { RestClient } from '../support/rest-client.js';
import { checksumTables } from '../support/table-checksum.js';

const PAYLOADS = ["' OR 1=1 --", '"; drop table task; --', '%', '\\', '\\\\', '$1', "x'); delete from variable; --"];

type Kind = 'string' | 'like' | 'list' | 'notIn' | 'boolean' | 'integer' | 'date';

interface Endpoint {
  path: string;
  params: Record<string, Kind>;
  sortBy: string;
}

const TENANT: Record<string, Kind> = { tenantIdIn: 'list', withoutTenantId: 'boolean' };

const ENDPOINTS: Endpoint[] = [
  {
    path: '/deployment',
    params: { id: 'string', name: 'string', nameLike: 'like', source: 'string', withoutSource: 'boolean', after: 'date', before: 'date', ...TENANT },
    sortBy: 'name',
  },
  {
    path: '/process-definition',
    params: {
      processDefinitionId: 'string', processDefinitionIdIn: 'list', key: 'string', keysIn: 'list', keyLike: 'like', name: 'string', nameLike: 'like',
      deploymentId: 'string', version: 'integer', latestVersion: 'boolean', versionTag: 'string', versionTagLike: 'like', resourceName: 'string',
      suspended: 'boolean', active: 'boolean', ...TENANT,
    },
    sortBy: 'key',
  },
  {
    path: '/process-instance',
    params: {
      processInstanceIds: 'list', businessKey: 'string', businessKeyLike: 'like', processDefinitionId: 'string', processDefinitionKey: 'string',
      processDefinitionKeyIn: 'list', processDefinitionKeyNotIn: 'notIn', deploymentId: 'string', superProcessInstance: 'string',
      rootProcessInstances: 'boolean', active: 'boolean', suspended: 'boolean', activityIdIn: 'list', ...TENANT,
    },
    sortBy: 'businessKey',
  },
  {
    path: '/task',
    params: {
      taskId: 'string', taskIdIn: 'list', processInstanceId: 'string', processInstanceIdIn: 'list', processInstanceBusinessKey: 'string',
      processInstanceBusinessKeyLike: 'like', processDefinitionId: 'string', processDefinitionKey: 'string', processDefinitionKeyIn: 'list',
      taskDefinitionKey: 'string', taskDefinitionKeyIn: 'list', name: 'string', nameLike: 'like', assignee: 'string', assigneeIn: 'list',
      assigneeLike: 'like', assigned: 'boolean', unassigned: 'boolean', candidateUser: 'string', candidateGroup: 'string', candidateGroups: 'list',
      withCandidateGroups: 'boolean', withoutCandidateGroups: 'boolean', includeAssignedTasks: 'boolean', priority: 'integer', minPriority: 'integer',
      maxPriority: 'integer', active: 'boolean', suspended: 'boolean', ...TENANT,
    },
    sortBy: 'name',
  },
  {
    path: '/history/process-instance',
    params: {
      processInstanceId: 'string', processInstanceIds: 'list', processInstanceBusinessKey: 'string', processInstanceBusinessKeyLike: 'like',
      processDefinitionId: 'string', processDefinitionKey: 'string', processDefinitionKeyIn: 'list', processDefinitionName: 'string',
      finished: 'boolean', unfinished: 'boolean', state: 'string', startedBefore: 'date', startedAfter: 'date', finishedBefore: 'date',
      finishedAfter: 'date', superProcessInstanceId: 'string', rootProcessInstances: 'boolean', ...TENANT,
    },
    sortBy: 'businessKey',
  },
  {
    path: '/history/activity-instance',
    params: {
      activityInstanceId: 'string', processInstanceId: 'string', processDefinitionId: 'string', activityId: 'string', activityName: 'string',
      activityType: 'string', taskAssignee: 'string', finished: 'boolean', unfinished: 'boolean', canceled: 'boolean', completeScope: 'boolean',
      startedBefore: 'date', startedAfter: 'date', finishedBefore: 'date', finishedAfter: 'date', ...TENANT,
    },
    sortBy: 'activityId',
  },
  {
    path: '/history/variable-instance',
    params: {
      variableName: 'string', variableNameLike: 'like', processInstanceId: 'string', processInstanceIdIn: 'list', processDefinitionId: 'string',
      processDefinitionKey: 'string', taskIdIn: 'list', activityInstanceIdIn: 'list', variableTypeIn: 'list', includeDeleted: 'boolean', ...TENANT,
    },
    sortBy: 'variableName',
  },
];

/** Whether a 200 may legitimately return rows for this parameter and payload (LIKE wildcards, NOT IN). */
function mayMatchRows(kind: Kind, payload: string): boolean {
  return kind === 'notIn' || (kind === 'like' && payload.includes('%'));
}

describeOnDatabases('query safety', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    await rest.deployFixture('single-user-task.bpmn', { 'deployment-source': 'modeler' });
    // rows in every table: a running instance with a task and variables, and a completed one
    for (const businessKey of ['safe-1', 'safe-2']) {
      const res = await rest.post('/process-definition/key/single-user-task/start', { businessKey, variables: { v: { value: 'value', type: 'String' } } });
      expect(res.status).to.equal(200);
    }
    const [task] = (await rest.get('/task?processInstanceBusinessKey=safe-2')).body;
    await rest.post(`/task/${task.id}/assignee`, { userId: 'anna' });
    await rest.post(`/task/${task.id}/complete`, {});
  });

  /** Checks one answer: 200 with no rows leaked (and /count agreeing) or a 4xx Camunda error body. */
  async function expectSafe(path: string, query: string, rowsAllowed: boolean): Promise<void> {
    const label = `${path}?${query}`;
    const list = await rest.get(`${path}?${query}`);
    if (list.status === 200) {
      expect(list.body, label).to.be.an('array');
      if (!rowsAllowed) expect(list.body, label).to.deep.equal([]);
      const count = await rest.get(`${path}/count?${query}`);
      expect(count.status, label).to.equal(200);
      expect(count.body.count, label).to.equal(list.body.length);
      return;
    }
    expect(list.status, `${label}: ${list.text}`).to.be.within(400, 499);
    expect(list.body.type, label).to.be.a('string');
    expect(list.body.message, label).to.be.a('string');
  }

  for (const endpoint of ENDPOINTS) {
    it(`should neither leak rows nor change tables for metacharacters in every filter of ${endpoint.path}`, async () => {
      // given
      const before = await checksumTables(use().knex);

      // when / then
      for (const [param, kind] of Object.entries(endpoint.params)) {
        for (const payload of PAYLOADS) await expectSafe(endpoint.path, `${param}=${encodeURIComponent(payload)}`, mayMatchRows(kind, payload));
      }
      expect(await checksumTables(use().knex)).to.equal(before);
    });

    it(`should refuse metacharacters in sortBy and sortOrder of ${endpoint.path} with 400`, async () => {
      const before = await checksumTables(use().knex);

      for (const payload of PAYLOADS) {
        const bySortBy = await rest.get(`${endpoint.path}?sortBy=${encodeURIComponent(payload)}&sortOrder=asc`);
        const bySortOrder = await rest.get(`${endpoint.path}?sortBy=${endpoint.sortBy}&sortOrder=${encodeURIComponent(payload)}`);
        expect(bySortBy.status, payload).to.equal(400);
        expect(bySortBy.body.type).to.equal('InvalidRequestException');
        expect(bySortOrder.status, payload).to.equal(400);
      }
      expect(await checksumTables(use().knex)).to.equal(before);
    });

    it(`should refuse an unknown sortBy and a sortBy without sortOrder on ${endpoint.path}`, async () => {
      const unknown = await rest.get(`${endpoint.path}?sortBy=noSuchField&sortOrder=asc`);
      const alone = await rest.get(`${endpoint.path}?sortBy=${endpoint.sortBy}`);
      const orderAlone = await rest.get(`${endpoint.path}?sortOrder=asc`);

      expect(unknown.status).to.equal(400);
      expect(unknown.body).to.deep.equal({ type: 'InvalidRequestException', message: "Cannot set query parameter 'sortBy' to value 'noSuchField'", code: 0 });
      for (const res of [alone, orderAlone]) {
        expect(res.status).to.equal(400);
        expect(res.body).to.deep.equal({ type: 'InvalidRequestException', message: 'Only a single sorting parameter specified. sortBy and sortOrder required', code: 0 });
      }
    });
  }

  it('should match a trailing backslash in a LIKE filter literally, and an escaped % as a literal %', async () => {
    // given
    for (const name of ['C:\\dir\\', '100% sure', '100 percent']) {
      const res = await rest.deployFixture('single-user-task.bpmn', { 'deployment-name': name });
      expect(res.deploymentId).to.be.a('string');
    }

    // when
    const backslash = await rest.get(`/deployment?nameLike=${encodeURIComponent('C:%\\')}`);
    const percent = await rest.get(`/deployment?nameLike=${encodeURIComponent('100\\%%')}`);

    // then
    expect(backslash.body.map((d: any) => d.name)).to.deep.equal(['C:\\dir\\']);
    expect(percent.body.map((d: any) => d.name)).to.deep.equal(['100% sure']);
  });

  it('should treat metacharacters in the POST query body as data too', async () => {
    const before = await checksumTables(use().knex);

    for (const payload of PAYLOADS) {
      const tasks = await rest.post('/task', { name: payload, candidateGroups: [payload], sorting: [{ sortBy: 'name', sortOrder: 'asc' }] });
      const instances = await rest.post('/process-instance', { businessKey: payload, processInstanceIds: [payload] });
      expect(tasks.body, payload).to.deep.equal([]);
      expect(instances.body, payload).to.deep.equal([]);
    }
    const badSort = await rest.post('/task', { sorting: [{ sortBy: "name; drop table task", sortOrder: 'asc' }] });
    expect(badSort.status).to.equal(400);
    expect(await checksumTables(use().knex)).to.equal(before);
  });
});
