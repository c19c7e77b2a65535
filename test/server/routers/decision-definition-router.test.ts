/** Specification of `/decision-definition` and `/decision-requirements-definition`: deploy, query, XML, evaluate. */
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { deployDirectory } from '../../../src/services/startup-deployer.js';
import { describeOnDatabases } from '../../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';
import { fixture, RestClient } from '../../support/rest-client.js';
import { checksumTables } from '../../support/table-checksum.js';

const dmn = (name: string) => fixture(`dmn/${name}`).toString('utf8');

describeOnDatabases('decision definition router', (use) => {
  let engine: TestEngine;
  let rest: RestClient;
  let first: any;
  let dishV1: any;
  let dishV2: any;
  let tenantDish: any;
  let drd: any;

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    first = await rest.deploy([
      { name: 'dish.dmn', content: dmn('business-rule-task-dish.dmn') },
      { name: 'dinner.dmn', content: dmn('business-rule-task-drg.dmn') },
      { name: 'fee.dmn', content: dmn('business-rule-task-collect-sum.dmn') },
      { name: 'types.dmn', content: dmn('decision-definition-router-types.dmn') },
    ], { 'deployment-name': 'decisions', 'enable-duplicate-filtering': 'true' });
    dishV1 = (Object.values(first.body.deployedDecisionDefinitions) as any[]).find((d) => d.key === 'dish');
    drd = Object.values(first.body.deployedDecisionRequirementsDefinitions)[0];
    const second = await rest.deploy([{ name: 'dish.dmn', content: dmn('business-rule-task-dish.dmn').replace('<decision id="dish" name="Dish"', '<decision id="dish" name="Dish v2"').replace('camunda:versionTag="1.0"', 'camunda:versionTag="2.0"') }], { 'deployment-name': 'dish v2' });
    dishV2 = Object.values(second.body.deployedDecisionDefinitions)[0];
    const tenant = await rest.deploy([{ name: 'dish.dmn', content: dmn('business-rule-task-dish.dmn') }], { 'deployment-name': 'tenant dish', 'tenant-id': 'acme' });
    tenantDish = Object.values(tenant.body.deployedDecisionDefinitions)[0];
  });

  describe('deployment', () => {
    it('should answer with Camunda decision definition DTOs, versioned per key and tenant', () => {
      expect(first.status).to.equal(200);
      expect(first.body.deployedProcessDefinitions).to.equal(null);
      expect(dishV1).to.deep.equal({
        id: dishV1.id, key: 'dish', category: 'http://camunda.org/schema/1.0/dmn', name: 'Dish', version: 1, resource: 'dish.dmn',
        deploymentId: first.body.id, tenantId: null, decisionRequirementsDefinitionId: null, decisionRequirementsDefinitionKey: null,
        historyTimeToLive: 30, versionTag: '1.0',
      });
      expect(dishV1.id).to.match(/^dish:1:[0-9a-f-]{36}$/);
      expect(dishV2).to.include({ version: 2, versionTag: '2.0', name: 'Dish v2' });
      expect(tenantDish).to.include({ version: 1, tenantId: 'acme' });
      expect(drd).to.deep.equal({ id: drd.id, key: 'dinnerDecisions', category: 'http://camunda.org/schema/1.0/dmn', name: 'Dinner decisions', version: 1, resource: 'dinner.dmn', deploymentId: first.body.id, tenantId: null });
    });

    it('should filter unchanged .dmn resources as duplicates', async () => {
      const again = await rest.deploy([
        { name: 'dish.dmn', content: dmn('business-rule-task-dish.dmn') },
        { name: 'dinner.dmn', content: dmn('business-rule-task-drg.dmn') },
        { name: 'fee.dmn', content: dmn('business-rule-task-collect-sum.dmn') },
        { name: 'types.dmn', content: dmn('decision-definition-router-types.dmn') },
      ], { 'deployment-name': 'decisions', 'enable-duplicate-filtering': 'true' });

      expect(again.body.id).to.equal(first.body.id);
      expect(again.body.deployedDecisionDefinitions).to.equal(null);
      expect(again.body.deployedDecisionRequirementsDefinitions).to.equal(null);
    });

    it('should refuse a FEEL syntax error with the decision, rule and column, deploying nothing', async () => {
      const broken = dmn('business-rule-task-dish.dmn').replace('<text>[5..8]</text>', '<text>[5..8</text>');
      const before = await checksumTables(use().knex);

      // ParseException is a 400 Camunda documents for /deployment/create only as ParseExceptionDto.
      const res = await rest.deploy([{ name: 'broken.dmn', content: broken }, { name: 'fee.dmn', content: dmn('business-rule-task-collect-sum.dmn') }], { 'deployment-name': 'broken' }, { undocumentedStatus: 400 });

      expect(res.status).to.equal(400);
      expect(res.body.type).to.equal('ParseException');
      const [error] = res.body.details['broken.dmn'].errors;
      expect(error.message).to.contain("decision 'dish' (rule 4 'rule_spring', input 'How many guests', entry '[5..8')");
      expect(error).to.include({ mainElementId: 'rule_spring_in1' });
      expect(error.column).to.be.greaterThan(0);
      expect(await checksumTables(use().knex)).to.equal(before);
    });

    it('should deploy a file whose decisions use a script language or a decision service, refusing only those at evaluation', async () => {
      const deployed = await rest.deploy([{ name: 'pricing.dmn', content: dmn('parse-dmn-unsupported-constructs.dmn') }], { 'deployment-name': 'pricing' });

      expect(deployed.status).to.equal(200);
      expect((Object.values(deployed.body.deployedDecisionDefinitions) as any[]).map((d) => d.key).sort()).to.deep.equal(['discount', 'fee', 'region', 'riskClass', 'riskScore']);
      const fee = await rest.post('/decision-definition/key/fee/evaluate', { variables: { items: { value: 3, type: 'Integer' } } });
      expect(fee.body).to.deep.equal([{ fee: { type: 'Integer', value: 5, valueInfo: {} } }]);
      const groovy = await rest.post('/decision-definition/key/riskScore/evaluate', { variables: { items: { value: 3, type: 'Integer' } } }, { undocumentedStatus: 500 });
      expect(groovy.status).to.equal(500);
      expect(groovy.body).to.include({ type: 'RestException' });
      expect(engine.warnings).to.include("pricing.dmn: decision 'riskScore' uses expression language 'groovy', which this engine cannot run (only FEEL, JUEL and enabled JavaScript); the decision deploys but every evaluation of it fails");
      expect(groovy.body.message).to.match(/^Cannot evaluate decision riskScore:1:[0-9a-f-]+: Decision 'riskScore' uses expression language 'groovy', which this engine cannot run \(only FEEL, JUEL and enabled JavaScript\)$/);
    });

    it('should evaluate a javascript expression on a server with JAVASCRIPT_SCRIPTS=true', async () => {
      const trusting = new RestClient(createTestEngine(use(), { javascriptScripts: true }).app);
      await trusting.deploy([{ name: 'pricing.dmn', content: dmn('parse-dmn-unsupported-constructs.dmn') }], { 'deployment-name': 'pricing with javascript' });

      const res = await trusting.post('/decision-definition/key/region/evaluate', { variables: { country: { value: 'DE', type: 'String' } } });

      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal([{ region: { type: 'String', value: 'EU', valueInfo: {} } }]);
    });

    it('should deploy decisions/ with processes/ at start, once', async () => {
      const root = await mkdtemp(path.join(tmpdir(), 'dmn-startup-'));
      try {
        await mkdir(path.join(root, 'processes'));
        await mkdir(path.join(root, 'decisions'));
        await writeFile(path.join(root, 'processes', 'business-rule-task.bpmn'), fixture('bpmn/business-rule-task.bpmn'));
        await writeFile(path.join(root, 'decisions', 'fee.dmn'), dmn('business-rule-task-collect-sum.dmn'));
        await writeFile(path.join(root, 'decisions', 'notes.txt'), 'not a decision');

        const deployed = await deployDirectory(engine.ctx, path.join(root, 'processes'), path.join(root, 'decisions'));
        const again = await deployDirectory(engine.ctx, path.join(root, 'processes'), path.join(root, 'decisions'));

        expect(deployed?.processDefinitions?.map((d) => d.key)).to.deep.equal(['business-rule-task']);
        expect(deployed?.decisionDefinitions?.map((d) => d.key)).to.deep.equal(['totalFee']);
        expect(again?.deployment.id).to.equal(deployed?.deployment.id);
        expect(again?.decisionDefinitions).to.equal(null);
      } finally {
        await rm(root, { recursive: true, force: true });
      }
    });
  });

  describe('queries', () => {
    it('should filter, with /count agreeing', async () => {
      const cases: Array<[string, string[]]> = [
        ['key=dish', [dishV1.id, dishV2.id, tenantDish.id]],
        ['key=dish&latestVersion=true', [dishV2.id, tenantDish.id]],
        ['key=dish&withoutTenantId=true', [dishV1.id, dishV2.id]],
        ['key=dish&tenantIdIn=acme', [tenantDish.id]],
        [`decisionDefinitionId=${dishV1.id}`, [dishV1.id]],
        [`decisionDefinitionIdIn=${dishV1.id},${dishV2.id}`, [dishV1.id, dishV2.id]],
        ['keyIn=dish,nothing&version=2', [dishV2.id]],
        ['keyLike=dis%25&versionTag=2.0', [dishV2.id]],
        ['name=Dish v2', [dishV2.id]],
        ['nameLike=Dish%25&tenantIdIn=acme', [tenantDish.id]],
        [`deploymentId=${first.body.id}&keyLike=dis%25`, [dishV1.id]],
        [`decisionRequirementsDefinitionId=${drd.id}`, (Object.values(first.body.deployedDecisionDefinitions) as any[]).filter((d) => d.decisionRequirementsDefinitionKey).map((d) => d.id)],
        ['decisionRequirementsDefinitionKey=dinnerDecisions&key=beverages', [(Object.values(first.body.deployedDecisionDefinitions) as any[]).find((d) => d.key === 'beverages').id]],
        ['key=nothing', []],
      ];
      for (const [query, expected] of cases) {
        const list = await rest.get(`/decision-definition?${query}`);
        const count = await rest.get(`/decision-definition/count?${query}`);
        expect(list.status, query).to.equal(200);
        expect(list.body.map((d: any) => d.id).sort(), query).to.deep.equal([...expected].sort());
        expect(count.body, query).to.deep.equal({ count: expected.length });
      }
    });

    it('should sort and page', async () => {
      const res = await rest.get('/decision-definition?key=dish&sortBy=version&sortOrder=desc&maxResults=2');
      const byDeployTime = await rest.get('/decision-definition?key=dish&withoutTenantId=true&sortBy=deployTime&sortOrder=asc');

      expect(res.body.map((d: any) => d.version)).to.deep.equal([2, 1]);
      expect(byDeployTime.body.map((d: any) => d.id)).to.deep.equal([dishV1.id, dishV2.id]);
    });

    it('should refuse an unknown sort key', async () => {
      const res = await rest.get('/decision-definition?sortBy=color&sortOrder=asc');

      expect(res.status).to.equal(400);
    });
  });

  describe('lookup', () => {
    it('should return the latest version without tenant for /key/{key}, and the tenant one for /tenant-id/{tid}', async () => {
      expect((await rest.get('/decision-definition/key/dish')).body).to.deep.equal(dishV2);
      expect((await rest.get('/decision-definition/key/dish/tenant-id/acme')).body).to.deep.equal(tenantDish);
      expect((await rest.get(`/decision-definition/${dishV1.id}`)).body).to.deep.equal(dishV1);
    });

    it('should answer 404 with Camunda messages', async () => {
      const byKey = await rest.get('/decision-definition/key/nothing');
      const byTenant = await rest.get('/decision-definition/key/dish/tenant-id/other');
      const byId = await rest.get('/decision-definition/nothing:1:x');

      expect(byKey.status).to.equal(404);
      expect(byKey.body).to.include({ type: 'RestException', message: 'No matching decision definition with key: nothing and no tenant-id' });
      expect(byTenant.body.message).to.equal('No matching decision definition with key: dish and tenant-id: other');
      expect(byId.status).to.equal(404);
    });

    it('should return the deployed XML', async () => {
      const res = await rest.get(`/decision-definition/${dishV1.id}/xml`);
      const byKey = await rest.get('/decision-definition/key/dish/xml');

      expect(res.body).to.deep.equal({ id: dishV1.id, dmnXml: dmn('business-rule-task-dish.dmn') });
      expect(byKey.body.id).to.equal(dishV2.id);
    });
  });

  describe('evaluate', () => {
    it('should answer check 38: one map per matched rule, typed values; an unknown key is a 404', async () => {
      const res = await rest.post('/decision-definition/key/dish/evaluate', { variables: { season: { value: 'Spring', type: 'String' }, guestCount: { value: 6, type: 'Integer' } } });
      const unknown = await rest.post('/decision-definition/key/nothing/evaluate', { variables: {} });

      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal([{ desiredDish: { type: 'String', value: 'Steak', valueInfo: {} }, drink: { type: 'String', value: 'Water', valueInfo: {} } }]);
      expect(unknown.status).to.equal(404);
      expect(unknown.body).to.include({ type: 'RestException', message: 'No matching decision definition with key: nothing and no tenant-id' });
    });

    it('should answer an unknown id with a 404 naming the decision it could not evaluate', async () => {
      const res = await rest.post('/decision-definition/nothing:1:x/evaluate', { variables: {} }, { undocumentedStatus: 404 });

      expect(res.status).to.equal(404);
      expect(res.body).to.deep.equal({ type: 'InvalidRequestException', message: "Cannot evaluate decision nothing:1:x: no deployed decision definition found with id 'nothing:1:x': decisionDefinition is null", code: 0 });
    });

    it('should refuse variables that are not a map of typed values with 400 naming the property', async () => {
      // Camunda's Jackson refuses these with 400, which the OpenAPI does not list for evaluate.
      const JACKSON_400 = { undocumentedStatus: 400 };
      const list = await rest.post('/decision-definition/key/dish/evaluate', { variables: [{ season: 'Spring' }] }, JACKSON_400);
      const bare = await rest.post('/decision-definition/key/dish/evaluate', { variables: { season: 'Spring' } }, JACKSON_400);

      expect(list.status).to.equal(400);
      expect(list.body).to.deep.equal({ type: 'InvalidRequestException', message: "Property 'variables' must be an object, got an array.", code: 0 });
      expect(bare.body).to.deep.equal({ type: 'InvalidRequestException', message: "Property 'variables.season' must be an object, got a string.", code: 0 });
    });

    it('should evaluate by id, and a DRG with its required decision, one map per matched rule', async () => {
      const beverages = (Object.values(first.body.deployedDecisionDefinitions) as any[]).find((d) => d.key === 'beverages');

      const res = await rest.post(`/decision-definition/${beverages.id}/evaluate`, { variables: { season: { value: 'Winter', type: 'String' }, guestsWithChildren: { value: true, type: 'Boolean' } } });

      expect(res.body).to.deep.equal([{ beverage: { type: 'String', value: 'Bordeaux', valueInfo: {} } }, { beverage: { type: 'String', value: 'Apple Juice', valueInfo: {} } }]);
    });

    it('should evaluate a COLLECT SUM table to one entry, and an empty list when nothing matches', async () => {
      const sum = await rest.post('/decision-definition/key/totalFee/evaluate', { variables: { items: { value: 11, type: 'Integer' }, express: { value: false, type: 'Boolean' } } });
      const none = await rest.post('/decision-definition/key/dish/evaluate', { variables: { season: { value: 'Monsoon', type: 'String' }, guestCount: { value: 6, type: 'Integer' } } });

      expect(sum.body).to.deep.equal([{ fee: { type: 'Integer', value: 15, valueInfo: {} } }]);
      expect(none.body).to.deep.equal([]);
    });

    it('should type outputs as Camunda: String, Integer, Long, Double, Boolean, Date, Null and Json', async () => {
      const res = await rest.post('/decision-definition/key/typedOutputs/evaluate', { variables: { flag: { value: true, type: 'Boolean' } } });

      expect(res.body).to.deep.equal([{
        text: { type: 'String', value: 'a text', valueInfo: {} },
        count: { type: 'Integer', value: 42, valueInfo: {} },
        big: { type: 'Long', value: 9007199254740, valueInfo: {} },
        ratio: { type: 'Double', value: 0.3, valueInfo: {} },
        ok: { type: 'Boolean', value: true, valueInfo: {} },
        due: { type: 'Date', value: '2024-01-02T03:04:05.000+0000', valueInfo: {} },
        nothing: { type: 'Null', value: null, valueInfo: {} },
        list: { type: 'Json', value: '[1,"two",{"three":3}]', valueInfo: {} },
      }]);
    });

    it('should answer a UNIQUE violation with a 500 naming the decision and the rules', async () => {
      const deployed = await rest.deploy([{ name: 'decision-table.dmn', content: dmn('decision-table.dmn') }], { 'deployment-name': 'tables' });
      const unique = (Object.values(deployed.body.deployedDecisionDefinitions) as any[]).find((d) => d.key === 'unique');

      // Camunda answers evaluation failures with a 500 its OpenAPI does not document.
      const res = await rest.post('/decision-definition/key/unique/evaluate', { variables: { x: { value: 16, type: 'Integer' } } }, { undocumentedStatus: 500 });

      expect(res.status).to.equal(500);
      expect(res.body.type).to.equal('RestException');
      expect(res.body.message).to.equal(`Cannot evaluate decision ${unique.id}: Decision 'unique' (hit policy UNIQUE): 2 rules match (2 'unique_r2', 3 'unique_r3') but the UNIQUE hit policy allows only one`);
    });

    it('should evaluate a missing input as null with a 200, as Camunda: no match, or the rule testing `null`', async () => {
      await rest.deploy([{ name: 'menu.dmn', content: dmn('decision-definition-router-missing-input.dmn') }], { 'deployment-name': 'menu' });

      const noMatch = await rest.post('/decision-definition/key/dish/evaluate', { variables: {} });
      const nullRule = await rest.post('/decision-definition/key/seasonalSoup/evaluate', { variables: {} });
      const withSeason = await rest.post('/decision-definition/key/seasonalSoup/evaluate', { variables: { season: { value: 'Winter', type: 'String' } } });

      expect(noMatch.status).to.equal(200);
      expect(noMatch.body).to.deep.equal([]);
      expect(nullRule.status).to.equal(200);
      expect(nullRule.body).to.deep.equal([{ soup: { type: 'String', value: 'Soup of the day', valueInfo: {} } }]);
      expect(withSeason.body).to.deep.equal([{ soup: { type: 'String', value: 'Pumpkin soup', valueInfo: {} } }]);
    });

    it('should refuse a variable that does not convert with a 400', async () => {
      const res = await rest.post('/decision-definition/key/dish/evaluate', { variables: { guestCount: { value: 'many', type: 'Integer' } } }, { undocumentedStatus: 400 });

      expect(res.status).to.equal(400);
      expect(res.body.message).to.match(/^Cannot evaluate decision dish:2:.*Cannot convert value 'many'/);
    });
  });

  describe('decision requirements definitions', () => {
    it('should list, count, get by id and key, and return the XML', async () => {
      const list = await rest.get('/decision-requirements-definition?key=dinnerDecisions');
      const count = await rest.get('/decision-requirements-definition/count?keyLike=dinner%25&latestVersion=true');
      const byId = await rest.get(`/decision-requirements-definition/${drd.id}`);
      const byKey = await rest.get('/decision-requirements-definition/key/dinnerDecisions');
      const xml = await rest.get(`/decision-requirements-definition/${drd.id}/xml`);
      const missing = await rest.get('/decision-requirements-definition/key/nothing');

      expect(list.body).to.deep.equal([drd]);
      expect(count.body).to.deep.equal({ count: 1 });
      expect(byId.body).to.deep.equal(drd);
      expect(byKey.body).to.deep.equal(drd);
      expect(xml.body).to.deep.equal({ id: drd.id, dmnXml: dmn('business-rule-task-drg.dmn') });
      expect(missing.status).to.equal(404);
    });

    it('should refuse an unknown id with 400, as Camunda\'s engine refuses it as a NotValidException', async () => {
      const byId = await rest.get('/decision-requirements-definition/nothing:1:x', { undocumentedStatus: 400 });
      const xml = await rest.get('/decision-requirements-definition/nothing:1:x/xml', { undocumentedStatus: 400 });

      const expected = { type: 'InvalidRequestException', message: "no deployed decision requirements definition found with id 'nothing:1:x': decisionRequirementsDefinition is null", code: 0 };
      expect([byId.status, byId.body]).to.deep.equal([400, expected]);
      expect([xml.status, xml.body]).to.deep.equal([400, expected]);
    });
  });

  describe('cascading deletion', () => {
    it('should remove the decision (requirements) definitions of a deleted deployment', async () => {
      const deployed = await rest.deploy([{ name: 'dinner.dmn', content: dmn('business-rule-task-drg.dmn') }], { 'deployment-name': 'to delete' });

      expect((await rest.delete(`/deployment/${deployed.body.id}?cascade=true`)).status).to.equal(204);

      expect((await rest.get(`/decision-definition/count?deploymentId=${deployed.body.id}`)).body).to.deep.equal({ count: 0 });
      expect((await rest.get(`/decision-requirements-definition/count?deploymentId=${deployed.body.id}`)).body).to.deep.equal({ count: 0 });
      expect((await rest.get('/decision-requirements-definition/key/dinnerDecisions')).body.id).to.equal(drd.id);
    });
  });
});
