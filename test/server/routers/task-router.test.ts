/** Specification of `/task`: queries, claiming and assignment, completion, (local) variables and form variables. */
import { expect } from 'chai';
import { describeOnDatabases } from '../../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';
import { RestClient } from '../../support/rest-client.js';
import { checksumTables } from '../../support/table-checksum.js';

describeOnDatabases('task router', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    await rest.deployFixture('task-router.bpmn');
    await rest.deployFixture('single-user-task.bpmn');
  });

  /** Starts an instance and returns it with its (only) open task. */
  async function startWithTask(key = 'task-router', body: Record<string, unknown> = {}): Promise<{ instanceId: string; task: any }> {
    const started = await rest.post(`/process-definition/key/${key}/start`, body);
    expect(started.status, started.text).to.equal(200);
    const tasks = await rest.get(`/task?processInstanceId=${started.body.id}`);
    expect(tasks.body).to.have.length(1);
    return { instanceId: started.body.id, task: tasks.body[0] };
  }

  describe('queries', () => {
    const t: Record<string, string> = {};
    const pi: Record<string, string> = {};

    before(async () => {
      // a: Prepare offer, claimed by anna; b: Prepare offer, unassigned; c: moved on to Send offer; d: another process
      for (const [name, key] of [['a', 'task-router'], ['b', 'task-router'], ['c', 'task-router'], ['d', 'single-user-task']]) {
        const { instanceId, task } = await startWithTask(key, { businessKey: `tq-${name}` });
        pi[name] = instanceId;
        t[name] = task.id;
      }
      expect((await rest.post(`/task/${t.a}/claim`, { userId: 'anna' })).status).to.equal(204);
      expect((await rest.post(`/task/${t.c}/complete`, {})).status).to.equal(204);
      t.c = (await rest.get(`/task?processInstanceId=${pi.c}`)).body[0].id;
    });

    it('should filter by every documented criterion, with /count agreeing', async () => {
      const cases: Array<[string, string[]]> = [
        ['assignee=anna', [t.a]],
        ['candidateUser=carl', [t.b]],
        ['candidateUser=carl&includeAssignedTasks=true', [t.a, t.b]],
        ['candidateGroup=sales', [t.b]],
        ['candidateGroup=sales&includeAssignedTasks=true', [t.a, t.b]],
        ['candidateGroup=mailroom', [t.c]],
        ['candidateGroups=accounting,mailroom', [t.b, t.c]],
        ['candidateGroups=accounting,mailroom&includeAssignedTasks=true', [t.a, t.b, t.c]],
        ['unassigned=true', [t.b, t.c, t.d]],
        [`processInstanceId=${pi.c}`, [t.c]],
        ['processInstanceBusinessKey=tq-b', [t.b]],
        ['processDefinitionKey=single-user-task', [t.d]],
        ['taskDefinitionKey=Task_Send', [t.c]],
        ['name=Prepare%20offer', [t.a, t.b]],
        ['nameLike=%25offer', [t.a, t.b, t.c]],
        ['candidateUser=nobody', []],
      ];
      for (const [query, expected] of cases) {
        const scoped = `${query}&processInstanceBusinessKeyLike=tq-%25`;
        const list = await rest.get(`/task?${scoped}`);
        const count = await rest.get(`/task/count?${scoped}`);
        expect(list.status, query).to.equal(200);
        expect(list.body.map((task: any) => task.id).sort(), query).to.deep.equal([...expected].sort());
        expect(count.body, query).to.deep.equal({ count: expected.length });
      }
    });

    it('should answer the POST query variant like the GET one', async () => {
      const body = { candidateGroups: ['accounting', 'mailroom'], processInstanceBusinessKeyLike: 'tq-%', sorting: [{ sortBy: 'name', sortOrder: 'desc' }] };

      const list = await rest.post('/task', body);
      const count = await rest.post('/task/count', body);

      expect(list.body.map((task: any) => task.name)).to.deep.equal(['Send offer', 'Prepare offer']);
      expect(count.body).to.deep.equal({ count: 2 });
    });

    it('should filter by the values of process variables and of task-local variables, each only of its own scope', async () => {
      // given: b's instance has a process variable, a's task a local one
      expect((await rest.put(`/process-instance/${pi.b}/variables/region`, { value: 'north', type: 'String' })).status).to.equal(204);
      expect((await rest.put(`/task/${t.a}/localVariables/score`, { value: 7, type: 'Integer' })).status).to.equal(204);
      const scoped = { processInstanceBusinessKeyLike: 'tq-%' };
      const cases: Array<[Record<string, unknown>, string[]]> = [
        [{ processVariables: [{ name: 'region', operator: 'eq', value: 'north' }] }, [t.b]],
        [{ processVariables: [{ name: 'REGION', operator: 'like', value: 'NO%' }], variableNamesIgnoreCase: true, variableValuesIgnoreCase: true }, [t.b]],
        [{ taskVariables: [{ name: 'score', operator: 'gteq', value: 7 }] }, [t.a]],
        [{ taskVariables: [{ name: 'region', operator: 'eq', value: 'north' }] }, []],
        [{ processVariables: [{ name: 'score', operator: 'eq', value: 7 }] }, []],
      ];
      for (const [query, expected] of cases) {
        const list = await rest.post('/task', { ...query, ...scoped });
        const count = await rest.post('/task/count', { ...query, ...scoped });
        expect(list.body.map((task: any) => task.id).sort(), JSON.stringify(query)).to.deep.equal([...expected].sort());
        expect(count.body, JSON.stringify(query)).to.deep.equal({ count: expected.length });
      }
      expect((await rest.get('/task/count?processInstanceBusinessKeyLike=tq-%25&processVariables=region_eq_north')).body).to.deep.equal({ count: 1 });
    });

    it('should refuse an unknown comparator with 400 and a boolean in an ordering comparison with 500, as Operaton\'s task query does', async () => {
      const comparator = await rest.post('/task/count', { taskVariables: [{ name: 'score', operator: 'about', value: 7 }] });
      const ordering = await rest.post('/task/count', { processVariables: [{ name: 'score', operator: 'gt', value: true }] }, { undocumentedStatus: 500 });

      expect([comparator.status, comparator.body]).to.deep.equal([400, { type: 'InvalidRequestException', message: 'Invalid task variable comparator specified: about', code: 0 }]);
      expect([ordering.status, ordering.body]).to.deep.equal([500, { type: 'ProcessEngineException', message: "Booleans and null cannot be used in 'greater than' condition", code: 0 }]);
    });

    it('should refuse a POST query whose sorting is not a list, or whose body is not an object, with 400', async () => {
      const sorting = await rest.post('/task', { sorting: { sortBy: 'name', sortOrder: 'desc' } });
      const list = await rest.post('/task/count', [{ name: 'Send offer' }]);

      expect(sorting.status).to.equal(400);
      expect(sorting.body).to.deep.equal({ type: 'InvalidRequestException', message: "Property 'sorting' must be an array, got an object.", code: 0 });
      expect(list.body).to.deep.equal({ type: 'InvalidRequestException', message: 'The request body must be an object, got an array.', code: 0 });
    });

    it('should get one task with its attributes', async () => {
      const res = await rest.get(`/task/${t.a}`);

      expect(res.status).to.equal(200);
      expect(res.body).to.include({ id: t.a, name: 'Prepare offer', assignee: 'anna', taskDefinitionKey: 'Task_Prepare', processInstanceId: pi.a, suspended: false });
      expect(res.body.created).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$/);
    });

    it('should answer an unknown task with 404', async () => {
      const res = await rest.get('/task/X');

      expect(res.status).to.equal(404);
      expect(res.body).to.deep.equal({ type: 'InvalidRequestException', message: 'No matching task with id X', code: 0 });
    });
  });

  describe('identity links', () => {
    it('should list candidate users and groups, then the assignee (Operaton\'s order), and filter them by type', async () => {
      const { task } = await startWithTask();
      await rest.post(`/task/${task.id}/claim`, { userId: 'u1' });

      const all = await rest.get(`/task/${task.id}/identity-links`);
      const candidates = await rest.get(`/task/${task.id}/identity-links?type=candidate`);
      const assignee = await rest.get(`/task/${task.id}/identity-links?type=assignee`);

      expect(all.status).to.equal(200);
      expect(all.body).to.deep.equal([
        { userId: 'carl', groupId: null, type: 'candidate' },
        { userId: null, groupId: 'sales', type: 'candidate' },
        { userId: null, groupId: 'accounting', type: 'candidate' },
        { userId: 'u1', groupId: null, type: 'assignee' },
      ]);
      expect(candidates.body).to.have.length(3);
      expect(assignee.body).to.deep.equal([{ userId: 'u1', groupId: null, type: 'assignee' }]);
    });

    it('should answer an unknown task as Camunda does: 500 NullValueException', async () => {
      const res = await rest.get('/task/X/identity-links', { undocumentedStatus: 500 });

      expect(res.status).to.equal(500);
      expect(res.body).to.deep.equal({ type: 'NullValueException', message: 'Cannot find task with id X: task is null', code: 0 });
    });
  });

  describe('claiming and assignment', () => {
    it('should let a user claim, re-claim, and unclaim; another user gets TaskAlreadyClaimedException', async () => {
      // given
      const { task } = await startWithTask();

      // when / then
      expect((await rest.post(`/task/${task.id}/claim`, { userId: 'u1' })).status).to.equal(204);
      expect((await rest.get(`/task/${task.id}`)).body.assignee).to.equal('u1');

      const byOther = await rest.post(`/task/${task.id}/claim`, { userId: 'u2' });
      expect(byOther.status).to.equal(500);
      expect(byOther.body).to.deep.equal({ type: 'TaskAlreadyClaimedException', message: `Task '${task.id}' is already claimed by someone else.`, code: 0 });
      expect((await rest.get(`/task/${task.id}`)).body.assignee).to.equal('u1');

      expect((await rest.post(`/task/${task.id}/claim`, { userId: 'u1' })).status).to.equal(204);
      expect((await rest.post(`/task/${task.id}/unclaim`)).status).to.equal(204);
      expect((await rest.get(`/task/${task.id}`)).body.assignee).to.equal(null);
    });

    it('should set the assignee with /assignee even over a claim, and clear it with null', async () => {
      const { task } = await startWithTask();
      await rest.post(`/task/${task.id}/claim`, { userId: 'u1' });

      expect((await rest.post(`/task/${task.id}/assignee`, { userId: 'u3' })).status).to.equal(204);
      expect((await rest.get(`/task/${task.id}`)).body.assignee).to.equal('u3');
      expect((await rest.post(`/task/${task.id}/assignee`, { userId: null })).status).to.equal(204);
      expect((await rest.get(`/task/${task.id}`)).body.assignee).to.equal(null);
    });

    it('should move taskState from Created to Updated, with lastUpdated, when the task is claimed', async () => {
      const { task } = await startWithTask();
      expect(task).to.include({ taskState: 'Created', lastUpdated: null });

      expect((await rest.post(`/task/${task.id}/claim`, { userId: 'u1' })).status).to.equal(204);

      const claimed = (await rest.get(`/task/${task.id}`)).body;
      expect(claimed.taskState).to.equal('Updated');
      expect(claimed.lastUpdated).to.match(/^\d{4}-\d{2}-\d{2}T/);
    });

    it('should count a change of task-local variables as an update, but not one of the instance variables', async () => {
      const { task } = await startWithTask();

      await rest.put(`/task/${task.id}/variables/onInstance`, { value: 1, type: 'Integer' });
      expect((await rest.get(`/task/${task.id}`)).body.taskState).to.equal('Created');
      await rest.put(`/task/${task.id}/localVariables/onTask`, { value: 2, type: 'Integer' });
      expect((await rest.get(`/task/${task.id}`)).body.taskState).to.equal('Updated');
    });

    it('should answer complete and claim on an unknown task with 500, unclaim and assignee with 400 (as Operaton), and change nothing', async () => {
      // Operaton answers 400 for unclaim and assignee, which the OpenAPI does not list.
      const OPERATON_400 = { undocumentedStatus: 400 };
      const before = await checksumTables(use().knex);

      const complete = await rest.post('/task/X/complete', {});
      const claim = await rest.post('/task/X/claim', { userId: 'u1' });
      const unclaim = await rest.post('/task/X/unclaim', undefined, OPERATON_400);
      const assignee = await rest.post('/task/X/assignee', { userId: 'u1' }, OPERATON_400);

      expect(complete.status).to.equal(500);
      expect(complete.body).to.deep.equal({ type: 'RestException', message: 'Cannot complete task X: Cannot find task with id X: task is null', code: 0 });
      expect(claim.status).to.equal(500);
      expect(claim.body).to.deep.equal({ type: 'NullValueException', message: 'Cannot find task with id X: task is null', code: 0 });
      for (const res of [unclaim, assignee]) {
        expect(res.status).to.equal(400);
        expect(res.body).to.deep.equal({ type: 'NotFoundException', message: 'Cannot find task with id X: task is null', code: 0 });
      }
      expect(await checksumTables(use().knex)).to.equal(before);
    });

    it('should refuse a userId that is not a string, and variables that are not a map, with 400 and change nothing', async () => {
      // Camunda's Jackson refuses these with 400, which the OpenAPI does not list for claim and assignee.
      const JACKSON_400 = { undocumentedStatus: 400 };
      const { task } = await startWithTask();
      const before = await checksumTables(use().knex);

      const claim = await rest.post(`/task/${task.id}/claim`, { userId: ['anna'] }, JACKSON_400);
      const assignee = await rest.post(`/task/${task.id}/assignee`, { userId: { name: 'anna' } }, JACKSON_400);
      const complete = await rest.post(`/task/${task.id}/complete`, { variables: [{ name: 'x', value: 1 }] }, JACKSON_400);
      const deletions = await rest.post(`/task/${task.id}/localVariables`, { deletions: 'x' }, JACKSON_400);

      expect([claim, assignee, complete, deletions].map((res) => res.status)).to.deep.equal([400, 400, 400, 400]);
      expect(claim.body).to.deep.equal({ type: 'InvalidRequestException', message: "Property 'userId' must be a string, got an array.", code: 0 });
      expect(assignee.body.message).to.equal("Property 'userId' must be a string, got an object.");
      expect(complete.body.message).to.equal("Property 'variables' must be an object, got an array.");
      expect(deletions.body.message).to.equal("Property 'deletions' must be an array, got a string.");
      expect(await checksumTables(use().knex)).to.equal(before);
    });
  });

  describe('completion', () => {
    it('should complete a task, record it in history and create the next task', async () => {
      // given
      const { instanceId, task } = await startWithTask();

      // when
      const res = await rest.post(`/task/${task.id}/complete`, { variables: { offer: { value: 'ready', type: 'String' } } });

      // then
      expect(res.status).to.equal(204);
      expect((await rest.get(`/task/${task.id}`)).status).to.equal(404);
      const open = (await rest.get(`/task?processInstanceId=${instanceId}`)).body;
      expect(open.map((x: any) => x.taskDefinitionKey)).to.deep.equal(['Task_Send']);
      expect((await rest.get(`/process-instance/${instanceId}/variables/offer`)).body).to.deep.equal({ type: 'String', value: 'ready', valueInfo: {} });
    });

    it('should return the instance variables on complete with withVariablesInReturn', async () => {
      const { task } = await startWithTask('task-router', { variables: { a: { value: 1, type: 'Integer' } } });

      const res = await rest.post(`/task/${task.id}/complete`, { variables: { b: { value: 'x', type: 'String' } }, withVariablesInReturn: true });

      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.equal('application/json');
      expect(res.body).to.deep.equal({ a: { type: 'Integer', value: 1, valueInfo: {} }, b: { type: 'String', value: 'x', valueInfo: {} } });
    });

    it('should return Object variables serialized on complete with withVariablesInReturn', async () => {
      const { task } = await startWithTask();
      const order = { type: 'Object', value: '{"id":7}', valueInfo: { objectTypeName: 'com.example.Order', serializationDataFormat: 'application/json' } };

      const res = await rest.post(`/task/${task.id}/complete`, { variables: { order }, withVariablesInReturn: true });

      expect(res.status).to.equal(200);
      expect(res.body.order).to.deep.equal(order);
    });

    it('should refuse a bad variable on complete with 400 and leave the task open', async () => {
      const { task } = await startWithTask();
      const before = await checksumTables(use().knex);

      const res = await rest.post(`/task/${task.id}/complete`, { variables: { n: { value: 'abc', type: 'Integer' } } });

      expect(res.status).to.equal(400);
      expect(res.body.message).to.equal(`Cannot complete task ${task.id}: Cannot convert value 'abc' of type 'Integer' to java type java.lang.Integer`);
      expect(await checksumTables(use().knex)).to.equal(before);
    });

    it('should complete a task only once when two completes race: one 204, one clear 500', async () => {
      // given
      const { instanceId, task } = await startWithTask();

      // when (on PGlite, with its one session, the two serialize; the outcome must be the same)
      const results = await Promise.all([rest.post(`/task/${task.id}/complete`, {}), rest.post(`/task/${task.id}/complete`, {})]);

      // then
      expect(results.map((r) => r.status).sort()).to.deep.equal([204, 500]);
      const failed = results.find((r) => r.status === 500)!;
      expect(failed.body.message).to.equal(`Cannot complete task ${task.id}: Cannot find task with id ${task.id}: task is null`);
      const history = (await rest.get(`/history/activity-instance?processInstanceId=${instanceId}&sortBy=occurrence&sortOrder=asc`)).body;
      expect(history.map((a: any) => [a.activityId, a.endTime !== null])).to.deep.equal([['StartEvent_1', true], ['Task_Prepare', true], ['Task_Send', false]]);
      const open = (await rest.get(`/task?processInstanceId=${instanceId}`)).body;
      expect(open.map((x: any) => x.taskDefinitionKey)).to.deep.equal(['Task_Send']);
      expect(engine.warnings.filter((w) => w.startsWith('error:'))).to.deep.equal([]);
    });
  });

  describe('variables', () => {
    it('should keep local variables on the task, invisible as instance variables', async () => {
      // given
      const { instanceId, task } = await startWithTask('task-router', { variables: { shared: { value: 'instance', type: 'String' } } });

      // when
      const res = await rest.post(`/task/${task.id}/localVariables`, { modifications: { note: { value: 'local only', type: 'String' } } });

      // then
      expect(res.status).to.equal(204);
      expect((await rest.get(`/task/${task.id}/localVariables`)).body).to.deep.equal({ note: { type: 'String', value: 'local only', valueInfo: {} } });
      expect((await rest.get(`/task/${task.id}/variables`)).body).to.deep.equal({
        note: { type: 'String', value: 'local only', valueInfo: {} },
        shared: { type: 'String', value: 'instance', valueInfo: {} },
      });
      expect((await rest.get(`/task/${task.id}/localVariables/note`)).body).to.deep.equal({ type: 'String', value: 'local only', valueInfo: {} });
      expect(Object.keys((await rest.get(`/process-instance/${instanceId}/variables`)).body)).to.deep.equal(['shared']);
    });

    it('should write non-local task variables to the instance', async () => {
      const { instanceId, task } = await startWithTask();

      expect((await rest.put(`/task/${task.id}/variables/decision`, { value: true, type: 'Boolean' })).status).to.equal(204);
      expect((await rest.post(`/task/${task.id}/variables`, { modifications: { count: { value: 2, type: 'Integer' } } })).status).to.equal(204);

      expect((await rest.get(`/process-instance/${instanceId}/variables`)).body).to.deep.equal({
        count: { type: 'Integer', value: 2, valueInfo: {} },
        decision: { type: 'Boolean', value: true, valueInfo: {} },
      });
      expect((await rest.get(`/task/${task.id}/localVariables`)).body).to.deep.equal({});
    });

    it('should delete a local variable and answer a missing one with 404', async () => {
      const { task } = await startWithTask();
      await rest.put(`/task/${task.id}/localVariables/tmp`, { value: 1, type: 'Integer' });

      expect((await rest.delete(`/task/${task.id}/localVariables/tmp`)).status).to.equal(204);
      const missing = await rest.get(`/task/${task.id}/localVariables/tmp`);

      expect(missing.status).to.equal(404);
      expect(missing.body.type).to.equal('InvalidRequestException');
    });

    it('should answer the variables of an unknown task with 500, as documented', async () => {
      const all = await rest.get('/task/X/variables');
      const local = await rest.get('/task/X/localVariables');
      const one = await rest.get('/task/X/variables/a');

      for (const res of [all, local]) {
        expect(res.status).to.equal(500);
        expect(res.body).to.deep.equal({ type: 'NullValueException', message: "task X doesn't exist: task is null", code: 0 });
      }
      expect(one.status).to.equal(500);
      expect(one.body).to.deep.equal({ type: 'RestException', message: "Cannot get task variable a: task X doesn't exist: task is null", code: 0 });
    });

    it('should refuse to write the variables of an unknown task with 500 naming the call, as Operaton does, and change nothing', async () => {
      const before = await checksumTables(use().knex);

      const put = await rest.put('/task/X/variables/a', { value: 1, type: 'Integer' });
      const modify = await rest.post('/task/X/localVariables', { modifications: { a: { value: 1, type: 'Integer' } } });
      const remove = await rest.delete('/task/X/variables/a');

      expect([put, modify, remove].map((res) => [res.status, res.body])).to.deep.equal([
        [500, { type: 'RestException', message: "Cannot put task variable a: task X doesn't exist: task is null", code: 0 }],
        [500, { type: 'RestException', message: "Cannot modify variables for task X: task X doesn't exist: task is null", code: 0 }],
        [500, { type: 'RestException', message: 'Cannot delete task variable a: Cannot find task with id X: task is null', code: 0 }],
      ]);
      expect(await checksumTables(use().knex)).to.equal(before);
    });

    it('should refuse a value of the wrong type without naming the task, as Operaton does', async () => {
      const { task } = await startWithTask();

      const res = await rest.post(`/task/${task.id}/variables`, { modifications: { a: { value: 'many', type: 'Integer' } } });

      expect([res.status, res.body]).to.deep.equal([400, { type: 'InvalidRequestException', message: "Cannot modify variables for task: Cannot convert value 'many' of type 'Integer' to java type java.lang.Integer", code: 0 }]);
    });

    it('should return the form variables as a map, narrowed by variableNames', async () => {
      const { task } = await startWithTask('task-router', { variables: { a: { value: 1, type: 'Integer' }, b: { value: 'two', type: 'String' }, c: { value: null, type: 'Null' } } });

      const all = await rest.get(`/task/${task.id}/form-variables`);
      const some = await rest.get(`/task/${task.id}/form-variables?variableNames=a,c`);

      expect(all.status).to.equal(200);
      expect(Object.keys(all.body).sort()).to.deep.equal(['a', 'b', 'c']);
      expect(some.body).to.deep.equal({ a: { type: 'Integer', value: 1, valueInfo: {} }, c: { type: 'Null', value: null, valueInfo: {} } });
    });

    it('should answer the form variables of an unknown task with 400, as Camunda', async () => {
      const res = await rest.get('/task/X/form-variables', { undocumentedStatus: 400 });

      expect(res.status).to.equal(400);
      expect(res.body).to.deep.equal({ type: 'BadUserRequestException', message: "Cannot find task with id 'X'.: task is null", code: 0 });
    });
  });
});
