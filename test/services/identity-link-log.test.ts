/** Specification of the identity link log rows: which link changes a task's assignee, owner and candidates make, and their batching. */
import { expect } from 'chai';
import { linksOfNewTask, userLinkChanges } from '../../src/services/identity-link-log.js';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { RestClient } from '../support/rest-client.js';

describe('identity link log: link changes', () => {
  it('should delete the former user link and add the new one when an assignee or owner changes', () => {
    expect(userLinkChanges('assignee', 'kermit', 'gonzo')).to.deep.equal([
      { type: 'assignee', userId: 'kermit', groupId: null, operationType: 'delete' },
      { type: 'assignee', userId: 'gonzo', groupId: null, operationType: 'add' },
    ]);
    expect(userLinkChanges('owner', null, 'piggy')).to.deep.equal([{ type: 'owner', userId: 'piggy', groupId: null, operationType: 'add' }]);
    expect(userLinkChanges('owner', 'piggy', null)).to.deep.equal([{ type: 'owner', userId: 'piggy', groupId: null, operationType: 'delete' }]);
  });

  it('should log nothing when an assignee is set to the one the task has', () => {
    expect(userLinkChanges('assignee', 'kermit', 'kermit')).to.deep.equal([]);
    expect(userLinkChanges('assignee', null, null)).to.deep.equal([]);
  });

  it('should add a new task\'s assignee, owner, candidate users and candidate groups', () => {
    const changes = linksOfNewTask({ assignee: 'kermit', owner: null, candidate_users: ['fozzie'], candidate_groups: ['reviewers', 'managers'] });
    expect(changes.map((change) => `${change.operationType} ${change.type} ${change.userId ?? change.groupId}`)).to.deep.equal([
      'add assignee kermit', 'add candidate fozzie', 'add candidate reviewers', 'add candidate managers',
    ]);
  });
});

describeOnDatabases('identity link log: batched writes', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    await rest.deployFixture('bench-multi-instance.bpmn');
  });

  after(() => engine?.fetchAndLockWaiter.close());

  it('should log the assignees of the 1,100 tasks a parallel multi-instance creates in one command', async function () {
    this.timeout(120_000);
    // given
    const reviewers = Array.from({ length: 1_100 }, (_, i) => `reviewer-${i}`);

    // when
    const started = await rest.post('/process-definition/key/bench-parallel-reviews/start', {
      variables: { reviewers: { value: JSON.stringify(reviewers), type: 'Object', valueInfo: { objectTypeName: 'java.util.ArrayList<java.lang.String>', serializationDataFormat: 'application/json' } } },
    });

    // then
    expect(started.status, started.text).to.equal(200);
    expect((await rest.get('/history/identity-link-log/count?processDefinitionKey=bench-parallel-reviews&type=assignee&operationType=add')).body.count).to.equal(1_100);
    const last = (await rest.get('/history/identity-link-log?userId=reviewer-1099')).body;
    expect(last).to.have.length(1);
    expect(last[0]).to.include({ type: 'assignee', operationType: 'add', rootProcessInstanceId: started.body.id });
  });
});
