/** Graceful shutdown of the server process on SIGTERM: parked polls answered, running jobs finished, locks released, the grace period kept. */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { callServer, startServerProcess, stopServer, type ServerProcess } from './support/server-process.js';
import { openTestPostgres, requirePostgres } from './support/test-databases.js';

/** Each instance waits in an async continuation before its user task: one job per instance. */
const ASYNC_REVIEW = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_shutdown" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="async-review" isExecutable="true" camunda:historyTimeToLive="30">
    <bpmn:startEvent id="Start" />
    <bpmn:sequenceFlow id="Flow_1" sourceRef="Start" targetRef="Review" />
    <bpmn:userTask id="Review" camunda:asyncBefore="true" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Review" targetRef="End" />
    <bpmn:endEvent id="End" />
  </bpmn:process>
</bpmn:definitions>
`;

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

async function waitUntil(what: string, condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('main: graceful shutdown (postgresql)', function () {
  this.timeout(120_000);
  let root: string;
  let database: { url: string; drop(): Promise<void> };
  const servers: ServerProcess[] = [];

  before(async function () {
    requirePostgres(this, 'main: graceful shutdown (postgresql)');
  });

  beforeEach(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'engine-shutdown-'));
    writeFileSync(path.join(root, 'async-review.bpmn'), ASYNC_REVIEW);
    database = await openTestPostgres();
  });

  afterEach(async () => {
    for (const server of servers.splice(0)) if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    await database.drop();
    rmSync(root, { recursive: true, force: true });
  });

  async function start(env: Record<string, string>): Promise<ServerProcess> {
    const server = await startServerProcess({ DATABASE_URL: database.url, PROCESSES_DIR: root, ...env });
    servers.push(server);
    return server;
  }

  it('should answer parked long polls with [], finish running jobs, release the jobs it had not run and exit 0', async () => {
    // given six instances waiting in jobs, created by a node without a job executor
    const creator = await start({ JOB_EXECUTOR: 'false' });
    for (let i = 0; i < 6; i++) expect((await callServer(creator, 'POST', '/process-definition/key/async-review/start', {})).status).to.equal(200);
    await stopServer(creator);
    // and a node whose executor acquires all six and runs four at a time, each held 3 s before its commit
    const node = await start({ TEST_PAUSE_COMMAND: 'execute job', TEST_PAUSE_BEFORE_COMMIT_MS: '3000', SHUTDOWN_GRACE_PERIOD: '20' });
    await node.waitForOutput(/execute job paused before commit/);
    // and a worker's long poll parked on it
    const poll = fetch(`${node.restUrl}/external-task/fetchAndLock`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ workerId: 'w1', maxTasks: 1, asyncResponseTimeout: 60_000, topics: [{ topicName: 'nothing-here', lockDuration: 10_000 }] }),
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const locked = await query<{ n: string }>(database.url, `select count(*) as n from job where lock_owner is not null`);
    expect(Number(locked[0]!.n)).to.equal(6);

    // when
    const signalled = Date.now();
    node.child.kill('SIGTERM');
    const answer = await poll;
    const answeredAfter = Date.now() - signalled;
    const code = await node.exited();

    // then the poll got an empty answer at once, and the node exited cleanly after its running jobs committed
    expect(answer.status).to.equal(200);
    expect(await answer.json()).to.deep.equal([]);
    expect(answeredAfter).to.be.below(1_000);
    expect(code, node.output()).to.equal(0);
    const tasks = await query<{ n: string }>(database.url, `select count(*) as n from task`);
    expect(Number(tasks[0]!.n)).to.equal(4);
    // and the two jobs it acquired but never ran carry no lock
    const jobs = await query<{ lock_owner: string | null }>(database.url, `select lock_owner from job`);
    expect(jobs.map((job) => job.lock_owner)).to.deep.equal([null, null]);

    // when another node starts (locks would otherwise last JOB_LOCK_DURATION_MS, 5 minutes)
    const next = await start({});

    // then it runs them at once: every instance waits in its user task
    await waitUntil('the released jobs running on the next node', async () => Number((await query<{ n: string }>(database.url, `select count(*) as n from task`))[0]!.n) === 6, 15_000);
    expect((await callServer(next, 'GET', '/job/count')).body).to.deep.equal({ count: 0 });
    expect((await callServer(next, 'GET', '/process-instance/count')).body).to.deep.equal({ count: 6 });
    await stopServer(next);
  });

  it('should exit 1 when the grace period passes, naming what still ran', async () => {
    // given a job whose command is held for a minute
    const creator = await start({ JOB_EXECUTOR: 'false' });
    expect((await callServer(creator, 'POST', '/process-definition/key/async-review/start', {})).status).to.equal(200);
    await stopServer(creator);
    const node = await start({ TEST_PAUSE_COMMAND: 'execute job', TEST_PAUSE_BEFORE_COMMIT_MS: '60000', SHUTDOWN_GRACE_PERIOD: '1' });
    await node.waitForOutput(/execute job paused before commit/);

    // when
    const signalled = Date.now();
    node.child.kill('SIGTERM');
    const code = await node.exited();

    // then
    expect(code).to.equal(1);
    expect(Date.now() - signalled).to.be.below(5_000);
    const line = node.output().split('\n').find((text) => text.includes('grace period exceeded'));
    expect(line, node.output()).to.be.a('string');
    const entry = JSON.parse(line!);
    expect(entry.level).to.equal('error');
    expect(entry.unfinished).to.include('job executor');
    expect(entry.runningJobs).to.have.length(1);
    // and the cut-off command left nothing half done: the job is still there for the next node
    const jobs = await query<{ n: string }>(database.url, `select count(*) as n from job`);
    expect(Number(jobs[0]!.n)).to.equal(1);
  });
});
