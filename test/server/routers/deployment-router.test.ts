/** Specification of `/deployment`: multipart create as Camunda Modeler sends it, duplicate filtering, queries, delete. */
import { expect } from 'chai';
import { describeOnDatabases } from '../../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';
import { manyProcessesBpmn, manyRulesDmn } from '../../support/large-models.js';
import { fixture, RestClient } from '../../support/rest-client.js';
import { checksumTables } from '../../support/table-checksum.js';

/**
 * A blocked event loop answers nothing: this limit is far above a slice of work (tens of ms) and below parsing a
 * large file on the loop (about a second idle, two on a loaded machine). 400 ms proved too tight on a 2-core machine
 * running a second test process (449 ms seen), so it leaves room for the machine's own load.
 */
const STALL_LIMIT_MS = 800;

/** Ticks every 5 ms until stopped; `stop` gives the longest time between two ticks, in ms. */
function watchEventLoop(): { stop(): number } {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  return { stop: () => { clearInterval(timer); return Math.max(longest, performance.now() - last); } };
}

/** single-user-task.bpmn with another process key (and optionally another name, i.e. a changed file). */
function processXml(key: string, name = 'Single user task'): string {
  return fixture('bpmn/single-user-task.bpmn').toString('utf8').replace(/"single-user-task"/g, `"${key}"`).replace('name="Single user task"', `name="${name}"`);
}

describeOnDatabases('deployment router', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(() => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
  });

  /** Deploys and asserts that the request was refused with `status` and left every table as it was. */
  async function expectRejectedDeployment(files: Array<{ name: string; content: Buffer | string }>, status: number, fields: Record<string, string> = {}, client = rest) {
    // The OpenAPI documents every 400 of /deployment/create as a ParseExceptionDto; Camunda's other 400s
    // (e.g. no resources) carry the plain ExceptionDto without `details`.
    const isParseFailure = status === 400 && files.length > 0;
    const before = await checksumTables(use().knex);
    const res = await client.deploy(files, { 'deployment-name': 'rejected', ...fields }, { undocumentedStatus: status === 413 || !isParseFailure ? status : undefined });
    expect(res.status, res.text).to.equal(status);
    expect(await checksumTables(use().knex)).to.equal(before);
    return res;
  }

  describe('create', () => {
    it('should deploy a BPMN file and return its definition keyed by id, with version 1 and a self link', async () => {
      // when
      const res = await rest.deploy([{ name: 'p.bpmn', content: processXml('p') }], { 'deployment-name': 'p', 'enable-duplicate-filtering': 'true' });

      // then
      expect(res.status).to.equal(200);
      expect(res.body.links[0]).to.include({ rel: 'self', method: 'GET' });
      expect(res.body.links[0].href).to.match(new RegExp(`/engine-rest/deployment/${res.body.id}$`));
      expect(res.body).to.include({ name: 'p', source: null, tenantId: null });
      const definitions = Object.entries(res.body.deployedProcessDefinitions) as Array<[string, any]>;
      expect(definitions).to.have.length(1);
      const [id, definition] = definitions[0];
      expect(definition).to.include({ id, key: 'p', version: 1, deploymentId: res.body.id, resource: 'p.bpmn', name: 'Single user task' });
      expect(res.body.deployedDecisionDefinitions).to.equal(null);
    });

    it('should give a definition the bare UUID as id when key:version:uuid would be longer than 64 characters, as Camunda', async () => {
      // given: a 26-character key, so `key:1:` and a UUID make 65 characters (one less would fit)
      const key = 'process-key-of-26-chars-xy';

      // when
      const res = await rest.deploy([{ name: 'long.bpmn', content: processXml(key) }], { 'deployment-name': 'long' });

      // then
      const [id] = Object.keys(res.body.deployedProcessDefinitions);
      expect(id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect((await rest.get(`/process-definition/key/${key}`)).body).to.include({ id, key, version: 1 });
      const shorter = await rest.deploy([{ name: 'short.bpmn', content: processXml(key.slice(1)) }], { 'deployment-name': 'short' });
      expect(Object.keys(shorter.body.deployedProcessDefinitions)[0]).to.match(new RegExp(`^${key.slice(1)}:1:[0-9a-f-]{36}$`));
    });

    it('should return the same deployment with deployedProcessDefinitions null when an unchanged file is deployed again', async () => {
      // given
      const fields = { 'deployment-name': 'dup', 'enable-duplicate-filtering': 'true' };
      const first = await rest.deploy([{ name: 'dup.bpmn', content: processXml('dup') }], fields);
      const before = await checksumTables(use().knex);

      // when
      const second = await rest.deploy([{ name: 'dup.bpmn', content: processXml('dup') }], fields);

      // then
      expect(second.status).to.equal(200);
      expect(second.body.id).to.equal(first.body.id);
      expect(second.body.deployedProcessDefinitions).to.equal(null);
      expect(await checksumTables(use().knex)).to.equal(before);
    });

    it('should deploy a changed file as the next version, which /process-definition/key then returns', async () => {
      // given
      const fields = { 'deployment-name': 'changing', 'enable-duplicate-filtering': 'true' };
      const first = await rest.deploy([{ name: 'changing.bpmn', content: processXml('changing') }], fields);

      // when
      const second = await rest.deploy([{ name: 'changing.bpmn', content: processXml('changing', 'Changed name') }], fields);

      // then
      expect(second.body.id).to.not.equal(first.body.id);
      const [definition] = Object.values(second.body.deployedProcessDefinitions) as any[];
      expect(definition).to.include({ version: 2, name: 'Changed name' });
      const latest = await rest.get('/process-definition/key/changing');
      expect(latest.body).to.include({ id: definition.id, version: 2 });
    });

    it('should deploy only the changed resources with deploy-changed-only', async () => {
      // given: two processes in one deployment
      const fields = { 'deployment-name': 'pair', 'deploy-changed-only': 'true' };
      await rest.deploy([{ name: 'a.bpmn', content: processXml('pair-a') }, { name: 'b.bpmn', content: processXml('pair-b') }], fields);

      // when: nothing changed, then b changed
      const unchanged = await rest.deploy([{ name: 'a.bpmn', content: processXml('pair-a') }, { name: 'b.bpmn', content: processXml('pair-b') }], fields);
      const changed = await rest.deploy([{ name: 'a.bpmn', content: processXml('pair-a') }, { name: 'b.bpmn', content: processXml('pair-b', 'B v2') }], fields);

      // then
      expect(unchanged.body.deployedProcessDefinitions).to.equal(null);
      const deployed = Object.values(changed.body.deployedProcessDefinitions) as any[];
      expect(deployed.map((d) => [d.key, d.version])).to.deep.equal([['pair-b', 2]]);
      const resources = await rest.get(`/deployment/${changed.body.id}/resources`);
      expect(resources.body.map((r: any) => r.name)).to.deep.equal(['b.bpmn']);
      expect((await rest.get('/process-definition/key/pair-a')).body.version).to.equal(1);
    });

    it('should add a version for an identical file when duplicate filtering is off', async () => {
      await rest.deploy([{ name: 'nofilter.bpmn', content: processXml('nofilter') }], { 'deployment-name': 'nofilter' });

      const again = await rest.deploy([{ name: 'nofilter.bpmn', content: processXml('nofilter') }], { 'deployment-name': 'nofilter' });

      expect((Object.values(again.body.deployedProcessDefinitions) as any[])[0].version).to.equal(2);
    });

    it('should treat another deployment-source as another deployment for duplicate filtering', async () => {
      const fields = { 'deployment-name': 'sourced', 'enable-duplicate-filtering': 'true' };
      const fromA = await rest.deploy([{ name: 's.bpmn', content: processXml('sourced') }], { ...fields, 'deployment-source': 'app-a' });

      const fromB = await rest.deploy([{ name: 's.bpmn', content: processXml('sourced') }], { ...fields, 'deployment-source': 'app-b' });

      expect(fromB.body.id).to.not.equal(fromA.body.id);
      expect(fromB.body.source).to.equal('app-b');
    });

    it('should refuse invalid BPMN with a ParseException carrying ENGINE-09005 and the problems per resource', async () => {
      // when
      const res = await expectRejectedDeployment([{ name: 'broken.bpmn', content: fixture('bpmn/deployment-router-unresolved-reference.bpmn') }], 400);

      // then
      expect(res.body.type).to.equal('ParseException');
      expect(res.body.message).to.match(/^ENGINE-09005 /);
      expect(Object.keys(res.body.details)).to.deep.equal(['broken.bpmn']);
      const [problem] = res.body.details['broken.bpmn'].errors;
      expect(problem).to.have.all.keys('message', 'line', 'column', 'mainElementId', 'elementIds');
      expect(problem.message).to.contain('EndEvent_Missing');
      expect(problem.mainElementId).to.equal('Flow_2');
      expect(problem.elementIds).to.deep.equal(['Flow_2']);
      expect(res.body.details['broken.bpmn'].warnings).to.deep.equal([]);
      // line and column of `<bpmn:sequenceFlow id="Flow_2"`, counted from 1
      expect(problem).to.include({ line: 15, column: 5 });
      expect(res.body.message).to.contain("SequenceFlow 'Flow_2' refers with targetRef to 'EndEvent_Missing'").and.to.contain('| element Flow_2 | line 15 | column 5');
    });

    it('should refuse malformed XML with a ParseException naming the line of the problem', async () => {
      // given: the closing tag of the user task (line 10 of the file) is missing
      const lines = fixture('bpmn/single-user-task.bpmn').toString('utf8').split('\n');
      expect(lines[9].trim()).to.equal('</bpmn:userTask>');
      const malformed = [...lines.slice(0, 9), ...lines.slice(10)].join('\n');

      // when
      const res = await expectRejectedDeployment([{ name: 'malformed.bpmn', content: malformed }], 400);

      // then
      expect(res.body.type).to.equal('ParseException');
      expect(res.body.message).to.match(/^ENGINE-09005 /);
      // the mismatch shows at </bpmn:process>; lines count from 1, as Camunda's
      const [problem] = res.body.details['malformed.bpmn'].errors;
      expect(problem.line).to.equal(malformed.split('\n').findIndex((line) => line.trim() === '</bpmn:process>') + 1);
    });

    it('should refuse an XML entity expansion ("billion laughs") quickly', async () => {
      const started = Date.now();

      const res = await expectRejectedDeployment([{ name: 'lol.bpmn', content: fixture('bpmn/deployment-router-billion-laughs.bpmn') }], 400);

      expect(res.body.type).to.equal('ParseException');
      expect(res.body.message).to.match(/^ENGINE-09005 /);
      expect(Date.now() - started).to.be.below(2000);
    });

    it('should refuse a file whose only process is not executable (stricter than Camunda, which deploys no definition)', async () => {
      const res = await expectRejectedDeployment([{ name: 'ne.bpmn', content: fixture('bpmn/deployment-router-not-executable.bpmn') }], 400);

      expect(res.body.type).to.equal('ParseException');
      expect(res.body.message).to.match(/^ENGINE-09005 /);
      expect(res.body.details['ne.bpmn'].errors[0].message).to.contain('isExecutable');
    });

    it('should refuse two resources defining the same process key, pointing at the second one\'s process element', async () => {
      const res = await expectRejectedDeployment([{ name: 'first.bpmn', content: processXml('twin') }, { name: 'second.bpmn', content: processXml('twin') }], 400);

      const [problem] = res.body.details['second.bpmn'].errors;
      expect(problem).to.include({ mainElementId: 'twin', line: 3, column: 3 });
      expect(problem.message).to.contain("same key 'twin'").and.to.contain("'first.bpmn'");
    });

    it('should refuse a form without resources', async () => {
      const res = await expectRejectedDeployment([], 400);

      expect(res.body).to.deep.equal({ type: 'InvalidRequestException', message: 'No deployment resources contained in the form upload.', code: 0 });
    });

    it('should refuse a body that is not multipart', async () => {
      const before = await checksumTables(use().knex);

      const res = await rest.post('/deployment/create', { 'deployment-name': 'json' }, { undocumentedStatus: 400 });

      expect(res.status).to.equal(400);
      expect(res.body.type).to.equal('InvalidRequestException');
      expect(await checksumTables(use().knex)).to.equal(before);
    });

    it('should refuse an upload over the size limit with 413 and a Camunda error body (413 is not in the OpenAPI)', async () => {
      // given: an engine on the same database that accepts 64 KB
      const small = new RestClient(createTestEngine(use(), { maxUploadBytes: 64 * 1024 }).app);
      const padding = `<!-- ${'x'.repeat(1024 * 1024)} -->`;

      // when
      const res = await expectRejectedDeployment([{ name: 'big.bpmn', content: processXml('big') + padding }], 413, {}, small);

      // then
      expect(res.body.type).to.equal('InvalidRequestException');
      expect(res.body.code).to.equal(0);
      expect(res.body.message).to.contain(String(64 * 1024));
    });
  });

  describe('large files', () => {
    it('should deploy a file of 1,500 processes as 1,500 definitions', async () => {
      // when
      const res = await rest.deploy([{ name: 'many.bpmn', content: manyProcessesBpmn(1_500) }], { 'deployment-name': 'many' });

      // then
      expect(res.status, res.text).to.equal(200);
      const definitions = Object.values(res.body.deployedProcessDefinitions) as Array<{ key: string; version: number }>;
      expect(definitions).to.have.length(1_500);
      expect(definitions.find((definition) => definition.key === 'p1499')).to.include({ version: 1 });
      const listed = await rest.get(`/process-definition/count?deploymentId=${res.body.id}`);
      expect(listed.body.count).to.equal(1_500);
    });

    it('should answer GET /engine while a large file is being deployed', async () => {
      // given
      const answered: string[] = [];
      const deployment = rest.deploy([{ name: 'large.bpmn', content: manyProcessesBpmn(1_000) }], { 'deployment-name': 'large' })
        .then((res) => { answered.push('deployment'); return res; });

      // when
      const engine = await rest.get('/engine');
      answered.push('engine');

      // then
      expect(engine.body).to.deep.equal([{ name: 'default' }]);
      expect((await deployment).status).to.equal(200);
      expect(answered).to.deep.equal(['engine', 'deployment']);
    });

    it('should keep answering while a decision table of 30,000 rules is being deployed, and evaluate its last rule', async () => {
      // given
      const stalls = watchEventLoop();

      // when
      const deployed = await rest.deploy([{ name: 'many-rules.dmn', content: manyRulesDmn(30_000) }], { 'deployment-name': 'rules' });

      // then: reading the XML (about a second here) happened elsewhere; the loop was never blocked for long
      expect(deployed.status, deployed.text).to.equal(200);
      expect(stalls.stop()).to.be.below(STALL_LIMIT_MS);
      const evaluated = await rest.post('/decision-definition/key/rules/evaluate', { variables: { n: { value: 29_999, type: 'Integer' } } });
      expect(evaluated.status, evaluated.text).to.equal(200);
      expect(evaluated.body).to.deep.equal([{ result: { type: 'Integer', value: 29_999, valueInfo: {} } }]);
    });

    it('should refuse a large decision table with a syntax error in its last rule, naming the element and its line', async () => {
      // given: the last of 30,000 rules has an output entry that is no FEEL
      const xml = manyRulesDmn(30_000).replace('<outputEntry id="r29999_out"><text>29999</text>', '<outputEntry id="r29999_out"><text>29999 +</text>');

      // when
      const res = await expectRejectedDeployment([{ name: 'broken.dmn', content: xml }], 400);

      // then
      expect(res.body.type).to.equal('ParseException');
      const [problem] = res.body.details['broken.dmn'].errors;
      expect(problem.mainElementId).to.equal('r29999_out');
      expect(problem.line).to.equal(xml.split('\n').findIndex((line) => line.includes('id="r29999_out"')) + 1);
    });

    it('should refuse a large file with a broken reference in its last process, naming the element', async () => {
      // given: 1,000 processes, the last one's flow pointing at an element the file lacks
      const xml = manyProcessesBpmn(1_000).replace('targetRef="p999_end"', 'targetRef="p999_missing"');

      // when
      const res = await expectRejectedDeployment([{ name: 'broken.bpmn', content: xml }], 400);

      // then
      expect(res.body.type).to.equal('ParseException');
      const [problem] = res.body.details['broken.bpmn'].errors;
      expect(problem.mainElementId).to.equal('p999_flow');
      expect(problem.message).to.contain("'p999_missing'");
    });
  });

  describe('models written by others', () => {
    /** Starts an instance of `key` and returns its id. */
    async function start(key: string, variables: Record<string, unknown> = {}, client = rest): Promise<string> {
      const started = await client.post(`/process-definition/key/${key}/start`, { variables });
      expect(started.status, started.text).to.equal(200);
      return started.body.id;
    }

    async function expectCompleted(instanceId: string) {
      const history = await rest.get(`/history/process-instance?processInstanceId=${instanceId}`);
      expect(history.body.map((h: any) => h.state)).to.deep.equal(['COMPLETED']);
    }

    it('should deploy a model whose diagram still shows elements deleted from the process, as Camunda does', async () => {
      const res = await rest.deploy([{ name: 'stale.bpmn', content: fixture('bpmn/deployment-router-stale-diagram.bpmn') }], { 'deployment-name': 'stale' });

      expect(res.status, res.text).to.equal(200);
      expect(Object.values(res.body.deployedProcessDefinitions).map((d: any) => d.key)).to.deep.equal(['stale-diagram']);
    });

    it('should deploy and run attributes written with spaces around "="', async () => {
      // given
      await rest.deployFixture('deployment-router-spaced-attributes.bpmn');

      // when
      const instanceId = await start('spaced-attributes');

      // then
      const [task] = (await rest.get(`/task?processInstanceId=${instanceId}`)).body;
      expect(task).to.include({ taskDefinitionKey: 'Task_Review', name: 'Review request', assignee: 'demo' });
    });

    it('should read the activiti: namespace as camunda:, as Camunda 7 does', async () => {
      // given
      await rest.deployFixture('deployment-router-activiti-namespace.bpmn');

      // when
      const instanceId = await start('activiti-namespace', { applicant: { value: 'Ada', type: 'String' }, reviewer: { value: 'kermit', type: 'String' } });

      // then: the expression ran, and the user task has its assignee, candidate groups and form key
      const greeting = await rest.get(`/process-instance/${instanceId}/variables/greeting`);
      expect(greeting.body).to.include({ value: 'Ada', type: 'String' });
      const [task] = (await rest.get(`/task?processInstanceId=${instanceId}`)).body;
      expect(task).to.include({ assignee: 'kermit', formKey: 'embedded:app:forms/review.html' });
      expect((await rest.get(`/task/count?processInstanceId=${instanceId}&candidateGroup=accounting&includeAssignedTasks=true`)).body.count).to.equal(1);
    });

    it('should run a process whose sequence flows have no id from start to end, also on a node that reads the stored definition', async () => {
      // given
      await rest.deployFixture('deployment-router-flows-without-id.bpmn');
      const instanceId = await start('flows-without-id');
      const [task] = (await rest.get(`/task?processInstanceId=${instanceId}`)).body;
      expect(task.taskDefinitionKey).to.equal('Task_Review');

      // when another node, with nothing cached, completes the task
      const otherNode = new RestClient(createTestEngine(use()).app);
      const completed = await otherNode.post(`/task/${task.id}/complete`, {});

      // then
      expect(completed.status, completed.text).to.equal(204);
      await expectCompleted(instanceId);
    });

    it('should refuse Java delegates by default, saying which flag deploys them as external tasks', async () => {
      const res = await expectRejectedDeployment([{ name: 'java.bpmn', content: fixture('bpmn/deployment-router-java-delegates.bpmn') }], 400);

      const [charge] = res.body.details['java.bpmn'].errors;
      expect(charge).to.include({ mainElementId: 'Task_Charge', line: 7, column: 5 });
      expect(charge.message).to.contain('DELEGATES_AS_EXTERNAL_TASKS=true');
    });

    it('should run Java delegates as external tasks on the class or bean name with DELEGATES_AS_EXTERNAL_TASKS', async () => {
      // given: an engine with the flag, and the Camunda 7 model deployed unchanged
      const delegating = createTestEngine(use(), { delegatesAsExternalTasks: true });
      const client = new RestClient(delegating.app);
      await client.deployFixture('deployment-router-java-delegates.bpmn');
      const instanceId = await start('java-delegates', { amount: { value: 42, type: 'Integer' } }, client);

      // when a worker takes each delegate's topic in turn
      for (const topicName of ['com.acme.ChargeCard', 'receiptSender', 'com.acme.NotifyCustomer']) {
        const locked = await client.post('/external-task/fetchAndLock', { workerId: 'migrated-worker', maxTasks: 5, topics: [{ topicName, lockDuration: 60000 }] });
        expect(locked.body.map((t: any) => [t.topicName, t.processInstanceId]), topicName).to.deep.equal([[topicName, instanceId]]);
        if (topicName === 'com.acme.ChargeCard') expect(locked.body[0].variables.amount).to.include({ value: 42 });
        const completed = await client.post(`/external-task/${locked.body[0].id}/complete`, { workerId: 'migrated-worker' });
        expect(completed.status, completed.text).to.equal(204);
      }

      // then
      await expectCompleted(instanceId);
      await delegating.fetchAndLockWaiter.close();
    });
  });

  describe('queries', () => {
    let ids: Record<string, string>;

    before(async () => {
      ids = {};
      for (const [name, source] of [['query-beta', 'modeler'], ['query-alpha', 'modeler'], ['query-gamma', 'process-application']]) {
        const res = await rest.deploy([{ name: `${name}.bpmn`, content: processXml(name) }], { 'deployment-name': name, 'deployment-source': source });
        ids[name] = res.body.id;
      }
    });

    it('should answer maxResults=0 with an empty list, as Camunda Modeler probes', async () => {
      const res = await rest.get('/deployment?maxResults=0');

      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal([]);
    });

    it('should filter by name, nameLike and source, with /count agreeing', async () => {
      const cases: Array<[string, string[]]> = [
        ['name=query-alpha', ['query-alpha']],
        ['nameLike=query-%25', ['query-alpha', 'query-beta', 'query-gamma']],
        ['nameLike=query-%25a&source=modeler', ['query-alpha', 'query-beta']],
        ['source=process-application', ['query-gamma']],
        ['name=nobody', []],
      ];
      for (const [query, names] of cases) {
        const list = await rest.get(`/deployment?${query}&sortBy=name&sortOrder=asc`);
        const count = await rest.get(`/deployment/count?${query}`);
        expect(list.body.map((d: any) => d.name), query).to.deep.equal(names);
        expect(count.body, query).to.deep.equal({ count: names.length });
      }
    });

    it('should sort by name descending and page with firstResult and maxResults', async () => {
      const all = await rest.get('/deployment?nameLike=query-%25&sortBy=name&sortOrder=desc');
      const page = await rest.get('/deployment?nameLike=query-%25&sortBy=name&sortOrder=desc&firstResult=1&maxResults=1');

      expect(all.body.map((d: any) => d.name)).to.deep.equal(['query-gamma', 'query-beta', 'query-alpha']);
      expect(page.body.map((d: any) => d.name)).to.deep.equal(['query-beta']);
    });

    it('should get one deployment and its resources', async () => {
      const deployment = await rest.get(`/deployment/${ids['query-alpha']}`);
      const resources = await rest.get(`/deployment/${ids['query-alpha']}/resources`);

      expect(deployment.body).to.include({ id: ids['query-alpha'], name: 'query-alpha', source: 'modeler', tenantId: null });
      expect(deployment.body.deploymentTime).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$/);
      expect(resources.body).to.have.length(1);
      expect(resources.body[0]).to.include({ name: 'query-alpha.bpmn', deploymentId: ids['query-alpha'] });
    });

    it('should download a resource exactly as it was deployed', async () => {
      const [resource] = (await rest.get(`/deployment/${ids['query-alpha']}/resources`)).body;

      const data = await rest.download(`/deployment/${ids['query-alpha']}/resources/${resource.id}/data`);

      expect(data.status).to.equal(200);
      expect(data.bytes.toString('utf8')).to.equal(processXml('query-alpha'));
    });

    it('should download a resource with the media type of its file extension, as Camunda', async () => {
      const [resource] = (await rest.get(`/deployment/${ids['query-alpha']}/resources`)).body;

      const data = await rest.download(`/deployment/${ids['query-alpha']}/resources/${resource.id}/data`);

      expect(data.headers['content-type']).to.equal('application/xml');
    });

    it('should answer an unknown resource with 404, and its data with Camunda\'s 500 NullValueException', async () => {
      const [resource] = (await rest.get(`/deployment/${ids['query-alpha']}/resources`)).body;

      const unknown = await rest.get(`/deployment/${ids['query-alpha']}/resources/unknown`);
      const ofUnknownDeployment = await rest.get(`/deployment/unknown/resources/${resource.id}`);
      const data = await rest.get(`/deployment/${ids['query-alpha']}/resources/unknown/data`, { undocumentedStatus: 500 });

      expect([unknown.status, unknown.body.message]).to.deep.equal([404, `Deployment resource with resource id 'unknown' for deployment id '${ids['query-alpha']}' does not exist.`]);
      expect([ofUnknownDeployment.status, ofUnknownDeployment.body.message]).to.deep.equal([404, "Deployment resources for deployment id 'unknown' do not exist."]);
      expect(data.status).to.equal(500);
      expect(data.body).to.deep.equal({ type: 'NullValueException', message: `no resource found with id 'unknown' in deployment '${ids['query-alpha']}': resource is null`, code: 0 });
    });

    it('should answer 404 for an unknown deployment and its resources', async () => {
      const deployment = await rest.get('/deployment/unknown');
      const resources = await rest.get('/deployment/unknown/resources');

      expect(deployment.status).to.equal(404);
      expect(deployment.body).to.deep.equal({ type: 'InvalidRequestException', message: "Deployment with id 'unknown' does not exist", code: 0 });
      expect(resources.status).to.equal(404);
    });
  });

  describe('delete', () => {
    async function deployAndStart(key: string) {
      const { deploymentId } = await (async () => {
        const res = await rest.deploy([{ name: `${key}.bpmn`, content: processXml(key) }], { 'deployment-name': key });
        return { deploymentId: res.body.id as string };
      })();
      const started = await rest.post(`/process-definition/key/${key}/start`, {});
      expect(started.status).to.equal(200);
      return { deploymentId, instanceId: started.body.id as string };
    }

    it('should delete a deployment without instances', async () => {
      const res = await rest.deploy([{ name: 'gone.bpmn', content: processXml('gone') }], { 'deployment-name': 'gone' });

      const deleted = await rest.delete(`/deployment/${res.body.id}`);

      expect(deleted.status).to.equal(204);
      expect((await rest.get(`/deployment/${res.body.id}`)).status).to.equal(404);
      expect((await rest.get('/process-definition/count?key=gone')).body.count).to.equal(0);
    });

    it('should refuse to delete a deployment with running instances without cascade and change nothing (500, undocumented)', async () => {
      // given
      const { deploymentId, instanceId } = await deployAndStart('busy');
      const before = await checksumTables(use().knex);

      // when: Camunda raises a ProcessEngineException (500), which the OpenAPI does not list
      const res = await rest.delete(`/deployment/${deploymentId}`, { undocumentedStatus: 500 });

      // then
      expect(res.status).to.equal(500);
      expect(res.body.type).to.equal('ProcessEngineException');
      expect(res.body.message).to.contain('cascad');
      expect(await checksumTables(use().knex)).to.equal(before);
      expect((await rest.get(`/process-instance/${instanceId}`)).status).to.equal(200);
    });

    it('should delete a deployment with its running instances when cascade=true', async () => {
      // given
      const { deploymentId, instanceId } = await deployAndStart('cascaded');

      // when
      const res = await rest.delete(`/deployment/${deploymentId}?cascade=true`);

      // then
      expect(res.status).to.equal(204);
      expect((await rest.get(`/process-instance/${instanceId}`)).status).to.equal(404);
      expect((await rest.get(`/task/count?processInstanceId=${instanceId}`)).body.count).to.equal(0);
      expect((await rest.get(`/deployment/${deploymentId}`)).status).to.equal(404);
      expect((await rest.get('/process-definition/count?key=cascaded')).body.count).to.equal(0);
      expect((await rest.get(`/history/process-instance/count?processInstanceId=${instanceId}`)).body.count).to.equal(0);
    });

    /** How many entries each /history resource lists for an instance, and for the decision it evaluated. */
    async function historyCounts(instanceId: string, decisionKey: string): Promise<Record<string, number>> {
      const resources = {
        'process-instance': `/history/process-instance?processInstanceId=${instanceId}`,
        'activity-instance': `/history/activity-instance?processInstanceId=${instanceId}`,
        'variable-instance': `/history/variable-instance?processInstanceId=${instanceId}&includeDeleted=true`,
        task: `/history/task?processInstanceId=${instanceId}`,
        incident: `/history/incident?processInstanceId=${instanceId}`,
        'decision-instance': `/history/decision-instance?decisionDefinitionKey=${decisionKey}`,
      };
      const counts: Record<string, number> = {};
      for (const [name, url] of Object.entries(resources)) {
        const res = await rest.get(url);
        expect(res.status, res.text).to.equal(200);
        counts[name] = res.body.length;
      }
      return counts;
    }

    it('should remove all history of the deployment with cascade=true: tasks, incidents and decision evaluations too', async () => {
      // given: a finished instance that evaluated the deployment's decision, failed once (an incident) and had a user task
      const deployed = await rest.deploy([
        { name: 'cascade-order.bpmn', content: fixture('bpmn/deployment-router-cascade.bpmn') },
        { name: 'cascade-discount.dmn', content: fixture('dmn/deployment-router-cascade.dmn') },
      ], { 'deployment-name': 'cascade-order' });
      expect(deployed.status, deployed.text).to.equal(200);
      const started = await rest.post('/process-definition/key/cascade-order/start', { variables: { amount: { value: 120, type: 'Integer' } } });
      expect(started.status, started.text).to.equal(200);
      const instanceId = started.body.id as string;
      const lockCharge = async () => (await rest.post('/external-task/fetchAndLock', { workerId: 'w1', maxTasks: 1, topics: [{ topicName: 'cascade-charge', lockDuration: 60_000 }] })).body[0].id as string;
      const charge = await lockCharge();
      expect((await rest.post(`/external-task/${charge}/failure`, { workerId: 'w1', errorMessage: 'card declined', retries: 0 })).status).to.equal(204);
      expect((await rest.put(`/external-task/${charge}/retries`, { retries: 1 })).status).to.equal(204);
      expect((await rest.post(`/external-task/${await lockCharge()}/complete`, { workerId: 'w1' })).status).to.equal(204);
      const [ship] = (await rest.get(`/task?processInstanceId=${instanceId}`)).body;
      expect((await rest.post(`/task/${ship.id}/complete`, {})).status).to.equal(204);
      // and an evaluation of the same decision over REST, which belongs to no process instance
      const evaluated = await rest.post('/decision-definition/key/cascade-discount/evaluate', { variables: { amount: { value: 20, type: 'Integer' } } });
      expect(evaluated.status, evaluated.text).to.equal(200);
      expect(await historyCounts(instanceId, 'cascade-discount')).to.deep.equal({
        'process-instance': 1, 'activity-instance': 5, 'variable-instance': 2, task: 1, incident: 1, 'decision-instance': 2,
      });

      // when
      const res = await rest.delete(`/deployment/${deployed.body.id}?cascade=true`);

      // then
      expect(res.status).to.equal(204);
      expect(await historyCounts(instanceId, 'cascade-discount')).to.deep.equal({
        'process-instance': 0, 'activity-instance': 0, 'variable-instance': 0, task: 0, incident: 0, 'decision-instance': 0,
      });
    });

    it('should answer 404 when deleting an unknown deployment', async () => {
      const res = await rest.delete('/deployment/unknown');

      expect(res.status).to.equal(404);
      expect(res.body.type).to.equal('InvalidRequestException');
    });
  });
});
