/** Specification of timers across a restart: a timer that came due while the server was down fires when it is back. */
import { expect } from 'chai';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FIXTURES } from '../support/rest-client.js';
import { callServer, startServerProcess, type ServerProcess } from '../support/server-process.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('timers across a restart (embedded database)', function () {
  this.timeout(60_000);
  let folder: string;
  let server: ServerProcess | undefined;

  before(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'engine-timer-restart-'));
    copyFileSync(path.join(FIXTURES, 'bpmn', 'job-executor-fire-at.bpmn'), path.join(folder, 'job-executor-fire-at.bpmn'));
  });

  after(async () => {
    if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
    await server?.exited();
    rmSync(folder, { recursive: true, force: true });
  });

  it('should fire a timer that came due while the server was stopped as soon as it is back', async () => {
    // given: a timer due in two seconds, and a server stopped before then
    const env = { DATA_DIR: path.join(folder, 'data'), PROCESSES_DIR: folder };
    server = await startServerProcess(env);
    const fireAt = new Date(Date.now() + 2_000);
    const started = await callServer(server, 'POST', '/process-definition/key/fire-at/start', { variables: { fireAt: { value: fireAt.toISOString(), type: 'String' } } });
    expect(started.status).to.equal(200);
    server.child.kill('SIGTERM');
    expect(await server.exited()).to.equal(0);

    // when: the server comes back after the due time
    await sleep(Math.max(0, fireAt.getTime() - Date.now()) + 500);
    server = await startServerProcess(env);
    let tasks: Array<{ name: string }> = [];
    for (let attempt = 0; attempt < 50 && tasks.length === 0; attempt++) {
      tasks = (await callServer(server, 'GET', `/task?processInstanceId=${started.body.id}`)).body;
      if (tasks.length === 0) await sleep(100);
    }

    // then
    expect(tasks.map((task) => task.name)).to.deep.equal(['Fired']);
    expect((await callServer(server, 'GET', '/job/count')).body.count).to.equal(0);
  });
});
