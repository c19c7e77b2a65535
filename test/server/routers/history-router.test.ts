/** Specification of `/history`: process, activity and variable instances with their states, times and counts. */
import { expect } from 'chai';
import { describeOnDatabases } from '../../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';
import { RestClient } from '../../support/rest-client.js';

describeOnDatabases('history router', (use) => {
  let engine: TestEngine;
  let rest: RestClient;
  let now: number;
  let completed: string;
  let active: string;
  let terminated: string;

  async function start(businessKey: string, variables: Record<string, unknown> = {}): Promise<string> {
    const res = await rest.post('/process-definition/key/single-user-task/start', { businessKey, variables });
    expect(res.status, res.text).to.equal(200);
    return res.body.id;
  }

  before(async () => {
    // a clock the test moves, so durations are exact
    now = Date.parse('2024-03-01T10:00:00.000Z');
    engine = createTestEngine(use(), { clock: { now: () => new Date(now) } });
    rest = new RestClient(engine.app);
    await rest.deployFixture('single-user-task.bpmn');

    completed = await start('hist-completed', { amount: { value: 7, type: 'Integer' }, temp: { value: 'x', type: 'String' } });
    active = await start('hist-active');
    terminated = await start('hist-terminated');
    now += 5000;
    await rest.delete(`/process-instance/${completed}/variables/temp`);
    const [task] = (await rest.get(`/task?processInstanceId=${completed}`)).body;
    expect((await rest.post(`/task/${task.id}/complete`, {})).status).to.equal(204);
    now += 1000;
    expect((await rest.delete(`/process-instance/${terminated}`)).status).to.equal(204);
    const [open] = (await rest.get(`/task?processInstanceId=${active}`)).body;
    expect((await rest.post(`/task/${open.id}/claim`, { userId: 'ann' })).status).to.equal(204);
  });

  describe('process instances', () => {
    it('should show a finished instance as COMPLETED with its end time and duration', async () => {
      const res = await rest.get(`/history/process-instance?processInstanceId=${completed}`);

      expect(res.status).to.equal(200);
      expect(res.body).to.have.length(1);
      expect(res.body[0]).to.include({
        id: completed, state: 'COMPLETED', businessKey: 'hist-completed', processDefinitionKey: 'single-user-task', processDefinitionVersion: 1,
        startTime: '2024-03-01T10:00:00.000+0000', endTime: '2024-03-01T10:00:05.000+0000', durationInMillis: 5000, startActivityId: 'StartEvent_1',
      });
    });

    it('should tell ACTIVE, COMPLETED and EXTERNALLY_TERMINATED apart with the state filter and /count', async () => {
      const expected: Record<string, string> = { ACTIVE: active, COMPLETED: completed, EXTERNALLY_TERMINATED: terminated };
      for (const [state, id] of Object.entries(expected)) {
        const list = await rest.get(`/history/process-instance?state=${state}&processInstanceBusinessKeyLike=hist-%25`);
        const count = await rest.get(`/history/process-instance/count?state=${state}&processInstanceBusinessKeyLike=hist-%25`);
        expect(list.body.map((p: any) => p.id), state).to.deep.equal([id]);
        expect(list.body[0].state).to.equal(state);
        expect(count.body, state).to.deep.equal({ count: 1 });
      }
      const [running] = (await rest.get(`/history/process-instance?processInstanceId=${active}`)).body;
      expect(running).to.include({ endTime: null, durationInMillis: null });
      const [ended] = (await rest.get(`/history/process-instance?processInstanceId=${terminated}`)).body;
      expect(ended).to.include({ endTime: '2024-03-01T10:00:06.000+0000', durationInMillis: 6000 });
    });

    it('should filter finished and unfinished instances', async () => {
      const finished = await rest.get('/history/process-instance?finished=true&processInstanceBusinessKeyLike=hist-%25&sortBy=businessKey&sortOrder=asc');
      const unfinished = await rest.get('/history/process-instance/count?unfinished=true&processInstanceBusinessKeyLike=hist-%25');

      expect(finished.body.map((p: any) => p.businessKey)).to.deep.equal(['hist-completed', 'hist-terminated']);
      expect(unfinished.body).to.deep.equal({ count: 1 });
    });

    it('should get one instance by id, as the list shows it', async () => {
      const one = await rest.get(`/history/process-instance/${completed}`);
      const list = await rest.get(`/history/process-instance?processInstanceId=${completed}`);

      expect(one.status).to.equal(200);
      expect(one.body).to.deep.equal(list.body[0]);
    });

    it('should answer an unknown id with 404 and Camunda\'s message', async () => {
      const res = await rest.get('/history/process-instance/nope');

      expect(res.status).to.equal(404);
      expect(res.body).to.deep.equal({ type: 'InvalidRequestException', message: 'Historic process instance with id nope does not exist', code: 0 });
    });

    it("should filter by Camunda's state flags in a POST body, refusing two of them with Camunda's message", async () => {
      const byFlag = async (flags: Record<string, boolean>) => (await rest.post('/history/process-instance', { processInstanceBusinessKeyLike: 'hist-%', ...flags })).body.map((p: any) => p.id);

      expect(await byFlag({ active: true })).to.deep.equal([active]);
      expect(await byFlag({ completed: true })).to.deep.equal([completed]);
      expect(await byFlag({ externallyTerminated: true })).to.deep.equal([terminated]);
      expect((await rest.post('/history/process-instance/count', { processInstanceBusinessKeyLike: 'hist-%', completed: false })).body).to.deep.equal({ count: 3 });
      const both = await rest.post('/history/process-instance/count', { active: true, completed: true });
      expect(both.status).to.equal(400);
      expect(both.body).to.deep.equal({ type: 'BadUserRequestException', message: 'Already querying for historic process instance with another state: ACTIVE is not empty', code: 0 });
    });

    it('should refuse an invalid state with 400', async () => {
      const res = await rest.get('/history/process-instance?state=DONE');
      const count = await rest.get('/history/process-instance/count?state=DONE');

      expect(res.status).to.equal(400);
      expect(res.body).to.deep.equal({ type: 'InvalidRequestException', message: "Cannot set query parameter 'state' to value 'DONE'", code: 0 });
      expect(count.status).to.equal(400);
    });
  });

  describe('activity instances', () => {
    it('should list the activities in order with start and end times and durations, /count agreeing', async () => {
      const list = await rest.get(`/history/activity-instance?processInstanceId=${completed}&sortBy=occurrence&sortOrder=asc`);
      const count = await rest.get(`/history/activity-instance/count?processInstanceId=${completed}`);

      expect(list.body.map((a: any) => [a.activityId, a.activityType, a.startTime, a.endTime, a.durationInMillis])).to.deep.equal([
        ['StartEvent_1', 'startEvent', '2024-03-01T10:00:00.000+0000', '2024-03-01T10:00:00.000+0000', 0],
        ['Task_Review', 'userTask', '2024-03-01T10:00:00.000+0000', '2024-03-01T10:00:05.000+0000', 5000],
        ['EndEvent_1', 'noneEndEvent', '2024-03-01T10:00:05.000+0000', '2024-03-01T10:00:05.000+0000', 0],
      ]);
      expect(list.body[1].taskId).to.be.a('string');
      expect(count.body).to.deep.equal({ count: 3 });
    });

    it('should show an open activity without end time and a cancelled one as canceled', async () => {
      const open = await rest.get(`/history/activity-instance?processInstanceId=${active}&unfinished=true`);
      const canceled = await rest.get(`/history/activity-instance?processInstanceId=${terminated}&canceled=true`);

      expect(open.body.map((a: any) => [a.activityId, a.endTime, a.durationInMillis])).to.deep.equal([['Task_Review', null, null]]);
      expect(canceled.body.map((a: any) => [a.activityId, a.canceled, a.durationInMillis])).to.deep.equal([['Task_Review', true, 6000]]);
    });
  });

  describe('variable instances', () => {
    it('should list the variables of an instance, hiding deleted ones unless includeDeleted=true', async () => {
      const visible = await rest.get(`/history/variable-instance?processInstanceId=${completed}`);
      const visibleCount = await rest.get(`/history/variable-instance/count?processInstanceId=${completed}`);
      const all = await rest.get(`/history/variable-instance?processInstanceId=${completed}&includeDeleted=true&sortBy=variableName&sortOrder=asc`);
      const allCount = await rest.get(`/history/variable-instance/count?processInstanceId=${completed}&includeDeleted=true`);

      expect(visible.body.map((v: any) => [v.name, v.type, v.value, v.state])).to.deep.equal([['amount', 'Integer', 7, 'CREATED']]);
      expect(visibleCount.body).to.deep.equal({ count: 1 });
      expect(all.body.map((v: any) => [v.name, v.state])).to.deep.equal([['amount', 'CREATED'], ['temp', 'DELETED']]);
      expect(allCount.body).to.deep.equal({ count: 2 });
    });

    it('should filter variables by name', async () => {
      const res = await rest.get('/history/variable-instance?variableName=amount');

      expect(res.body.map((v: any) => v.processInstanceId)).to.deep.equal([completed]);
    });

    it('should filter variables by type whatever the case of the type names, as Camunda does', async () => {
      for (const types of [['integer'], ['Integer', 'boolean'], ['INTEGER']]) {
        const res = await rest.post('/history/variable-instance', { processInstanceId: completed, variableTypeIn: types, includeDeleted: true });
        expect(res.body.map((v: any) => v.name), types.join()).to.deep.equal(['amount']);
      }
    });
  });

  describe('task instances', () => {
    it('should keep a completed task with its times, duration and reason "completed"', async () => {
      const res = await rest.get(`/history/task?processInstanceId=${completed}`);

      expect(res.status).to.equal(200);
      expect(res.body).to.have.length(1);
      expect(res.body[0]).to.include({
        name: 'Review request', taskDefinitionKey: 'Task_Review', processInstanceId: completed, processDefinitionKey: 'single-user-task',
        startTime: '2024-03-01T10:00:00.000+0000', endTime: '2024-03-01T10:00:05.000+0000', duration: 5000,
        deleteReason: 'completed', taskState: 'Completed',
      });
    });

    it('should show a task of a deleted instance as deleted and an open claimed one as Updated', async () => {
      const [deleted] = (await rest.get(`/history/task?processInstanceId=${terminated}`)).body;
      const [open] = (await rest.get(`/history/task?processInstanceId=${active}`)).body;

      expect(deleted).to.include({ deleteReason: 'deleted', taskState: 'Deleted', endTime: '2024-03-01T10:00:06.000+0000', duration: 6000 });
      expect(open).to.include({ assignee: 'ann', taskState: 'Updated', endTime: null, duration: null, deleteReason: null });
    });

    it('should filter by assignee, finished and unfinished, and sort and page, with /count agreeing', async () => {
      const scope = 'processDefinitionKey=single-user-task';
      const cases: Array<[string, string[]]> = [
        ['taskAssignee=ann', [active]],
        ['finished=true', [completed, terminated]],
        ['unfinished=true', [active]],
        [`taskId=${(await rest.get(`/history/task?processInstanceId=${active}`)).body[0].id}`, [active]],
      ];
      for (const [query, expected] of cases) {
        const list = await rest.get(`/history/task?${scope}&${query}`);
        const count = await rest.get(`/history/task/count?${scope}&${query}`);
        expect(list.body.map((t: any) => t.processInstanceId).sort(), query).to.deep.equal([...expected].sort());
        expect(count.body, query).to.deep.equal({ count: expected.length });
      }
      const byDuration = await rest.get(`/history/task?${scope}&finished=true&sortBy=duration&sortOrder=desc`);
      const paged = await rest.get(`/history/task?${scope}&finished=true&sortBy=duration&sortOrder=desc&firstResult=1&maxResults=1`);
      expect(byDuration.body.map((t: any) => t.duration)).to.deep.equal([6000, 5000]);
      expect(paged.body.map((t: any) => t.duration)).to.deep.equal([5000]);
    });

    it('should refuse sortBy without sortOrder with 400', async () => {
      const res = await rest.get('/history/task?sortBy=duration');

      expect(res.status).to.equal(400);
    });
  });

  it('should answer the POST variants of the history queries like the GET ones', async () => {
    const processes = await rest.post('/history/process-instance/count', { processInstanceIds: [completed, active] });
    const activities = await rest.post('/history/activity-instance/count', { processInstanceId: completed });
    const variables = await rest.post('/history/variable-instance/count', { processInstanceIdIn: [completed], includeDeleted: true });

    expect([processes.body.count, activities.body.count, variables.body.count]).to.deep.equal([2, 3, 2]);
  });

  describe("Camunda's further filters of the POST queries", () => {
    const SCOPE = { processInstanceBusinessKeyLike: 'hist-%' };
    const ids = async (path: string, body: Record<string, unknown>) => {
      const res = await rest.post(path, body);
      expect(res.status, res.text).to.equal(200);
      return res.body.map((row: any) => row.processInstanceId ?? row.id).sort();
    };

    it('should select historic process instances by business keys, ids, definition keys and names', async () => {
      expect(await ids('/history/process-instance', { processInstanceBusinessKeyIn: ['hist-completed', 'hist-active'] })).to.deep.equal([completed, active].sort());
      expect(await ids('/history/process-instance', { ...SCOPE, processInstanceIdNotIn: [completed, active] })).to.deep.equal([terminated]);
      expect(await ids('/history/process-instance', { ...SCOPE, processDefinitionKeyNotIn: ['single-user-task'] })).to.deep.equal([]);
      expect(await ids('/history/process-instance', { ...SCOPE, processDefinitionNameLike: 'Single user%' })).to.have.length(3);
    });

    it('should select historic process instances by an open or an ended activity', async () => {
      expect(await ids('/history/process-instance', { ...SCOPE, activeActivityIdIn: ['Task_Review'] })).to.deep.equal([active]);
      // A cancelled task's activity instance has ended too.
      expect(await ids('/history/process-instance', { ...SCOPE, executedActivityIdIn: ['Task_Review'] })).to.deep.equal([completed, terminated].sort());
    });

    it('should select historic process instances by their variables and by or-queries', async () => {
      expect(await ids('/history/process-instance', { ...SCOPE, variables: [{ name: 'amount', operator: 'gteq', value: 7 }] })).to.deep.equal([completed]);
      expect(await ids('/history/process-instance', { ...SCOPE, variables: [{ name: 'AMOUNT', operator: 'eq', value: 7 }], variableNamesIgnoreCase: true })).to.deep.equal([completed]);
      // A deleted variable no longer matches.
      expect(await ids('/history/process-instance', { ...SCOPE, variables: [{ name: 'temp', operator: 'eq', value: 'x' }] })).to.deep.equal([]);
      expect(await ids('/history/process-instance', { ...SCOPE, orQueries: [{ processInstanceBusinessKey: 'hist-active', processInstanceIds: [terminated] }] })).to.deep.equal([active, terminated].sort());
      expect(await ids('/history/process-instance', { ...SCOPE, unfinished: true, orQueries: [{ processInstanceBusinessKey: 'hist-completed', processInstanceIds: [terminated] }] })).to.deep.equal([]);
    });

    it('should select historic tasks by business keys, definition name, owner, process variables and or-queries', async () => {
      const tasks = (body: Record<string, unknown>) => ids('/history/task', { processDefinitionKey: 'single-user-task', ...body });
      expect(await tasks({ processInstanceBusinessKeyIn: ['hist-completed', 'hist-terminated'] })).to.deep.equal([completed, terminated].sort());
      expect(await tasks({ processDefinitionName: 'Single user task', processInstanceBusinessKeyLike: 'hist-%' })).to.have.length(3);
      expect(await tasks({ processInstanceBusinessKeyLike: 'hist-%', taskOwnerLike: '%' })).to.deep.equal([]);
      expect(await tasks({ processVariables: [{ name: 'amount', operator: 'lt', value: 10 }] })).to.deep.equal([completed]);
      expect(await tasks({ processInstanceBusinessKeyLike: 'hist-%', orQueries: [{ taskAssignee: 'ann', finished: true }] })).to.have.length(3);
      expect(await tasks({ processInstanceBusinessKeyLike: 'hist-%', orQueries: [{ taskAssignee: 'ann', processInstanceBusinessKey: 'hist-completed' }] })).to.deep.equal([completed, active].sort());
    });

    it('should select historic process instances by root instance, incidents, activity times and cases', async () => {
      expect(await ids('/history/process-instance', { ...SCOPE, rootProcessInstanceId: active })).to.deep.equal([active]);
      expect(await ids('/history/process-instance', { ...SCOPE, subProcessInstanceId: completed })).to.deep.equal([]);
      expect(await ids('/history/process-instance', { ...SCOPE, withIncidents: true })).to.deep.equal([]);
      expect(await ids('/history/process-instance', { ...SCOPE, incidentStatus: 'bogus' })).to.deep.equal([]);
      // Every activity instance started at 10:00; the terminated instance's ended at 10:00:06.
      expect(await ids('/history/process-instance', { ...SCOPE, executedActivityAfter: '2024-03-01T10:00:06.000+0000' })).to.deep.equal([terminated]);
      expect(await ids('/history/process-instance', { ...SCOPE, executedActivityBefore: '2024-03-01T10:00:00.000+0000' })).to.have.length(3);
      expect(await ids('/history/process-instance', { ...SCOPE, caseInstanceId: 'any' })).to.deep.equal([]);
    });

    it('should select historic tasks by root instance, execution, delete reason and due date, refusing a due date with withoutTaskDueDate', async () => {
      const tasks = (body: Record<string, unknown>) => ids('/history/task', { processInstanceBusinessKeyLike: 'hist-%', ...body });
      expect(await tasks({ rootProcessInstanceId: completed })).to.deep.equal([completed]);
      expect(await tasks({ executionId: terminated })).to.deep.equal([terminated]);
      expect(await tasks({ taskDeleteReasonLike: 'del%' })).to.deep.equal([terminated]);
      expect(await tasks({ withoutTaskDueDate: true })).to.have.length(3);
      expect(await tasks({ taskDueDateAfter: '2000-01-01T00:00:00.000+0000' })).to.deep.equal([]);
      expect(await tasks({ caseDefinitionKey: 'any' })).to.deep.equal([]);
      const both = await rest.post('/history/task/count', { withoutTaskDueDate: true, taskDueDate: '2024-03-01T10:00:00.000+0000' }, { undocumentedStatus: 500 });
      expect(both.status).to.equal(500);
      expect(both.body).to.deep.equal({ type: 'ProcessEngineException', message: 'Invalid query usage: cannot set both task due date (equal to, before, or after) and withoutTaskDueDate filters.', code: 0 });
    });

    it('should select historic tasks by the users and groups of their identity link log', async () => {
      const tasks = (body: Record<string, unknown>) => ids('/history/task', { processInstanceBusinessKeyLike: 'hist-%', ...body });
      expect(await tasks({ taskInvolvedUser: 'ann' })).to.deep.equal([active]);
      expect(await tasks({ taskHadCandidateGroup: 'reviewers' })).to.have.length(3);
      expect(await tasks({ taskInvolvedGroup: 'reviewers', taskHadCandidateUser: 'ann' })).to.deep.equal([]);
      expect(await tasks({ withCandidateGroups: true })).to.have.length(3);
      expect(await tasks({ withoutCandidateGroups: true })).to.deep.equal([]);
    });

    it('should select historic tasks by a local variable, comparing task variables for equality only as Camunda does', async () => {
      const [open] = (await rest.get(`/task?processInstanceId=${active}`)).body;
      expect((await rest.put(`/task/${open.id}/localVariables/note`, { value: 'Urgent', type: 'String' })).status).to.equal(204);

      expect(await ids('/history/task', { taskVariables: [{ name: 'note', operator: 'eq', value: 'urgent' }], variableValuesIgnoreCase: true })).to.deep.equal([active]);
      const like = await rest.post('/history/task', { taskVariables: [{ name: 'note', operator: 'like', value: 'Urg%' }] });
      expect(like.status).to.equal(400);
      expect(like.body).to.deep.equal({ type: 'InvalidRequestException', message: 'Invalid variable comparator specified: like', code: 0 });
      const near = await rest.post('/history/task', { processVariables: [{ name: 'amount', operator: 'near', value: 7 }] });
      expect(near.body.message).to.equal('Invalid process variable comparator specified: near');
    });

    it('should select historic activity instances and variables by their execution', async () => {
      expect((await rest.post('/history/activity-instance/count', { executionId: completed })).body).to.deep.equal({ count: 3 });
      expect((await rest.post('/history/variable-instance/count', { executionIdIn: [completed, 'other'], includeDeleted: true })).body).to.deep.equal({ count: 2 });
    });

    it('should select historic variables by names and by a value with its type', async () => {
      const names = async (body: Record<string, unknown>) => (await rest.post('/history/variable-instance', { processInstanceId: completed, includeDeleted: true, ...body })).body.map((v: any) => v.name).sort();
      expect(await names({ variableNameIn: ['amount', 'temp', 'other'] })).to.deep.equal(['amount', 'temp']);
      expect(await names({ variableName: 'amount', variableValue: 7 })).to.deep.equal(['amount']);
      expect(await names({ variableName: 'amount', variableValue: '7' })).to.deep.equal([]);
      expect(await names({ variableName: 'temp', variableValue: 'X', variableValuesIgnoreCase: true })).to.deep.equal(['temp']);
    });
  });
});
