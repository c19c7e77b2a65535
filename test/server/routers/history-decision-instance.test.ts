/** Specification of `/history/decision-instance`: decisions evaluated over REST and by business rule tasks, with inputs and outputs. */
import { expect } from 'chai';
import { describeOnDatabases } from '../../support/test-databases.js';
import { createTestEngine } from '../../support/test-engine.js';
import { fixture, RestClient } from '../../support/rest-client.js';

const dmn = (name: string) => fixture(`dmn/${name}`).toString('utf8');

describeOnDatabases('history router: decision instances', (use) => {
  let rest: RestClient;
  let instanceId: string;
  let now: number;

  before(async () => {
    now = Date.parse('2024-03-01T10:00:00.000Z');
    rest = new RestClient(createTestEngine(use(), { clock: { now: () => new Date(now) } }).app);
    const deployed = await rest.deploy([
      { name: 'business-rule-task.bpmn', content: fixture('bpmn/business-rule-task.bpmn') },
      { name: 'business-rule-task-dish.dmn', content: dmn('business-rule-task-dish.dmn') },
      { name: 'business-rule-task-collect-sum.dmn', content: dmn('business-rule-task-collect-sum.dmn') },
      { name: 'business-rule-task-drg.dmn', content: dmn('business-rule-task-drg.dmn') },
    ], { 'deployment-name': 'dinner' });
    expect(deployed.status, deployed.text).to.equal(200);
    const evaluated = await rest.post('/decision-definition/key/dish/evaluate', {
      variables: { season: { value: 'Winter', type: 'String' }, guestCount: { value: 4, type: 'Integer' } },
    });
    expect(evaluated.status, evaluated.text).to.equal(200);
    const started = await rest.post('/process-definition/key/business-rule-task/start', {
      variables: {
        season: { type: 'String', value: 'Spring' },
        guestCount: { type: 'Integer', value: 3 },
        items: { type: 'Integer', value: 12 },
        express: { type: 'Boolean', value: true },
        guestsWithChildren: { type: 'Boolean', value: true },
      },
    });
    expect(started.status, started.text).to.equal(200);
    instanceId = started.body.id;
  });

  it('should record a REST evaluation with its inputs and the matched rule\'s outputs when asked to include them', async () => {
    const res = await rest.get('/history/decision-instance?decisionDefinitionKey=dish&includeInputs=true&includeOutputs=true&sortBy=evaluationTime&sortOrder=asc');

    expect(res.status).to.equal(200);
    const rest0 = res.body.find((d: any) => d.processInstanceId === null);
    expect(rest0).to.include({ decisionDefinitionKey: 'dish', decisionDefinitionName: 'Dish', evaluationTime: '2024-03-01T10:00:00.000+0000', rootDecisionInstanceId: null, activityId: null });
    // ordered by clause id, as Camunda lists them, not in the table's order
    expect(rest0.inputs.map((i: any) => [i.clauseId, i.clauseName, i.type, i.value])).to.deep.equal([
      ['guestCountInput', 'How many guests', 'Integer', 4],
      ['seasonInput', 'Season', 'String', 'Winter'],
    ]);
    expect(rest0.outputs.map((o: any) => [o.clauseId, o.clauseName, o.ruleId, o.ruleOrder, o.variableName, o.type, o.value])).to.deep.equal([
      ['desiredDishOutput', 'Dish', 'rule_winter', 1, 'desiredDish', 'String', 'Roastbeef'],
      ['drinkOutput', 'Drink', 'rule_winter', 1, 'drink', 'String', 'Red wine'],
    ]);
    expect(rest0.inputs[0]).to.include({ decisionInstanceId: rest0.id, createTime: '2024-03-01T10:00:00.000+0000' });
  });

  it('should leave inputs and outputs out unless asked, as Camunda does', async () => {
    const [first] = (await rest.get('/history/decision-instance?decisionDefinitionKey=dish')).body;

    expect(first).to.include({ inputs: null, outputs: null });
  });

  it('should record the decisions of business rule tasks with their process, activity and the required decision as a child', async () => {
    const res = await rest.get(`/history/decision-instance?processInstanceId=${instanceId}&includeOutputs=true`);
    const count = await rest.get(`/history/decision-instance/count?processInstanceId=${instanceId}`);

    // dish twice (dishList, dishResult), totalFee, and beverages with its required dinnerDish
    expect(res.body.map((d: any) => d.decisionDefinitionKey).sort()).to.deep.equal(['beverages', 'dinnerDish', 'dish', 'dish', 'totalFee']);
    expect(count.body).to.deep.equal({ count: 5 });
    const beverages = res.body.find((d: any) => d.decisionDefinitionKey === 'beverages');
    const dinnerDish = res.body.find((d: any) => d.decisionDefinitionKey === 'dinnerDish');
    expect(beverages).to.include({ processDefinitionKey: 'business-rule-task', activityId: 'beverages', rootDecisionInstanceId: null, decisionRequirementsDefinitionKey: 'dinnerDecisions' });
    expect(beverages.activityInstanceId).to.match(/^beverages:/);
    expect(dinnerDish).to.include({ rootDecisionInstanceId: beverages.id, activityId: 'beverages' });
    const fee = res.body.find((d: any) => d.decisionDefinitionKey === 'totalFee');
    expect(fee.collectResultValue).to.equal(22.5);
  });

  it('should filter by root decision instances only, with /count agreeing', async () => {
    const roots = await rest.get(`/history/decision-instance/count?processInstanceId=${instanceId}&rootDecisionInstancesOnly=true`);

    expect(roots.body).to.deep.equal({ count: 4 });
  });

  it('should give decisions evaluated over REST, required ones included, the evaluation time plus the asked-for decision\'s historyTimeToLive days', async () => {
    const evaluated = await rest.post('/decision-definition/key/beverages/evaluate', {
      variables: { season: { value: 'Winter', type: 'String' }, guestsWithChildren: { value: false, type: 'Boolean' } },
    });
    expect(evaluated.status, evaluated.text).to.equal(200);

    const dish = await rest.get('/history/decision-instance?decisionDefinitionKey=dish&includeInputs=true&includeOutputs=true');
    const drg = await rest.get('/history/decision-instance?decisionRequirementsDefinitionKey=dinnerDecisions&includeInputs=true&includeOutputs=true');
    const overRest = [...dish.body, ...drg.body].filter((d: any) => d.processInstanceId === null);
    expect(overRest.map((d: any) => d.decisionDefinitionKey).sort()).to.deep.equal(['beverages', 'dinnerDish', 'dish']);
    for (const decision of overRest) {
      const entries = [decision, ...decision.inputs, ...decision.outputs];
      expect(entries.map((e: any) => e.removalTime), decision.decisionDefinitionKey).to.deep.equal(entries.map(() => '2024-03-31T10:00:00.000+0000'));
    }
  });

  it('should give a business rule task\'s decisions no removalTime while the instance runs, then its end time plus the process\'s historyTimeToLive days', async () => {
    const url = `/history/decision-instance?processInstanceId=${instanceId}&includeInputs=true&includeOutputs=true`;
    const removalTimes = (decisions: any[]) => decisions.flatMap((d: any) => [d, ...d.inputs, ...d.outputs].map((e: any) => e.removalTime));
    const whileRunning = removalTimes((await rest.get(url)).body);

    now += 7000;
    const [task] = (await rest.get(`/task?processInstanceId=${instanceId}`)).body;
    expect((await rest.post(`/task/${task.id}/complete`, {})).status).to.equal(204);
    const afterEnd = removalTimes((await rest.get(url)).body);

    expect(whileRunning.length).to.be.greaterThan(5);
    expect(whileRunning).to.deep.equal(whileRunning.map(() => null));
    expect(afterEnd).to.deep.equal(whileRunning.map(() => '2024-08-28T10:00:07.000+0000'));
  });
});
