/** One log line per HTTP request, with the request id the response echoes, the route and the path without its query. */
import { expect } from 'chai';
import request from 'supertest';
import { capturedLog } from '../support/captured-log.js';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine } from '../support/test-engine.js';

describeOnDatabases('server/request-log', (db) => {
  it('should log method, route, path without the query, status, duration, request id and trace id, and echo the request id', async () => {
    // given
    const log = capturedLog('info');
    const { app } = createTestEngine(db(), { logger: log.logger });

    // when
    const res = await request(app)
      .get('/engine-rest/process-instance/unknown-id?businessKey=secret-key')
      .set('X-Request-Id', 'req-42.a_b:c')
      .set('traceparent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');

    // then
    expect(res.status).to.equal(404);
    expect(res.headers['x-request-id']).to.equal('req-42.a_b:c');
    const [line] = log.lines().filter((entry) => entry.msg === 'HTTP request');
    expect(line).to.include({ level: 'info', requestId: 'req-42.a_b:c', traceId: '0af7651916cd43dd8448eb211c80319c', method: 'GET', path: '/engine-rest/process-instance/unknown-id', route: '/engine-rest/process-instance/:id', status: 404 });
    expect(line!.durationMs).to.be.a('number');
    expect(log.text()).not.to.contain('secret-key');
  });

  it('should make a request id when the caller sends none or a malformed one', async () => {
    const log = capturedLog('info');
    const { app } = createTestEngine(db(), { logger: log.logger });

    const none = await request(app).get('/engine-rest/engine');
    const malformed = await request(app).get('/engine-rest/engine').set('X-Request-Id', 'has spaces and ünïcode');

    const ids = [none.headers['x-request-id'], malformed.headers['x-request-id']];
    for (const id of ids) expect(id).to.match(/^[0-9a-f-]{36}$/);
    expect(ids[0]).to.not.equal(ids[1]);
    expect(log.lines().filter((entry) => entry.msg === 'HTTP request').map((entry) => entry.requestId)).to.deep.equal(ids);
  });

  it('should carry the request id on the lines logged while serving the request, and log health probes only at debug', async () => {
    const log = capturedLog('info');
    const { app } = createTestEngine(db(), { logger: log.logger });

    await request(app).get('/health/live');
    const res = await request(app).post('/engine-rest/message').send({ messageName: 'nobody-waits' }).set('X-Request-Id', 'req-msg');

    expect(res.status).to.be.at.least(400);
    expect(log.lines().map((entry) => [entry.msg, entry.requestId])).to.deep.equal([['HTTP request', 'req-msg']]);
  });
});
