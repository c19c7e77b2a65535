/** WORKERS=2 on PostgreSQL: two worker processes serve one port as nodes sharing the database; one dies and is replaced; SIGTERM stops both. */
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { parsePrometheusText } from './support/prometheus-text.js';
import { processesFolderWith, startServerProcess, type ServerProcess } from './support/server-process.js';
import { openTestPostgres, requirePostgres } from './support/test-databases.js';

/** One call on a connection of its own (the primary hands each connection to the next worker), and the pid of the worker that logged it. */
async function call(server: ServerProcess, method: string, url: string, body?: unknown): Promise<{ status: number; body: any; pid: number }> {
  const requestId = randomUUID();
  const target = new URL(url.startsWith('/metrics') ? url : `${server.restUrl}${url}`, server.restUrl);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(target, { method, agent: false, headers: { 'X-Request-Id': requestId, ...(payload ? { 'Content-Type': 'application/json' } : {}) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, text }));
    });
    req.on('error', reject);
    req.end(payload);
  });
  await server.waitForOutput(new RegExp(`"requestId":"${requestId}"[^\\n]*"msg":"HTTP request"`), 5_000);
  const line = server.output().split('\n').find((text) => text.includes(`"requestId":"${requestId}"`) && text.includes('"msg":"HTTP request"'))!;
  const parsed = url.startsWith('/metrics') ? text : text ? JSON.parse(text) : null;
  return { status, body: parsed, pid: JSON.parse(line).pid as number };
}

/** The workers the primary said it started, in order: their number and pid. */
function startedWorkers(server: ServerProcess): Array<{ worker: number; pid: number }> {
  return server.output().split('\n').filter((text) => text.includes('"msg":"Worker ')).map((text) => JSON.parse(text)).filter((entry) => / started$/.test(entry.msg)).map((entry) => ({ worker: entry.worker as number, pid: entry.pid as number }));
}

async function waitForWorkers(server: ServerProcess, count: number): Promise<void> {
  await server.waitForOutput(new RegExp(`("msg":"Worker \\d+ started"[\\s\\S]*){${count}}`), 30_000);
}

describe('main: WORKERS=2 on PostgreSQL', function () {
  this.timeout(120_000);
  let database: { url: string; drop(): Promise<void> };
  let server: ServerProcess | undefined;

  before(function () {
    requirePostgres(this, 'main: WORKERS=2 on PostgreSQL');
  });

  beforeEach(async () => {
    database = await openTestPostgres();
    server = await startServerProcess({ WORKERS: '2', DATABASE_URL: database.url, PROCESSES_DIR: processesFolderWith('single-user-task.bpmn') });
    await waitForWorkers(server, 2);
  });

  afterEach(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGTERM');
      await server.exited();
    }
    await database.drop();
  });

  it('should serve from two worker processes as nodes of one database: instances started on one complete through the other, and /metrics counts both', async () => {
    const node = server!;
    // given six instances started on fresh connections, which the primary hands to both workers
    const started: Array<{ id: string; pid: number }> = [];
    for (let i = 0; i < 6; i++) {
      const res = await call(node, 'POST', '/process-definition/key/single-user-task/start', {});
      expect(res.status).to.equal(200);
      started.push({ id: res.body.id, pid: res.pid });
    }
    expect(new Set(started.map((instance) => instance.pid)).size, 'workers that started instances').to.equal(2);

    // when /metrics is asked of each worker
    const scrapes = [await call(node, 'GET', '/metrics'), await call(node, 'GET', '/metrics')];

    // then each answers for the whole server: every start counted once, the running instances read once from the database
    expect(new Set(scrapes.map((scrape) => scrape.pid)).size, 'workers that answered /metrics').to.equal(2);
    for (const scrape of scrapes) {
      const metrics = parsePrometheusText(scrape.body as string);
      expect(metrics.value('engine_process_instances_started_total', { process_definition_key: 'single-user-task' })).to.equal(6);
      expect(metrics.value('engine_process_instances_active', { process_definition_key: 'single-user-task' })).to.equal(6);
    }

    // when every task is completed, each on whichever worker takes the connection
    const completedBy = new Map<string, number>();
    for (const instance of started) {
      const tasks = await call(node, 'GET', `/task?processInstanceId=${instance.id}`);
      const done = await call(node, 'POST', `/task/${tasks.body[0].id}/complete`, {});
      expect(done.status).to.equal(204);
      completedBy.set(instance.id, done.pid);
    }

    // then some instance started on one worker was completed through the other, and every instance ended
    expect(started.some((instance) => completedBy.get(instance.id) !== instance.pid), 'an instance completed by the other worker').to.equal(true);
    expect((await call(node, 'GET', '/history/process-instance/count?finished=true')).body).to.deep.equal({ count: 6 });
    const metrics = parsePrometheusText((await call(node, 'GET', '/metrics')).body as string);
    expect(metrics.value('engine_process_instances_completed_total', { process_definition_key: 'single-user-task' })).to.equal(6);
  });

  it('should replace a worker killed with SIGKILL and keep answering, losing nothing committed', async () => {
    const node = server!;
    // given an instance waiting in its user task
    const instance = (await call(node, 'POST', '/process-definition/key/single-user-task/start', {})).body;
    const [killed, survivor] = startedWorkers(node);

    // when one worker is killed
    process.kill(killed!.pid, 'SIGKILL');

    // then the primary says so and the other worker answers meanwhile
    await node.waitForOutput(new RegExp(`"msg":"Worker ${killed!.worker} exited unexpectedly; starting another in \\d+ ms"`));
    const exit = JSON.parse(node.output().split('\n').find((text) => text.includes('exited unexpectedly'))!);
    expect(exit).to.include({ level: 'error', worker: killed!.worker, pid: killed!.pid, signal: 'SIGKILL' });
    for (let i = 0; i < 4; i++) {
      const res = await call(node, 'GET', '/process-instance/count');
      expect(res.body).to.deep.equal({ count: 1 });
      expect(res.pid).to.equal(survivor!.pid);
    }
    // and starts a replacement
    await waitForWorkers(node, 3);
    const replacement = startedWorkers(node)[2]!.pid;
    expect(replacement).to.not.be.oneOf([killed!.pid, survivor!.pid]);

    // and both live workers serve the instance started before the kill
    const servedBy = new Set<number>();
    for (let i = 0; i < 6 && servedBy.size < 2; i++) {
      const res = await call(node, 'GET', `/task?processInstanceId=${instance.id}`);
      expect(res.body).to.have.length(1);
      servedBy.add(res.pid);
    }
    expect([...servedBy].sort()).to.deep.equal([survivor!.pid, replacement].sort());
    const task = (await call(node, 'GET', `/task?processInstanceId=${instance.id}`)).body[0];
    expect((await call(node, 'POST', `/task/${task.id}/complete`, {})).status).to.equal(204);
  });

  it('should run the workers with a larger young generation, which their commands allocate much of', () => {
    for (const { pid } of startedWorkers(server!)) {
      const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      expect(commandLine, `worker ${pid}`).to.include('--max-semi-space-size=64');
    }
  });

  it('should stop both workers on SIGTERM and exit 0 with a clean-shutdown line', async () => {
    const node = server!;
    const workers = startedWorkers(node).map((started) => started.pid);

    // when
    node.child.kill('SIGTERM');
    const code = await node.exited();

    // then each worker shut down as a node does, and the primary said so once they all had
    expect(code, node.output()).to.equal(0);
    const lines = node.output().split('\n').filter(Boolean).map((text) => JSON.parse(text));
    for (const pid of workers) expect(lines.some((entry) => entry.pid === pid && entry.msg === 'Shut down cleanly'), `worker ${pid} shut down cleanly`).to.equal(true);
    expect(lines.filter((entry) => /^Worker \d+ exited$/.test(entry.msg)).map((entry) => entry.pid).sort()).to.deep.equal([...workers].sort());
    expect(lines.at(-1)).to.deep.include({ level: 'info', msg: 'Shut down cleanly' });
    expect(lines.at(-1)).to.not.have.property('pid');
  });
});
