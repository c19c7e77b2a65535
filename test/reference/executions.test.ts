/** Differential: the execution tree (concurrency, scopes, compaction) as tasks, activity instances and /execution show it. */
import { expect } from 'chai';
import type { EngineClient } from './engine-client.js';
import { describeAgainstOperaton, type EnginePair, type Side } from './engine-pair.js';

interface ActivityInstance {
  activityId: string;
  executionIds: string[];
  childActivityInstances: ActivityInstance[];
}

async function body<T>(client: EngineClient, path: string): Promise<T> {
  const answer = await client.call('GET', path);
  if (answer.status !== 200) throw new Error(`GET ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body as T;
}

/**
 * An instance's execution tree without its ids: each execution is named by what refers to it (the process instance,
 * the activity instances and tasks it executes), so two engines' trees compare as shapes.
 */
async function executionShape(side: Side, processInstanceId: string) {
  const client = side.client;
  const executions = await body<Array<{ id: string }>>(client, `/execution?processInstanceId=${processInstanceId}`);
  const tree = await body<ActivityInstance>(client, `/process-instance/${processInstanceId}/activity-instances`);
  const tasks = await body<Array<{ taskDefinitionKey: string; executionId: string }>>(client, `/task?processInstanceId=${processInstanceId}`);
  const externalTasks = await body<Array<{ activityId: string; executionId: string }>>(client, `/external-task?processInstanceId=${processInstanceId}`);
  const references = new Map<string, string[]>();
  const refer = (executionId: string, by: string) => references.set(executionId, [...(references.get(executionId) ?? []), by]);
  const walk = (node: ActivityInstance, isRoot: boolean) => {
    for (const id of node.executionIds) refer(id, isRoot ? 'process' : node.activityId);
    for (const child of node.childActivityInstances) walk(child, false);
  };
  walk(tree, true);
  for (const task of tasks) refer(task.executionId, `task:${task.taskDefinitionKey}`);
  for (const task of externalTasks) refer(task.executionId, `externalTask:${task.activityId}`);
  const nameOf = (id: string) => (id === processInstanceId ? 'instance' : `[${(references.get(id) ?? []).sort().join(',')}]`);
  const shapeOf = (node: ActivityInstance, isRoot = false): unknown => ({
    activityId: isRoot ? 'process' : node.activityId,
    executions: node.executionIds.map(nameOf).sort(),
    children: node.childActivityInstances.map((child) => shapeOf(child)).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
  });
  const activityIds = [...new Set(tasks.map((task) => task.taskDefinitionKey))].sort();
  const atActivity: Record<string, number> = {};
  for (const activityId of activityIds) atActivity[activityId] = (await body<{ count: number }>(client, `/execution/count?processInstanceId=${processInstanceId}&activityId=${activityId}`)).count;
  return {
    executions: executions.map((execution) => nameOf(execution.id)).sort(),
    tree: shapeOf(tree, true),
    tasks: tasks.map((task) => `${task.taskDefinitionKey}@${nameOf(task.executionId)}`).sort(),
    externalTasks: externalTasks.map((task) => `${task.activityId}@${nameOf(task.executionId)}`).sort(),
    atActivity,
  };
}

async function expectSameShape(pair: EnginePair, name: string): Promise<void> {
  const [ours, operaton] = await Promise.all([executionShape(pair.ours, pair.ours.ids[name]), executionShape(pair.operaton, pair.operaton.ids[name])]);
  expect(ours, 'execution tree (ours vs Operaton)').to.deep.equal(operaton);
}

async function completeTask(pair: EnginePair, instance: string, taskDefinitionKey: string): Promise<void> {
  await pair.expectSame('GET', (ids) => `/task?processInstanceId=${ids[instance]}&taskDefinitionKey=${taskDefinitionKey}`, undefined, { remember: { [`${instance}-${taskDefinitionKey}`]: (answer) => answer.body[0].id } });
  await pair.expectSame('POST', (ids) => `/task/${ids[`${instance}-${taskDefinitionKey}`]}/complete`, {});
}

describeAgainstOperaton('executions', (use) => {
  before(async () => {
    await use().ensureDeployed('bpmn/differential-executions-fork.bpmn', 'bpmn/differential-executions-forknojoin.bpmn', 'bpmn/differential-executions-scopes.bpmn', 'bpmn/differential-multi-instance.bpmn');
  });

  it('should give each branch of a fork its own execution, keep it along the branch and at the join, and end them after the join, as Operaton does', async () => {
    // given
    await use().expectSame('POST', '/process-definition/key/differential-executions-fork/start', {}, { remember: { fork: (answer) => answer.body.id } });
    await expectSameShape(use(), 'fork');

    // when / then: a branch moves on, waits at the join, and the join fires
    for (const task of ['A', 'A2', 'B']) {
      await completeTask(use(), 'fork', task);
      await expectSameShape(use(), 'fork');
    }
    await use().expectSame('GET', (ids) => `/execution?processInstanceId=${ids.fork}`);
  });

  it('should compact the tree when one branch is left, also under a scope (an external task), as Operaton does', async () => {
    // given
    await use().expectSame('POST', '/process-definition/key/differential-executions-forknojoin/start', {}, { remember: { noJoin: (answer) => answer.body.id } });
    await expectSameShape(use(), 'noJoin');

    // when / then
    await completeTask(use(), 'noJoin', 'A');
    await expectSameShape(use(), 'noJoin');
    await completeTask(use(), 'noJoin', 'B');
    await expectSameShape(use(), 'noJoin');
  });

  it('should give scope activities (mappings, boundary events, sub-processes) their own execution and local variables, as Operaton does', async () => {
    // given
    await use().expectSame('POST', '/process-definition/key/differential-executions-scopes/start', {}, { remember: { scopes: (answer) => answer.body.id } });
    await expectSameShape(use(), 'scopes');
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.scopes}`, undefined, { remember: { mappedExecution: (answer) => answer.body[0].executionId } });
    await use().expectSame('GET', (ids) => `/execution/${ids.mappedExecution}/localVariables`);
    await use().expectSame('PUT', (ids) => `/execution/${ids.mappedExecution}/localVariables/note`, { value: 'local', type: 'String' });
    await use().expectSame('GET', (ids) => `/execution/${ids.mappedExecution}/localVariables/note`);
    await use().expectSame('GET', (ids) => `/process-instance/${ids.scopes}/variables`);
    await use().expectSame('GET', (ids) => `/execution/${ids.mappedExecution}`);
    await use().expectSame('GET', (ids) => `/history/variable-instance?processInstanceId=${ids.scopes}`, undefined, { unordered: true });

    // when / then
    for (const task of ['T1', 'T2', 'T3', 'S1', 'S2']) {
      await completeTask(use(), 'scopes', task);
      await expectSameShape(use(), 'scopes');
    }
    await use().expectSame('GET', (ids) => `/execution/${ids.mappedExecution}`);
    await use().expectSame('GET', (ids) => `/execution/${ids.mappedExecution}/localVariables`);
  });

  it('should run parallel and sequential multi-instance tasks and sub-processes with their executions, variables and completion condition, as Operaton does', async () => {
    // given: three items, as a Java list (Operaton needs a Collection)
    const items = { value: '["a","b","c"]', type: 'Object', valueInfo: { objectTypeName: 'java.util.ArrayList<java.lang.String>', serializationDataFormat: 'application/json' } };
    await use().expectSame('POST', '/process-definition/key/differential-multi-instance/start', { variables: { items, stop: { value: true, type: 'Boolean' } } }, { remember: { multi: (answer) => answer.body.id } });
    await expectSameShape(use(), 'multi');
    const [ours, operaton] = await Promise.all([use().ours, use().operaton].map(async (side) => {
      const tasks = await body<Array<{ id: string }>>(side.client, `/task?processInstanceId=${side.ids.multi}&taskDefinitionKey=P`);
      const variables = await Promise.all(tasks.map((task) => body<unknown>(side.client, `/task/${task.id}/variables`)));
      return variables.map((each) => JSON.stringify(each, Object.keys(each as object).sort())).sort();
    }));
    expect(ours, 'the variables each iteration\'s task sees (ours vs Operaton)').to.deep.equal(operaton);

    // when / then: the completion condition holds after two of three, then a sequential task twice, then a sub-process per item
    for (const task of ['P', 'P', 'Q', 'Q', 'S1', 'S1', 'S1']) {
      await completeTask(use(), 'multi', task);
      if (task === 'S1') continue;
      await expectSameShape(use(), 'multi');
    }
    await use().expectSame('GET', (ids) => `/history/activity-instance?processInstanceId=${ids.multi}`, undefined, { unordered: true });
    await use().expectSame('GET', (ids) => `/history/process-instance/${ids.multi}`);
  });
});
