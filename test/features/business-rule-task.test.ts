/** Scenario: business rule tasks evaluate deployed DMN decisions, with every binding and result mapping of Camunda 7. */
import { expect } from 'chai';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { fixture, RestClient } from '../support/rest-client.js';
import { checksumTables } from '../support/table-checksum.js';

const DISH = () => fixture('dmn/business-rule-task-dish.dmn').toString('utf8');
const FEE = () => fixture('dmn/business-rule-task-collect-sum.dmn').toString('utf8');
const DRG = () => fixture('dmn/business-rule-task-drg.dmn').toString('utf8');

/** A process with one business rule task (the given camunda attributes) before a user task. */
function singleTaskProcess(key: string, attributes: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_${key}" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="${key}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="decide" />
    <bpmn:businessRuleTask id="decide" camunda:resultVariable="result" ${attributes} />
    <bpmn:sequenceFlow id="f2" sourceRef="decide" targetRef="wait" />
    <bpmn:userTask id="wait" />
    <bpmn:sequenceFlow id="f3" sourceRef="wait" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;
}

const dinner = (season: string, guestCount: number) => ({
  season: { type: 'String', value: season },
  guestCount: { type: 'Integer', value: guestCount },
  items: { type: 'Integer', value: 12 },
  express: { type: 'Boolean', value: true },
  guestsWithChildren: { type: 'Boolean', value: true },
});

describeOnDatabases('feature: business rule tasks', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
  });

  async function start(key: string, variables: Record<string, unknown>, options: { undocumentedStatus?: number } = {}) {
    return rest.post(`/process-definition/key/${key}/start`, { variables }, options);
  }

  async function variablesOf(instanceId: string) {
    return (await rest.get(`/process-instance/${instanceId}/variables`)).body;
  }

  describe('deployed together with their decisions', () => {
    let deployment: any;

    before(async () => {
      deployment = await rest.deploy([
        { name: 'business-rule-task.bpmn', content: fixture('bpmn/business-rule-task.bpmn') },
        { name: 'business-rule-task-dish.dmn', content: DISH() },
        { name: 'business-rule-task-collect-sum.dmn', content: FEE() },
        { name: 'business-rule-task-drg.dmn', content: DRG() },
      ], { 'deployment-name': 'dinner' });
    });

    it('should deploy the process, four decisions and one decision requirements definition (the DRG file)', async () => {
      expect(deployment.status).to.equal(200);
      expect(Object.values(deployment.body.deployedProcessDefinitions).map((d: any) => d.key)).to.deep.equal(['business-rule-task']);
      const decisions = Object.values(deployment.body.deployedDecisionDefinitions) as any[];
      expect(decisions.map((d) => d.key).sort()).to.deep.equal(['beverages', 'dinnerDish', 'dish', 'totalFee']);
      const requirements = Object.values(deployment.body.deployedDecisionRequirementsDefinitions) as any[];
      expect(requirements.map((d) => d.key)).to.deep.equal(['dinnerDecisions']);
      expect(decisions.find((d) => d.key === 'beverages').decisionRequirementsDefinitionId).to.equal(requirements[0].id);
      expect(decisions.find((d) => d.key === 'dish')).to.include({ decisionRequirementsDefinitionId: null, versionTag: '1.0', historyTimeToLive: 30, version: 1 });
    });

    it('should map the results as resultList, singleResult, singleEntry and collectEntries', async () => {
      // when
      const started = await start('business-rule-task', dinner('Spring', 3));

      // then
      expect(started.status).to.equal(200);
      const variables = await variablesOf(started.body.id);
      expect(variables.dishList.type).to.equal('Json');
      expect(JSON.parse(variables.dishList.value)).to.deep.equal([{ desiredDish: 'Dry Aged Gourmet Steak', drink: 'Water' }]);
      expect(variables.dishResult.type).to.equal('Json');
      expect(JSON.parse(variables.dishResult.value)).to.deep.equal({ desiredDish: 'Dry Aged Gourmet Steak', drink: 'Water' });
      expect(variables.fee).to.deep.equal({ type: 'Double', value: 22.5, valueInfo: {} });
      // dinnerDish (required by beverages) gives Stew for spring; children add apple juice.
      expect(JSON.parse(variables.beverages.value)).to.deep.equal(['Guiness', 'Apple Juice']);
    });

    it('should store null for singleResult and singleEntry, and an empty list for collectEntries, when no rule matches', async () => {
      // Winter with 8 guests or fewer matches; the dish table has no rule for an unknown season.
      const started = await start('business-rule-task', { ...dinner('Monsoon', 3), guestsWithChildren: { type: 'Boolean', value: false } });

      expect(started.status).to.equal(200);
      const variables = await variablesOf(started.body.id);
      expect(JSON.parse(variables.dishList.value)).to.deep.equal([]);
      expect(variables.dishResult.type).to.equal('Null');
      // Monsoon is neither winter nor summer, so dinnerDish gives Stew and beverages Guiness.
      expect(JSON.parse(variables.beverages.value)).to.deep.equal(['Guiness']);
    });

    it('should evaluate a missing input variable as null instead of failing the start, as Camunda', async () => {
      // given a process whose scope has guestCount but no season
      await rest.deploy([{ name: 'no-season.bpmn', content: singleTaskProcess('no-season', 'camunda:decisionRef="dish" camunda:mapDecisionResult="resultList"') }], { 'deployment-name': 'no season' });

      // when
      const started = await start('no-season', { guestCount: { type: 'Integer', value: 3 } });

      // then no rule of dish matches a null season: the result list is empty and the token waits at the user task
      expect(started.status).to.equal(200);
      const variables = await variablesOf(started.body.id);
      expect(variables.result.type).to.equal('Json');
      expect(JSON.parse(variables.result.value)).to.deep.equal([]);
      expect((await rest.get(`/task?processInstanceId=${started.body.id}`)).body.map((t: any) => t.taskDefinitionKey)).to.deep.equal(['wait']);
    });

    it('should bind decisionRefBinding="deployment" to the decision deployed with the process', async () => {
      const res = await rest.deploy([
        { name: 'by-deployment.bpmn', content: singleTaskProcess('by-deployment', 'camunda:decisionRef="dish" camunda:decisionRefBinding="deployment" camunda:mapDecisionResult="singleEntry"') },
      ], { 'deployment-name': 'process only' });
      expect(res.status).to.equal(200);

      // The deployment holds no decision: Camunda fails the command.
      const failed = await start('by-deployment', dinner('Summer', 2));
      expect(failed.status).to.equal(500);
      expect(failed.body.message).to.contain("no decision definition deployed with key = 'dish' and deployment id");
    });
  });

  describe('deployed separately from their decisions', () => {
    let dishV2: any;
    let dishV3: any;

    before(async () => {
      const v2 = await rest.deploy([{ name: 'dish.dmn', content: DISH().replace('"Steak"', '"Steak v2"').replace('camunda:versionTag="1.0"', 'camunda:versionTag="2.0"') }], { 'deployment-name': 'dish v2' });
      dishV2 = Object.values(v2.body.deployedDecisionDefinitions)[0];
      const v3 = await rest.deploy([{ name: 'dish.dmn', content: DISH().replace('"Steak"', '"Steak v3"').replace('camunda:versionTag="1.0"', 'camunda:versionTag="2.0"') }], { 'deployment-name': 'dish v3' });
      dishV3 = Object.values(v3.body.deployedDecisionDefinitions)[0];
      expect(v2.body.deployedProcessDefinitions).to.equal(null);
      expect(v2.body.deployedDecisionRequirementsDefinitions).to.equal(null);
    });

    const cases: Array<[string, string, string]> = [
      ['latest (default)', 'camunda:decisionRef="dish"', 'Steak v3'],
      ['version', 'camunda:decisionRef="dish" camunda:decisionRefBinding="version" camunda:decisionRefVersion="2"', 'Steak v2'],
      ['versionTag', 'camunda:decisionRef="dish" camunda:decisionRefBinding="versionTag" camunda:decisionRefVersionTag="1.0"', 'Steak'],
      ['an expression in decisionRef', 'camunda:decisionRef="${decisionKey}"', 'Steak v3'],
    ];
    for (const [binding, attributes, dish] of cases) {
      it(`should evaluate the decision bound by ${binding}`, async () => {
        const key = `binding-${binding.replace(/\W+/g, '-')}`;
        await rest.deploy([{ name: `${key}.bpmn`, content: singleTaskProcess(key, `${attributes} camunda:mapDecisionResult="singleResult"`) }], { 'deployment-name': key });

        const started = await start(key, { ...dinner('Spring', 6), decisionKey: { type: 'String', value: 'dish' } });

        expect(started.status, JSON.stringify(started.body)).to.equal(200);
        expect(JSON.parse((await variablesOf(started.body.id)).result.value)).to.deep.equal({ desiredDish: dish, drink: 'Water' });
      });
    }

    it('should have deployed versions 2 and 3 of dish', () => {
      expect([dishV2.version, dishV3.version]).to.deep.equal([2, 3]);
    });
  });

  describe("Camunda's errors, with nothing committed", () => {
    before(async () => {
      await rest.deploy([
        { name: 'business-rule-task-dish.dmn', content: DISH() },
        { name: 'business-rule-task-drg.dmn', content: DRG() },
      ], { 'deployment-name': 'decisions for errors' });
    });

    const cases: Array<[string, string, Record<string, unknown>, string]> = [
      ['singleEntry with two outputs', 'camunda:decisionRef="dish" camunda:mapDecisionResult="singleEntry"', dinner('Summer', 2), "ENGINE-22001 The decision result mapper 'SingleEntryDecisionResultMapper' failed to process"],
      ['singleResult with two matched rules', 'camunda:decisionRef="beverages" camunda:mapDecisionResult="singleResult"', dinner('Winter', 2), "ENGINE-22001 The decision result mapper 'SingleResultDecisionResultMapper' failed to process"],
      ['singleEntry with two matched rules', 'camunda:decisionRef="beverages" camunda:mapDecisionResult="singleEntry"', dinner('Winter', 2), 'more than one result'],
      ['collectEntries with two output names', 'camunda:decisionRef="dish" camunda:mapDecisionResult="collectEntries"', dinner('Summer', 2), "ENGINE-22002 The decision result mapper 'CollectEntriesDecisionResultMapper' failed to process"],
      ['an input of the wrong type (a DecisionEvaluationError)', 'camunda:decisionRef="dish"', { ...dinner('Summer', 2), guestCount: { type: 'String', value: 'many' } }, "Decision 'dish' (input 2 'How many guests'"],
      ['an unknown decision', 'camunda:decisionRef="nothing"', dinner('Summer', 2), "no decision definition deployed with key 'nothing'"],
    ];
    for (const [title, attributes, variables, message] of cases) {
      it(`should fail the start with a 500 for ${title}`, async () => {
        const key = `error-${title.replace(/\W+/g, '-')}`;
        await rest.deploy([{ name: `${key}.bpmn`, content: singleTaskProcess(key, attributes) }], { 'deployment-name': key });
        const before = await checksumTables(use().knex);

        const res = await start(key, variables);

        expect(res.status).to.equal(500);
        // Camunda's start resource wraps the engine's exception.
        expect(res.body.type).to.equal('RestException');
        expect(res.body.message).to.match(/^Cannot instantiate process definition \S+: /);
        expect(res.body.message).to.contain(message);
        expect(await checksumTables(use().knex)).to.equal(before);
      });
    }
  });

  describe('deploy-time checks', () => {
    it('should refuse decisionRefBinding="version" without decisionRefVersion', async () => {
      const res = await rest.deploy([{ name: 'no-version.bpmn', content: singleTaskProcess('no-version', 'camunda:decisionRef="dish" camunda:decisionRefBinding="version"') }], {}, { undocumentedStatus: 400 });

      expect(res.status).to.equal(400);
      expect(res.body.message).to.contain('needs camunda:decisionRefVersion');
    });

    it('should refuse an unknown mapDecisionResult', async () => {
      const res = await rest.deploy([{ name: 'bad-map.bpmn', content: singleTaskProcess('bad-map', 'camunda:decisionRef="dish" camunda:mapDecisionResult="firstEntry"') }], {}, { undocumentedStatus: 400 });

      expect(res.status).to.equal(400);
      expect(res.body.message).to.contain("camunda:mapDecisionResult 'firstEntry'");
    });
  });
});
