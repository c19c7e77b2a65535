/** fetchAndLock hands each task's trace context only to clients that ask (`Prefer: traceparent`); Camunda's wire stays as it is. */
import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import { describeOnDatabases } from '../../support/test-databases.js';
import { createTestEngine } from '../../support/test-engine.js';
import { RestClient } from '../../support/rest-client.js';

const CALLER = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describeOnDatabases('server/routers/external-task-router: trace context of fetched tasks', (use) => {
  let rest: RestClient;
  let app: Express;

  beforeEach(async () => {
    app = createTestEngine(use()).app;
    rest = new RestClient(app);
    await rest.deployFixture('single-external-task.bpmn');
  });

  const body = { workerId: 'w', maxTasks: 1, topics: [{ topicName: 'work', lockDuration: 10_000 }] };

  /** Checked against Camunda's OpenAPI, which forbids undeclared fields. */
  async function fetch(headers: Record<string, string>) {
    return rest.post('/external-task/fetchAndLock', body, { headers });
  }

  /** Our extension: not Camunda's shape, so not checked against its OpenAPI. */
  async function fetchWithPreference(prefer: string) {
    return request(app).post('/engine-rest/external-task/fetchAndLock').set('Prefer', prefer).send(body);
  }

  it('should answer a Camunda client exactly as Camunda does: no traceparent field, no Preference-Applied', async () => {
    // given
    await rest.post('/process-definition/key/single-external-task/start', {}, { headers: { traceparent: CALLER } });

    // when
    const res = await fetch({});

    // then
    expect(res.status).to.equal(200);
    expect(res.body).to.have.length(1);
    expect(res.body[0]).not.to.have.property('traceparent');
    expect(res.headers).not.to.have.property('preference-applied');
  });

  it('should add the trace context of the request that created the task for a client that prefers it', async () => {
    // given
    await rest.post('/process-definition/key/single-external-task/start', {}, { headers: { traceparent: CALLER } });

    // when
    const res = await fetchWithPreference('respond-async, traceparent');

    // then: a span of the caller's trace (tracing off: a child span id, as Kafka deliveries carry)
    expect(res.headers['preference-applied']).to.equal('traceparent');
    expect(res.body[0].traceparent).to.match(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    expect(res.body[0].traceparent).not.to.equal(CALLER);
  });

  it('should give null for a task created without a trace context', async () => {
    // given
    await rest.post('/process-definition/key/single-external-task/start', {});

    // when
    const res = await fetchWithPreference('traceparent');

    // then
    expect(res.body[0].traceparent).to.equal(null);
  });
});
