/** The execution tree: Camunda's executions derived from the engine's runs, command by command. */
import { expect } from 'chai';
import { ExecutionTree, type ExecutionRecord, type RunEvent } from '../../src/engine/index.js';

const INSTANCE = 'pi';

/** Runs one command's events on the tree its previous command left. */
function command(before: ExecutionRecord[], events: RunEvent[]): { records: ExecutionRecord[]; tree: ExecutionTree } {
  const tree = new ExecutionTree(INSTANCE, before);
  for (const event of events) tree.apply(event);
  return { records: tree.records(), tree };
}

const start = (runId: string, activityId: string, predecessorRunId: string | null = null, kind: 'leaf' | 'scope' | 'container' = 'leaf', scopeRunId: string | null = null): RunEvent => ({ type: 'start', runId, activityId, kind, scopeRunId, predecessorRunId });
const end = (runId: string): RunEvent => ({ type: 'end', runId });

describe('engine/execution-tree', () => {
  it('should run a single token in the process instance itself', () => {
    const { records, tree } = command([], [start('s1', 'Start'), end('s1'), start('t1', 'Task', 's1')]);

    expect(records).to.deep.equal([{ id: INSTANCE, parentId: null, engineScopeId: null, scopeActivityId: null, engineTokenId: 't1', activityId: 'Task', isConcurrent: false, isScope: true, isActive: true }]);
    expect(tree.executionOfRun('t1')).to.equal(INSTANCE);
  });

  it('should give each branch of a fork a concurrent execution that follows the branch, and compact when one is left', () => {
    // given a fork into A and B
    const forked = command([], [start('g1', 'Fork'), end('g1'), start('a1', 'A', 'g1'), start('b1', 'B', 'g1')]).records;
    const concurrent = forked.filter((record) => record.isConcurrent);
    expect(concurrent.map((record) => [record.parentId, record.activityId])).to.deep.equal([[INSTANCE, 'A'], [INSTANCE, 'B']]);
    const branchA = concurrent[0].id;

    // when A moves on to A2, its branch keeps its execution
    const moved = command(forked, [end('a1'), start('a2', 'A2', 'a1')]);
    expect(moved.tree.executionOfRun('a2')).to.equal(branchA);

    // when B ends, A2 is the only token left: the tree is compacted into the process instance
    const compacted = command(moved.records, [end('b1')]);
    expect(compacted.records.map((record) => record.id)).to.deep.equal([INSTANCE]);
    expect(compacted.tree.executionOfRun('a2')).to.equal(INSTANCE);
  });

  it('should give a scope activity its own execution, under a concurrent one while it has a sibling', () => {
    // given an external task (a scope) and a user task side by side
    const { records, tree } = command([], [start('g1', 'Fork'), end('g1'), start('x1', 'External', 'g1', 'scope'), start('u1', 'User', 'g1')]);

    // then the external task's scope execution hangs under a concurrent execution that executes nothing
    const scope = records.find((record) => record.engineScopeId === 'x1')!;
    const holder = records.find((record) => record.id === scope.parentId)!;
    expect(scope).to.include({ isScope: true, isConcurrent: false, activityId: 'External', isActive: true });
    expect(holder).to.include({ parentId: INSTANCE, isConcurrent: true, activityId: null, isActive: false });
    expect(tree.executionOfRun('x1')).to.equal(scope.id);
  });

  it('should keep a completed parallel iteration as an inactive execution until its body ends', () => {
    // given a multi-instance body with two iterations
    const body: RunEvent[] = [start('b', 'Task#multiInstanceBody', null, 'container'), start('b_0', 'Task', null, 'leaf', 'b'), start('b_1', 'Task', null, 'leaf', 'b')];
    const started = command([], body).records;

    // when one completes
    const parked = command(started, [{ type: 'park', runId: 'b_0' }]).records;
    expect(parked.filter((record) => record.isConcurrent).map((record) => [record.activityId, record.isActive])).to.deep.equal([['Task', false], ['Task', true]]);

    // when the body ends with its iterations
    const ended = command(parked, [end('b_1'), { type: 'endTokens', prefix: 'b_', scopeRunId: 'b' }, end('b')]).records;
    expect(ended.map((record) => record.id)).to.deep.equal([INSTANCE]);
  });
});
