/**
 * Differential: task delegation and resolution, identity links and their history log, the candidate group report, and
 * stand-alone tasks (create, update, complete, delete).
 */
import { describeAgainstOperaton, type Answers } from './engine-pair.js';

const STANDALONE = 'task-operations-standalone';
const DOOMED = 'task-operations-doomed';

interface GroupCount {
  groupName: string | null;
  taskCount: number;
}

/**
 * What this suite's tasks changed in the report: each candidate group's count minus its count before, unchanged groups
 * left out. The tasks without groups (null) also come from earlier suites' timers, which each engine's job executor
 * fires on its own schedule, so that bucket is compared by whether it grew.
 */
function countsSince(earlier: GroupCount[], now: GroupCount[]): Array<{ groupName: string | null; taskCount?: number; grew?: boolean }> {
  const before = new Map(earlier.map((entry) => [entry.groupName, entry.taskCount]));
  return now
    .map((entry) => ({ groupName: entry.groupName, delta: entry.taskCount - (before.get(entry.groupName) ?? 0) }))
    .filter((entry) => entry.delta !== 0)
    .map(({ groupName, delta }) => (groupName === null ? { groupName, grew: delta > 0 } : { groupName, taskCount: delta }));
}

describeAgainstOperaton('task operations', (use) => {
  // The candidate group report counts every open task of the engine: earlier suites' tasks stay out of the comparison.
  let reportBefore: Answers;

  before(async () => {
    await use().ensureDeployed('bpmn/task-operations.bpmn');
    reportBefore = await use().read('GET', '/task/report/candidate-group-count');
  });

  describe('delegation', () => {
    it('should log the assignee and the candidates of a new task as Operaton does', async () => {
      await use().expectSame('POST', '/process-definition/key/task-operations/start', {}, { remember: { delegated: (answer) => answer.body.id } });
      await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.delegated}`, undefined, { remember: { review: (answer) => answer.body[0].id } });
      await use().expectSame('GET', (ids) => `/history/identity-link-log?taskId=${ids.review}`, undefined, { unordered: true });
    });

    it('should delegate a task: the assignee becomes its owner, the delegate its assignee, as Operaton does', async () => {
      await use().expectSame('POST', (ids) => `/task/${ids.review}/delegate`, { userId: 'gonzo' });
      await use().expectSame('GET', (ids) => `/task/${ids.review}`);
      await use().expectSame('GET', (ids) => `/task/${ids.review}/identity-links`, undefined, { unordered: true });
      await use().expectSame('GET', (ids) => `/history/identity-link-log?taskId=${ids.review}&operationType=delete`, undefined, { unordered: true });
    });

    it('should find delegated tasks by owner and delegation state, and refuse an unknown state, as Operaton does', async () => {
      await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.delegated}&owner=kermit&delegationState=pending`);
      await use().expectSame('GET', (ids) => `/task/count?processInstanceId=${ids.delegated}&delegationState=RESOLVED`);
      await use().expectSame('GET', '/task?delegationState=X');
    });

    it('should resolve a delegated task back to its owner, its variables set on the instance, as Operaton does', async () => {
      await use().expectSame('POST', (ids) => `/task/${ids.review}/resolve`, { variables: { checked: { value: true, type: 'Boolean' } } });
      await use().expectSame('GET', (ids) => `/task/${ids.review}`);
      await use().expectSame('GET', (ids) => `/process-instance/${ids.delegated}/variables`);
      await use().expectSame('GET', (ids) => `/history/identity-link-log?taskId=${ids.review}`, undefined, { unordered: true });
    });

    it('should refuse a resolution with a variable of the wrong type, and an unknown task, as Operaton does', async () => {
      await use().expectSame('POST', (ids) => `/task/${ids.review}/resolve`, { variables: { checked: { value: 'a', type: 'Integer' } } });
      await use().expectSame('POST', '/task/no-such-task/resolve', {});
      await use().expectSame('POST', '/task/no-such-task/delegate', { userId: 'gonzo' });
    });

    it('should complete a task still pending delegation, as Operaton does', async () => {
      await use().expectSame('POST', (ids) => `/task/${ids.review}/delegate`, { userId: 'piggy' });
      await use().expectSame('POST', (ids) => `/task/${ids.review}/complete`, {});
      await use().expectSame('GET', (ids) => `/history/task?taskId=${ids.review}`);
      await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.delegated}`);
    });
  });

  describe('identity links', () => {
    it('should add candidate, custom, owner and assignee links and list them as Operaton does', async () => {
      await use().expectSame('POST', '/process-definition/key/task-operations/start', {}, { remember: { linked: (answer) => answer.body.id } });
      await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.linked}`, undefined, { remember: { linkedTask: (answer) => answer.body[0].id } });
      for (const link of [
        { userId: 'u1', type: 'candidate' }, { groupId: 'g1', type: 'candidate' }, { userId: 'u2', type: 'participant' },
        { groupId: 'g2', type: 'watcher' }, { userId: 'alice', type: 'owner' }, { userId: 'bob', type: 'assignee' },
      ]) await use().expectSame('POST', (ids) => `/task/${ids.linkedTask}/identity-links`, link);
      await use().expectSame('GET', (ids) => `/task/${ids.linkedTask}/identity-links`, undefined, { unordered: true });
      await use().expectSame('GET', (ids) => `/task/${ids.linkedTask}/identity-links?type=candidate`, undefined, { unordered: true });
      await use().expectSame('GET', (ids) => `/task/${ids.linkedTask}`);
    });

    it('should count adding and deleting a link, even an absent one, as an update of the task, as Operaton does', async () => {
      await use().expectSame('POST', '/process-definition/key/task-operations/start', {}, { remember: { touched: (answer) => answer.body.id } });
      await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.touched}`, undefined, { remember: { touchedTask: (answer) => answer.body[0].id } });
      await use().expectSame('POST', (ids) => `/task/${ids.touchedTask}/identity-links/delete`, { userId: 'absent', type: 'candidate' });
      await use().expectSame('GET', (ids) => `/task/${ids.touchedTask}`);
      await use().expectSame('POST', (ids) => `/task/${ids.touchedTask}/identity-links`, { groupId: 'gw', type: 'watcher' });
      await use().expectSame('GET', (ids) => `/history/task?taskId=${ids.touchedTask}`);
      await use().expectSame('DELETE', (ids) => `/process-instance/${ids.touched}`);
      await use().expectSame('GET', (ids) => `/history/identity-link-log?taskId=${ids.touchedTask}`, undefined, { unordered: true });
    });

    it('should refuse a link with both or neither of user and group, an assignee group and an unknown task, as Operaton does', async () => {
      await use().expectSame('POST', (ids) => `/task/${ids.linkedTask}/identity-links`, { userId: 'a', groupId: 'b', type: 'candidate' });
      await use().expectSame('POST', (ids) => `/task/${ids.linkedTask}/identity-links`, { type: 'candidate' });
      await use().expectSame('POST', (ids) => `/task/${ids.linkedTask}/identity-links`, { groupId: 'g3', type: 'assignee' });
      await use().expectSame('POST', '/task/no-such-task/identity-links', { userId: 'u1', type: 'candidate' });
    });

    it('should delete links, the assignee whoever is named, and ignore an absent one, as Operaton does', async () => {
      for (const link of [
        { userId: 'u1', type: 'candidate' }, { groupId: 'reviewers', type: 'candidate' }, { userId: 'u2', type: 'participant' },
        { userId: 'whoever', type: 'assignee' }, { userId: 'nobody', type: 'candidate' },
      ]) await use().expectSame('POST', (ids) => `/task/${ids.linkedTask}/identity-links/delete`, link);
      await use().expectSame('GET', (ids) => `/task/${ids.linkedTask}/identity-links`, undefined, { unordered: true });
      await use().expectSame('GET', (ids) => `/task/${ids.linkedTask}`);
    });

    it('should refuse deleting an assignee group, a link without type and one of an unknown task, as Operaton does', async () => {
      await use().expectSame('POST', (ids) => `/task/${ids.linkedTask}/identity-links/delete`, { groupId: 'g3', type: 'assignee' });
      await use().expectSame('POST', (ids) => `/task/${ids.linkedTask}/identity-links/delete`, { groupId: 'g3', type: 'owner' });
      await use().expectSame('POST', (ids) => `/task/${ids.linkedTask}/identity-links/delete`, { groupId: 'g2' });
      await use().expectSame('POST', '/task/no-such-task/identity-links/delete', { userId: 'u1', type: 'candidate' });
    });

    it('should answer the identity link log with its filters and counts as Operaton does', async () => {
      await use().expectSame('GET', (ids) => `/history/identity-link-log?taskId=${ids.linkedTask}`, undefined, { unordered: true });
      await use().expectSame('GET', (ids) => `/history/identity-link-log?taskId=${ids.linkedTask}&type=candidate&operationType=delete`, undefined, { unordered: true });
      await use().expectSame('GET', (ids) => `/history/identity-link-log/count?taskId=${ids.linkedTask}&groupId=g2`);
      await use().expectSame('GET', '/history/identity-link-log/count?processDefinitionKey=task-operations&userId=kermit');
      await use().expectSame('GET', '/history/identity-link-log?processDefinitionKey=task-operations&type=owner&sortBy=userId&sortOrder=desc');
      await use().expectSame('GET', '/history/identity-link-log?sortBy=time&sortOrder=asc', undefined, { unordered: true });
    });

    it('should count open unassigned tasks per candidate group, user links and tasks without links under null, as Operaton does', async () => {
      await use().expectSame('GET', '/task/report/candidate-group-count', undefined, {
        adjust: (body: GroupCount[], side) => countsSince(reportBefore[side].body as GroupCount[], body),
      });
    });
  });

  describe('listeners', () => {
    it('should log the assignee and candidates an assignment listener changes, as Operaton does', async () => {
      await use().ensureDeployed('bpmn/task-operations-listeners.bpmn');
      await use().expectSame('POST', '/process-definition/key/task-operations-listeners/start', {}, { remember: { sorting: (answer) => answer.body.id } });
      await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.sorting}`, undefined, { remember: { sortTask: (answer) => answer.body[0].id } });
      await use().expectSame('POST', (ids) => `/task/${ids.sortTask}/claim`, { userId: 'clerk' });
      await use().expectSame('GET', (ids) => `/task/${ids.sortTask}/identity-links`, undefined, { unordered: true });
      await use().expectSame('GET', (ids) => `/history/identity-link-log?taskId=${ids.sortTask}`, undefined, { unordered: true });
    });
  });

  describe('stand-alone tasks', () => {
    it('should create a stand-alone task and show it in the task queries and history as Operaton does', async () => {
      await use().expectSame('POST', '/task/create', {
        id: STANDALONE, name: 'Call back', description: 'About the invoice', assignee: 'kermit', owner: 'piggy', delegationState: 'PENDING',
        due: '2026-12-24T10:00:00.000+0000', followUp: '2026-12-20T10:00:00.000+0000', priority: 70,
      });
      await use().expectSame('GET', `/task/${STANDALONE}`);
      await use().expectSame('GET', `/task?taskId=${STANDALONE}`);
      await use().expectSame('GET', `/task/count?assignee=kermit&taskId=${STANDALONE}`);
      await use().expectSame('GET', `/task/${STANDALONE}/identity-links`, undefined, { unordered: true });
      await use().expectSame('GET', `/history/task?taskId=${STANDALONE}`);
      await use().expectSame('GET', `/history/identity-link-log?taskId=${STANDALONE}`, undefined, { unordered: true });
    });

    it('should refuse an unknown delegation state and a missing parent task as Operaton does', async () => {
      await use().expectSame('POST', '/task/create', { id: 'task-operations-bad', delegationState: 'FOO' });
      await use().expectSame('POST', '/task/create', { id: 'task-operations-orphan', parentTaskId: 'no-such-task' });
      await use().expectSame('GET', '/task/task-operations-orphan');
    });

    it('should update a task with every property of the body, absent ones cleared, as Operaton does', async () => {
      await use().expectSame('PUT', `/task/${STANDALONE}`, { name: 'Renamed', priority: 10, assignee: 'gonzo', delegationState: 'RESOLVED' });
      await use().expectSame('GET', `/task/${STANDALONE}`);
      await use().expectSame('GET', `/history/task?taskId=${STANDALONE}`);
      await use().expectSame('GET', `/history/identity-link-log?taskId=${STANDALONE}`, undefined, { unordered: true });
      await use().expectSame('PUT', '/task/no-such-task', { name: 'x' });
      await use().expectSame('PUT', `/task/${STANDALONE}`, { delegationState: 'X' });
    });

    it('should update a process task but refuse a new tenant for it, as Operaton does', async () => {
      await use().expectSame('PUT', (ids) => `/task/${ids.linkedTask}`, { name: 'Renamed review', priority: 3, tenantId: 'other' });
      await use().expectSame('PUT', (ids) => `/task/${ids.linkedTask}`, { name: 'Renamed review', priority: 3, assignee: 'rowlf' });
      await use().expectSame('GET', (ids) => `/task/${ids.linkedTask}`);
      await use().expectSame('GET', (ids) => `/history/task?taskId=${ids.linkedTask}`);
    });

    it('should delete only stand-alone tasks, an unknown one quietly, as Operaton does', async () => {
      await use().expectSame('DELETE', (ids) => `/task/${ids.linkedTask}`);
      await use().expectSame('DELETE', '/task/no-such-task');
      await use().expectSame('POST', '/task/create', { id: DOOMED, name: 'To delete', assignee: 'a1' });
      await use().expectSame('POST', `/task/${DOOMED}/identity-links`, { groupId: 'gx', type: 'candidate' });
      await use().expectSame('DELETE', `/task/${DOOMED}`);
      await use().expectSame('GET', `/task/${DOOMED}`);
      await use().expectSame('GET', `/history/task?taskId=${DOOMED}`);
      await use().expectSame('GET', `/history/identity-link-log?taskId=${DOOMED}`, undefined, { unordered: true });
    });

    it('should complete a stand-alone task, ending it with its history, as Operaton does', async () => {
      await use().expectSame('POST', `/task/${STANDALONE}/claim`, { userId: 'gonzo' });
      await use().expectSame('POST', `/task/${STANDALONE}/complete`, { variables: { a: { value: 1, type: 'Integer' } }, withVariablesInReturn: true });
      await use().expectSame('GET', `/task/${STANDALONE}`);
      await use().expectSame('GET', `/history/task?taskId=${STANDALONE}`);
    });
  });
});
