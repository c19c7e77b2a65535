/** HTTP Basic authentication (BASIC_AUTH_USERS): Camunda's 401 answer, the open `/engine` probe, and a real worker with BasicAuthInterceptor. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import { basicAuth, FAILURE_WINDOW_MS, MAX_FAILED_ATTEMPTS } from '../../src/server/basic-auth.js';
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

describe('server/basic-auth without a database', () => {
  let now: number;
  function appWithAuth(): express.Express {
    now = 1_000_000;
    const app = express();
    app.use(basicAuth(USERS, { now: () => now }));
    app.get('/process-definition/count', (_req, res) => {
      res.json({ count: 0 });
    });
    return app;
  }

  it('should answer malformed base64 and a missing colon with 401', async () => {
    const app = appWithAuth();
    const valid = Buffer.from('demo:secret:with:colons').toString('base64');
    for (const header of [`Basic ${valid}!`, `Basic ${valid.slice(1)}`, `Basic ${Buffer.from('demo').toString('base64')}`, 'Basic', `Basic ${valid} extra`]) {
      const res = await request(app).get('/process-definition/count').set('Authorization', header);
      expect(res.status, header).to.equal(401);
      expect(res.headers['www-authenticate']).to.equal('Basic realm="default"');
    }
  });

  it('should refuse passwords of another length, a prefix and an extension alike', async () => {
    const app = appWithAuth();
    for (const password of ['secret', 'secret:with:colons!', '', 'secret:with:colon']) {
      expect((await request(app).get('/process-definition/count').set('Authorization', basic('demo', password))).status, password).to.equal(401);
    }
    expect((await request(app).get('/process-definition/count').set('Authorization', basic('demo', 'secret:with:colons'))).status).to.equal(200);
  });

  it('should lock a user out after repeated failures, even with the right password, until the window ends', async () => {
    // given a user whose password was guessed wrong too often
    const app = appWithAuth();
    for (let attempt = 0; attempt < MAX_FAILED_ATTEMPTS; attempt++) {
      expect((await request(app).get('/process-definition/count').set('Authorization', basic('demo', `guess-${attempt}`))).status).to.equal(401);
    }
    // when the right password follows, then it is refused like any failure
    const locked = await request(app).get('/process-definition/count').set('Authorization', basic('demo', 'secret:with:colons'));
    expect(locked.status).to.equal(401);
    expect(locked.headers['www-authenticate']).to.equal('Basic realm="default"');
    // and once the window has passed it is accepted again
    now += FAILURE_WINDOW_MS;
    expect((await request(app).get('/process-definition/count').set('Authorization', basic('demo', 'secret:with:colons'))).status).to.equal(200);
  });

  it('should lock out an address that tries many user names', async () => {
    const app = appWithAuth();
    for (let attempt = 0; attempt < MAX_FAILED_ATTEMPTS; attempt++) {
      await request(app).get('/process-definition/count').set('Authorization', basic(`user-${attempt}`, 'x'));
    }
    expect((await request(app).get('/process-definition/count').set('Authorization', basic('demo', 'secret:with:colons'))).status).to.equal(401);
  });

  it('should keep the count per user: a success clears the failures before it', async () => {
    const app = appWithAuth();
    for (let round = 0; round < 3; round++) {
      for (let attempt = 0; attempt < MAX_FAILED_ATTEMPTS / 2 - 1; attempt++) {
        await request(app).get('/process-definition/count').set('Authorization', basic('demo', 'wrong'));
      }
      expect((await request(app).get('/process-definition/count').set('Authorization', basic('demo', 'secret:with:colons'))).status).to.equal(200);
      now += FAILURE_WINDOW_MS;
    }
  });
});
