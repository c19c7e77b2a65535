/** Specification of `GET /engine`, `GET /version` and the named-engine prefix, as Camunda Modeler probes them. */
import { expect } from 'chai';
import request from 'supertest';
import { describeOnDatabases } from '../../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';
import { RestClient } from '../../support/rest-client.js';

describeOnDatabases('engine router', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    await rest.deployFixture('single-user-task.bpmn');
  });

  it('should list the default engine with a Content-Type of exactly application/json', async () => {
    // when
    const res = await request(engine.app).get('/engine-rest/engine');

    // then: the external-task client only parses this exact header value (camunda-rest.md §0.1)
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('application/json');
    expect(JSON.parse(res.text)).to.deep.equal([{ name: 'default' }]);
  });

  it('should report the Camunda REST version', async () => {
    const res = await rest.get('/version');

    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('application/json');
    expect(res.body.version).to.match(/^7\.\d+\.\d+$/);
  });

  it('should serve the same resources under the named engine path /engine-rest/engine/default', async () => {
    // given
    const named = new RestClient(engine.app, '/engine-rest/engine/default');

    // when
    const viaName = await named.get('/process-definition?key=single-user-task');
    const viaDefault = await rest.get('/process-definition?key=single-user-task');

    // then
    expect(viaName.status).to.equal(200);
    expect(viaName.body).to.have.length(1);
    expect(viaName.body).to.deep.equal(viaDefault.body);
  });

  it('should answer an unknown path with a Camunda error body, also under the named engine', async () => {
    const res = await request(engine.app).get('/engine-rest/engine/default/no-such-resource');

    expect(res.status).to.equal(404);
    expect(res.headers['content-type']).to.equal('application/json');
    expect(res.body).to.include({ code: 0 });
    expect(res.body.type).to.be.a('string');
  });
});
