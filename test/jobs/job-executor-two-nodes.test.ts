/**
 * Specification of timers across two real server processes on one PostgreSQL database: 1,000 timers due in the same
 * second fire exactly once each, also when one node is killed with SIGKILL while it holds job locks (the other runs
 * those jobs once the locks expire).
 */
import { expect } from 'chai';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FIXTURES } from '../support/rest-client.js';
import { callServer, startServerProcess, type ServerProcess } from '../support/server-process.js';
import { openTestPostgres, requirePostgres } from '../support/test-databases.js';

const TIMERS = 1_000;
const LOCK_MS = 3_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('timers on two server processes (postgresql)', function () {
  this.timeout(180_000);
  let scratch: { url: string; drop(): Promise<void> } | undefined;
  let processesDir: string | undefined;
  let nodeA: ServerProcess | undefined;
  let nodeB: ServerProcess | undefined;

  before(async function () {
    requirePostgres(this, 'timers on two server processes (postgresql)');
    scratch = await openTestPostgres();
    processesDir = mkdtempSync(path.join(tmpdir(), 'engine-timer-nodes-'));
    copyFileSync(path.join(FIXTURES, 'bpmn', 'job-executor-fire-at.bpmn'), path.join(processesDir, 'job-executor-fire-at.bpmn'));
    const env = { DATABASE_URL: scratch.url, PROCESSES_DIR: processesDir, JOB_LOCK_DURATION_MS: String(LOCK_MS), JOB_POLL_INTERVAL_MS: '500' };
    [nodeA, nodeB] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  });

  after(async () => {
    try {
      for (const node of [nodeA, nodeB]) if (node && node.child.exitCode === null) node.child.kill('SIGKILL');
      await Promise.all([nodeA?.exited(), nodeB?.exited()]);
    } finally {
      await scratch?.drop();
      if (processesDir) rmSync(processesDir, { recursive: true, force: true });
    }
  });

  it(`should fire each of ${TIMERS} timers due in the same second exactly once, although one node is killed while firing`, async () => {
    // given: 1,000 instances, started on both nodes, waiting for the same moment
    const fireAt = new Date(Date.now() + 40_000);
    const nodes = [nodeA!, nodeB!];
    const started: string[] = [];
    await Promise.all(Array.from({ length: 8 }, async (_, lane) => {
      for (let i = lane; i < TIMERS; i += 8) {
        const res = await callServer(nodes[i % 2], 'POST', '/process-definition/key/fire-at/start', { variables: { fireAt: { value: fireAt.toISOString(), type: 'String' } } });
        expect(res.status, JSON.stringify(res.body)).to.equal(200);
        started.push(res.body.id);
      }
    }));
    expect(Date.now(), 'starting the instances took longer than the test allows for').to.be.below(fireAt.getTime() - 2_000);
    expect((await callServer(nodeB!, 'GET', '/job/count')).body.count).to.equal(TIMERS);

    // when: the timers come due, and node A is killed while it fires them
    await sleep(fireAt.getTime() - Date.now() + 300);
    nodeA!.child.kill('SIGKILL');
    await nodeA!.exited();
    const deadline = Date.now() + 60_000;
    let tasks = 0;
    while (Date.now() < deadline) {
      tasks = (await callServer(nodeB!, 'GET', '/task/count?taskDefinitionKey=Task_Fired')).body.count;
      if (tasks >= TIMERS) break;
      await sleep(500);
    }

    // then: every instance moved on exactly once, and no job or incident is left
    expect(tasks).to.equal(TIMERS);
    const fired = (await callServer(nodeB!, 'GET', `/history/activity-instance?activityId=Timer_FireAt&finished=true&maxResults=${TIMERS * 2}`)).body as Array<{ processInstanceId: string }>;
    expect(fired).to.have.length(TIMERS);
    expect(new Set(fired.map((row) => row.processInstanceId))).to.deep.equal(new Set(started));
    expect((await callServer(nodeB!, 'GET', '/job/count')).body.count).to.equal(0);
    expect((await callServer(nodeB!, 'GET', '/incident/count')).body.count).to.equal(0);
  });
});
