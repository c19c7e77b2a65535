/** Scenario: an exclusive gateway routes on Camunda JUEL conditions and a FEEL condition, as modelled in Camunda Modeler. */
import { expect } from 'chai';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine } from '../support/test-engine.js';
import { RestClient } from '../support/rest-client.js';

type Variables = Record<string, { value: unknown; type: string }>;

/** Variables under which no condition holds; each case changes what selects its own flow. */
const NEUTRAL: Variables = {
  amount: { value: 10, type: 'Integer' },
  approved: { value: false, type: 'Boolean' },
  reviewer: { value: null, type: 'Null' },
  customer: { value: '{"tier":"silver"}', type: 'Json' },
  payload: { value: '{"code":"A0"}', type: 'Json' },
  tier: { value: 'silver', type: 'String' },
  days: { value: -5, type: 'Integer' },
};

describeOnDatabases('feature: expression routing', (use) => {
  let rest: RestClient;

  before(async () => {
    rest = new RestClient(createTestEngine(use()).app);
    await rest.deployFixture('expression-routing.bpmn');
  });

  async function endOf(variables: Variables, businessKey?: string): Promise<string> {
    const started = await rest.post('/process-definition/key/expression-routing/start', { businessKey, variables: { ...NEUTRAL, ...variables } });
    expect(started.status, started.text).to.equal(200);
    expect(started.body.ended).to.equal(true);
    const ends = await rest.get(`/history/activity-instance?processInstanceId=${started.body.id}&activityType=noneEndEvent`);
    return ends.body.map((a: { activityId: string }) => a.activityId).join(',');
  }

  const cases: Array<[string, Variables, string | undefined, string]> = [
    ['${amount > 1000}', { amount: { value: 5000, type: 'Long' } }, undefined, 'EndLarge'],
    ['${approved == true && not empty reviewer}', { approved: { value: true, type: 'Boolean' }, reviewer: { value: 'rita', type: 'String' } }, undefined, 'EndReviewed'],
    ["${customer.tier eq 'gold'} on a Json variable", { customer: { value: '{"tier":"gold"}', type: 'Json' } }, undefined, 'EndGold'],
    ['#{execution.processBusinessKey}', {}, 'vip', 'EndVip'],
    ["${S(payload).prop('code').stringValue()}", { payload: { value: '{"code":"X1"}', type: 'Json' } }, undefined, 'EndCoded'],
  ];
  for (const [condition, variables, businessKey, end] of cases) {
    it(`should take the flow whose condition ${condition} holds`, async () => {
      expect(await endOf(variables, businessKey)).to.equal(end);
    });
  }

  it('should evaluate ${dateTime().plusDays(days).toDate()} and ${now()} against the clock', async () => {
    expect(await endOf({ days: { value: 3, type: 'Integer' } })).to.equal('EndFuture');
  });

  it('should evaluate a condition with language="feel" on feelin', async () => {
    expect(await endOf({ tier: { value: 'gold', type: 'String' } })).to.equal('EndFeel');
  });

  it('should take the default flow when no condition holds', async () => {
    expect(await endOf({})).to.equal('EndOther');
  });

  it('should refuse to start when a condition names an unknown variable, and commit nothing', async () => {
    const { amount: _amount, ...withoutAmount } = NEUTRAL;
    const started = await rest.post('/process-definition/key/expression-routing/start', { variables: withoutAmount });
    expect(started.status).to.equal(500);
    expect(started.body.message).to.contain("Cannot resolve identifier 'amount'").and.to.contain('Route');
    const count = await rest.get('/history/process-instance/count?processDefinitionKey=expression-routing');
    const finished = await rest.get('/history/process-instance/count?processDefinitionKey=expression-routing&finished=true');
    expect(count.body.count).to.equal(finished.body.count);
  });
});
