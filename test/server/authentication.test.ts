/** Authentication of the REST API: Camunda's 401 answer, the open `/engine` probe, configured and database users on every router, bearer tokens, and a real worker with BasicAuthInterceptor. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import { authentication, FAILURE_WINDOW_MS, MAX_FAILED_ATTEMPTS } from '../../src/server/authentication.js';
import { matchesConfiguredUser } from '../../src/services/identity-service.js';
import { routerRepresentatives } from '../support/rest-routes.js';
import { BasicAuthInterceptor, Client } from 'camunda-external-task-client-js';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { fixture } from '../support/rest-client.js';
import { waitFor } from '../support/wait-for.js';

const USERS = new Map([['demo', 'secret:with:colons']]);

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

describeOnDatabases('server/authentication', (use) => {
  let engine: TestEngine;
  let server: Server;
  let base: string;

  // The lockout window is on this clock, so the many refusals of the router sweep do not lock out the tests after it.
  let now = 1_000_000;

  before(async () => {
    engine = createTestEngine(use(), { basicAuthUsers: USERS, authentication: { now: () => now } });
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

  /** A concrete URL for a route: path parameters become an id that exists nowhere. */
  function urlOf(path: string): string {
    return `${base}${path.replace(/:[A-Za-z]+/g, 'no-such-id')}`;
  }

  async function call(route: { method: string; path: string }, headers: Record<string, string>): Promise<Response> {
    const hasBody = route.method !== 'get' && route.method !== 'delete';
    return fetch(urlOf(route.path), { method: route.method.toUpperCase(), headers: hasBody ? { ...headers, 'Content-Type': 'application/json' } : headers, body: hasBody ? '{}' : undefined });
  }

  it('should refuse missing, wrong and unknown credentials on every router, and serve database and configured users', async function () {
    // Four calls on each of some thirty routers: ~10 s alone, more on a loaded machine.
    this.timeout(60_000);
    // given a user in the database
    const admin = { Authorization: basic('demo', 'secret:with:colons') };
    const created = await fetch(`${base}/user/create`, { method: 'POST', headers: { ...admin, 'Content-Type': 'application/json' }, body: JSON.stringify({ profile: { id: 'anna' }, credentials: { password: 'anna-pw' } }) });
    expect(created.status).to.equal(204);

    for (const route of routerRepresentatives()) {
      const label = `${route.method.toUpperCase()} ${route.path}`;
      if (route.method === 'get' && route.path === '/engine') continue;
      // when called without, with wrong and with unknown credentials, then 401
      const refused: Array<Record<string, string>> = [{}, { Authorization: basic('anna', 'wrong') }, { Authorization: basic('nobody', 'anna-pw') }];
      for (const headers of refused) {
        expect((await call(route, headers)).status, `${label} ${JSON.stringify(headers)}`).to.equal(401);
      }
      // and with a database user's or a configured user's credentials, anything but 401
      expect((await call(route, { Authorization: basic('anna', 'anna-pw') })).status, `${label} as anna`).to.not.equal(401);
      expect((await call(route, admin)).status, `${label} as demo`).to.not.equal(401);
      now += FAILURE_WINDOW_MS;
    }
  });

  it('should forget a changed password at once, though the old one was cached', async () => {
    // given a user who authenticated (so their password check is cached)
    const admin = { Authorization: basic('demo', 'secret:with:colons'), 'Content-Type': 'application/json' };
    await fetch(`${base}/user/create`, { method: 'POST', headers: admin, body: JSON.stringify({ profile: { id: 'ben' }, credentials: { password: 'old-pw' } }) });
    expect((await fetch(`${base}/task/count`, { headers: { Authorization: basic('ben', 'old-pw') } })).status).to.equal(200);

    // when the user changes their own password
    const changed = await fetch(`${base}/user/ben/credentials`, { method: 'PUT', headers: { Authorization: basic('ben', 'old-pw'), 'Content-Type': 'application/json' }, body: JSON.stringify({ password: 'new-pw', authenticatedUserPassword: 'old-pw' }) });
    expect(changed.status).to.equal(204);

    // then the old password is refused and the new one accepted
    expect((await fetch(`${base}/task/count`, { headers: { Authorization: basic('ben', 'old-pw') } })).status).to.equal(401);
    expect((await fetch(`${base}/task/count`, { headers: { Authorization: basic('ben', 'new-pw') } })).status).to.equal(200);

    // and once the user is deleted, the new one is refused too
    expect((await fetch(`${base}/user/ben`, { method: 'DELETE', headers: admin })).status).to.equal(204);
    expect((await fetch(`${base}/task/count`, { headers: { Authorization: basic('ben', 'new-pw') } })).status).to.equal(401);
  });

  const workers: Array<[string, string, string]> = [
    ['a database user', 'worker1', 'w0rker'],
    ['a configured user', 'demo', 'secret:with:colons'],
  ];
  for (const [who, username, password] of workers) {
    it(`should let an unmodified worker with BasicAuthInterceptor complete a task as ${who}`, async () => {
      // given the worker's user (a database user is created first), and a started instance
      const admin = { Authorization: basic('demo', 'secret:with:colons') };
      if (who === 'a database user') {
        const created = await fetch(`${base}/user/create`, { method: 'POST', headers: { ...admin, 'Content-Type': 'application/json' }, body: JSON.stringify({ profile: { id: username }, credentials: { password } }) });
        expect(created.status).to.equal(204);
      }
      const form = new FormData();
      form.append('deployment-name', 'auth');
      form.append('single-external-task.bpmn', new Blob([fixture('bpmn/single-external-task.bpmn').toString('utf8')]), 'single-external-task.bpmn');
      expect((await fetch(`${base}/deployment/create`, { method: 'POST', headers: admin, body: form })).status).to.equal(200);
      const started = await (await fetch(`${base}/process-definition/key/single-external-task/start`, { method: 'POST', headers: { ...admin, 'Content-Type': 'application/json' }, body: '{}' })).json();

      // when the worker authenticates with the client's interceptor
      const client = new Client({ baseUrl: base, workerId: `${username}-worker`, interval: 50, asyncResponseTimeout: 5_000, interceptors: new BasicAuthInterceptor({ username, password }) });
      const errors: unknown[] = [];
      client.on('poll:error', (error: unknown) => errors.push(error));
      client.subscribe('work', async ({ task, taskService }) => {
        await taskService.complete(task);
      });
      try {
        // then the instance completes
        await waitFor(async () => {
          const history = await (await fetch(`${base}/history/process-instance?processInstanceId=${started.id}`, { headers: admin })).json();
          return history[0]?.state === 'COMPLETED';
        }, 'the instance completes', 10_000);
        expect(errors).to.deep.equal([]);
      } finally {
        client.stop();
      }
    });
  }
});

describe('server/authentication without a database', () => {
  let now: number;
  function appWithAuth(): express.Express {
    now = 1_000_000;
    const app = express();
    app.use(authentication({ authenticate: async (user, password) => (matchesConfiguredUser(USERS, user, password) ? { userId: user, groupIds: [] } : null), now: () => now }));
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

  it('should count the client behind a trusted proxy, so the failures of one client lock out no other', async () => {
    // given the server behind a proxy it trusts (TRUST_PROXY=loopback)
    const app = appWithAuth();
    app.set('trust proxy', ['loopback']);

    // when one client tries many user names
    for (let attempt = 0; attempt < MAX_FAILED_ATTEMPTS; attempt++) {
      await request(app).get('/process-definition/count').set('X-Forwarded-For', '203.0.113.7').set('Authorization', basic(`user-${attempt}`, 'x'));
    }

    // then that client is locked out, and another client through the same proxy is not
    expect((await request(app).get('/process-definition/count').set('X-Forwarded-For', '203.0.113.7').set('Authorization', basic('demo', 'secret:with:colons'))).status).to.equal(401);
    expect((await request(app).get('/process-definition/count').set('X-Forwarded-For', '198.51.100.2').set('Authorization', basic('demo', 'secret:with:colons'))).status).to.equal(200);
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
