/** HTTP Basic authentication (BASIC_AUTH_USERS): Camunda's 401 answer, the open `/engine` probe, and a real worker with BasicAuthInterceptor. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { BasicAuthInterceptor, Client } from 'camunda-external-task-client-js';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { fixture } from '../support/rest-client.js';
import { waitFor } from '../support/wait-for.js';

const USERS = new Map([['demo', 'secret:with:colons']]);

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

describeOnDatabases('server/basic-auth', (use) => {
  let engine: TestEngine;
  let server: Server;
  let base: string;

  before(async () => {
    engine = createTestEngine(use(), { basicAuthUsers: USERS });
    server = engine.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/engine-rest`;
  });

  after(async () => {
    if (!engine) return; // the suite was skipped
    await engine.fetchAndLockWaiter.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('should answer a request without or with wrong credentials with 401, an empty body and a Basic challenge', async () => {
    const attempts: Array<Record<string, string>> = [{}, { Authorization: basic('demo', 'wrong') }, { Authorization: basic('nobody', 'secret:with:colons') }, { Authorization: 'Bearer token' }];
    for (const headers of attempts) {
      const res = await fetch(`${base}/process-definition`, { headers });
      expect(res.status).to.equal(401);
      expect(res.headers.get('www-authenticate')).to.equal('Basic realm="default"');
      expect(res.headers.get('content-type')).to.equal(null);
      expect(await res.text()).to.equal('');
    }
  });

  it('should leave the challenge out for the web app, so browsers do not show their own login box', async () => {
    const res = await fetch(`${base}/process-definition`, { headers: { 'X-Requested-With': 'XMLHttpRequest' } });
    expect(res.status).to.equal(401);
    expect(res.headers.get('www-authenticate')).to.equal(null);
  });

  it('should leave GET /engine open, as Camunda Modeler probes it first', async () => {
    const res = await fetch(`${base}/engine`);
    expect(res.status).to.equal(200);
    expect(await res.json()).to.deep.equal([{ name: 'default' }]);
  });

  it('should serve the API with the right credentials (a password may contain colons)', async () => {
    const res = await fetch(`${base}/process-definition/count`, { headers: { Authorization: basic('demo', 'secret:with:colons') } });
    expect(res.status).to.equal(200);
  });

  it('should let an unmodified worker with BasicAuthInterceptor complete a task', async () => {
    // given a deployed process and a started instance
    const auth = { Authorization: basic('demo', 'secret:with:colons') };
    const form = new FormData();
    form.append('deployment-name', 'auth');
    form.append('single-external-task.bpmn', new Blob([fixture('bpmn/single-external-task.bpmn').toString('utf8')]), 'single-external-task.bpmn');
    expect((await fetch(`${base}/deployment/create`, { method: 'POST', headers: auth, body: form })).status).to.equal(200);
    const started = await (await fetch(`${base}/process-definition/key/single-external-task/start`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: '{}' })).json();

    // when a worker authenticates with the client's interceptor
    const client = new Client({ baseUrl: base, workerId: 'auth-worker', interval: 50, asyncResponseTimeout: 5_000, interceptors: new BasicAuthInterceptor({ username: 'demo', password: 'secret:with:colons' }) });
    const errors: unknown[] = [];
    client.on('poll:error', (error: unknown) => errors.push(error));
    client.subscribe('work', async ({ task, taskService }) => {
      await taskService.complete(task);
    });
    try {
      // then the instance completes
      await waitFor(async () => {
        const history = await (await fetch(`${base}/history/process-instance?processInstanceId=${started.id}`, { headers: auth })).json();
        return history[0]?.state === 'COMPLETED';
      }, 'the instance completes', 10_000);
      expect(errors).to.deep.equal([]);
    } finally {
      client.stop();
    }
  });
});
