/**
 * Specification of external tasks across two real server processes on one PostgreSQL database: workers spread over
 * both nodes complete every task exactly once, no instance is left stuck, a poll parked on one node wakes for a task
 * created on the other (LISTEN/NOTIFY), and parked polls do not hold up a SIGTERM shutdown.
 */
import { expect } from 'chai';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FIXTURES } from '../support/rest-client.js';
import { callServer, startServerProcess, type ServerProcess } from '../support/server-process.js';
import { openTestPostgres, requirePostgres } from '../support/test-databases.js';

const INSTANCES = 100;
const WORKERS = 8;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function count<T>(values: T[]): Map<T, number> {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

describe('external tasks on two server processes (postgresql)', function () {
  this.timeout(60_000);
  let scratch: { url: string; drop(): Promise<void> } | undefined;
  let processesDir: string | undefined;
  let nodeA: ServerProcess | undefined;
  let nodeB: ServerProcess | undefined;

  before(async function () {
    requirePostgres(this, 'external tasks on two server processes (postgresql)');
    scratch = await openTestPostgres();
    processesDir = mkdtempSync(path.join(tmpdir(), 'engine-two-nodes-'));
    copyFileSync(path.join(FIXTURES, 'bpmn', 'single-external-task.bpmn'), path.join(processesDir, 'single-external-task.bpmn'));
    const env = { DATABASE_URL: scratch.url, PROCESSES_DIR: processesDir, ENGINE_SELF_CHECK: 'true' };
    // Both nodes start at once: migrations and the deployment of processes/ must not trip over each other.
    [nodeA, nodeB] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  });

  after(async function () {
    try {
      // Stopping is asserted in the last test; this only cleans up after a failure.
      for (const node of [nodeA, nodeB]) if (node && node.child.exitCode === null) node.child.kill('SIGKILL');
      await Promise.all([nodeA?.exited(), nodeB?.exited()]);
    } finally {
      await scratch?.drop();
      if (processesDir) rmSync(processesDir, { recursive: true, force: true });
    }
  });

  it('should deploy the process once although both nodes deployed processes/ at start', async () => {
    const definitions = await callServer(nodeA!, 'GET', '/process-definition?key=single-external-task');
    expect(definitions.body.map((d: { version: number }) => d.version)).to.deep.equal([1]);
  });

  it(`should complete each of ${INSTANCES} tasks exactly once with ${WORKERS} workers spread over both nodes`, async () => {
    const nodes = [nodeA!, nodeB!];
    const deliveries: string[] = [];
    const completes: string[] = [];
    const failures: string[] = [];
    let done = false;

    // given eight long-polling workers, half on each node, each completing on a random node, some after a short delay
    const workers = Array.from({ length: WORKERS }, async (_, w) => {
      const workerId = `worker-${w}`;
      const home = nodes[w % 2];
      while (!done) {
        const fetched = await callServer(home, 'POST', '/external-task/fetchAndLock', {
          workerId,
          maxTasks: 3,
          asyncResponseTimeout: 1_000,
          // Longer than the test: a task locked for a worker that never got it would stay stuck and fail the test.
          topics: [{ topicName: 'work', lockDuration: 60_000 }],
        });
        if (fetched.status !== 200) {
          failures.push(`fetchAndLock ${fetched.status} ${JSON.stringify(fetched.body)}`);
          continue;
        }
        for (const task of fetched.body as Array<{ id: string }>) {
          deliveries.push(task.id);
          if (w % 4 === 1) await sleep(Math.random() * 30);
          const target = nodes[Math.floor(Math.random() * 2)];
          const completed = await callServer(target, 'POST', `/external-task/${task.id}/complete`, { workerId });
          if (completed.status === 204) completes.push(task.id);
          else failures.push(`complete ${completed.status} ${JSON.stringify(completed.body)}`);
        }
      }
    });

    // when 100 instances are started through node A and node B alternately while the workers poll
    const startedIds: string[] = [];
    try {
      for (let i = 0; i < INSTANCES; i += 1) {
        const started = await callServer(nodes[i % 2], 'POST', '/process-definition/key/single-external-task/start', { businessKey: `two-nodes-${i}` });
        expect(started.status, JSON.stringify(started.body)).to.equal(200);
        startedIds.push(started.body.id);
      }
      const deadline = Date.now() + 20_000;
      while (completes.length < INSTANCES && failures.length === 0 && Date.now() < deadline) await sleep(50);
    } finally {
      // Workers must not outlive this test: they would take the next test's tasks.
      done = true;
      await Promise.all(workers);
    }

    // then every task was delivered once and completed once, without errors
    expect(failures).to.deep.equal([]);
    expect([...count(deliveries).entries()].filter(([, n]) => n !== 1), 'tasks delivered more than once').to.deep.equal([]);
    expect([...count(completes).entries()].filter(([, n]) => n !== 1), 'tasks completed more than once').to.deep.equal([]);
    expect(completes).to.have.length(INSTANCES);
    // and no instance is left stuck
    expect((await callServer(nodeB!, 'GET', '/external-task/count')).body.count).to.equal(0);
    expect((await callServer(nodeA!, 'GET', '/process-instance/count')).body.count).to.equal(0);
    const history = await callServer(nodeA!, 'GET', '/history/process-instance?processDefinitionKey=single-external-task&maxResults=1000');
    expect(history.body).to.have.length(INSTANCES);
    expect(history.body.filter((h: { state: string }) => h.state !== 'COMPLETED')).to.deep.equal([]);
    expect(history.body.map((h: { id: string }) => h.id).sort()).to.deep.equal([...startedIds].sort());
  });

  it('should wake a poll parked on node B within a second when an instance starts on node A', async () => {
    // given a poll parked on node B with nothing to fetch
    const polling = callServer(nodeB!, 'POST', '/external-task/fetchAndLock', {
      workerId: 'parked-on-b',
      maxTasks: 1,
      asyncResponseTimeout: 20_000,
      topics: [{ topicName: 'work', lockDuration: 30_000 }],
    }).then((res) => ({ ...res, at: Date.now() }));
    await sleep(500);

    // when an instance is started on node A
    const started = await callServer(nodeA!, 'POST', '/process-definition/key/single-external-task/start', {});
    const startedAt = Date.now();
    expect(started.status).to.equal(200);

    // then node B answers the poll with the new task at once
    const answer = await polling;
    expect(answer.status).to.equal(200);
    expect(answer.body.map((t: { processInstanceId: string }) => t.processInstanceId)).to.deep.equal([started.body.id]);
    expect(answer.at - startedAt).to.be.below(1_000);
    expect((await callServer(nodeA!, 'POST', `/external-task/${answer.body[0].id}/complete`, { workerId: 'parked-on-b' })).status).to.equal(204);
  });

  it('should stop both nodes on SIGTERM with exit code 0 while polls are parked, answering them with []', async () => {
    // given a long poll parked on each node
    const parked = [nodeA!, nodeB!].map((node, i) =>
      callServer(node, 'POST', '/external-task/fetchAndLock', { workerId: `parked-${i}`, maxTasks: 1, asyncResponseTimeout: 60_000, topics: [{ topicName: 'work', lockDuration: 30_000 }] }),
    );
    await sleep(500);

    // when both nodes get SIGTERM
    const stoppedAt = Date.now();
    nodeA!.child.kill('SIGTERM');
    nodeB!.child.kill('SIGTERM');

    // then the parked polls are answered with [] and both nodes exit cleanly, long before the polls' timeout
    const answers = await Promise.all(parked);
    expect(answers.map((a) => [a.status, a.body])).to.deep.equal([[200, []], [200, []]]);
    expect(await Promise.all([nodeA!.exited(), nodeB!.exited()])).to.deep.equal([0, 0]);
    expect(Date.now() - stoppedAt).to.be.below(10_000);
  });
});
