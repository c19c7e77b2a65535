/** Differential: the error bodies of an unknown id and of a bad request. */
import { expect } from 'chai';
import { RawBody } from './engine-client.js';
import { describeAgainstOperaton } from './engine-pair.js';

describeAgainstOperaton('errors', (use) => {
  before(async () => {
    await use().ensureDeployed('bpmn/differential-user-task.bpmn');
  });

  it('should answer an unknown task, process instance and definition key with Operaton\'s 404 bodies', async () => {
    await use().expectSame('GET', '/task/no-such-task');
    await use().expectSame('GET', '/process-instance/no-such-instance');
    await use().expectSame('GET', '/process-definition/key/no-such-process');
    await use().expectSame('GET', '/decision-definition/key/no-such-decision');
    await use().expectSame('GET', '/external-task/no-such-task');
  });

  it('should answer a command on an unknown task with Operaton\'s error body', async () => {
    await use().expectSame('POST', '/task/no-such-task/complete', {});
    await use().expectSame('POST', '/external-task/no-such-task/complete', { workerId: 'differential-worker' });
  });

  it('should answer a variable that does not fit its type with Operaton\'s 400 body', async () => {
    await use().expectSame('POST', '/process-definition/key/differential-user-task/start', { variables: { amount: { value: 'abc', type: 'Integer' } } });
  });

  it('should answer an unknown sort key with Operaton\'s 400 body', async () => {
    await use().expectSame('GET', '/task?sortBy=bogus&sortOrder=asc');
  });

  it('should refuse a JSON endpoint called with a form\'s content type with Operaton\'s 415', async () => {
    await use().expectSame('POST', '/process-definition/key/differential-user-task/start', new RawBody('{"businessKey":"csrf"}', 'text/plain'));
    await use().expectSame('GET', '/process-instance/count?businessKey=csrf');
  });

  it('should refuse a command sent without a body or a content type, as Operaton does, with a 415 where Operaton fails', async () => {
    // given: a task on each engine
    await use().expectSame('POST', '/process-definition/key/differential-user-task/start', { businessKey: 'no-body' }, { remember: { bodylessInstance: (answer) => answer.body.id } });
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.bodylessInstance}`, undefined, { remember: { bodylessTask: (answer) => answer.body[0].id } });

    // when: a cross-site fetch in no-cors mode can send a POST with neither
    const { ours, operaton } = await use().callBoth('POST', (ids) => `/task/${ids.bodylessTask}/complete`);
    const { ours: oursStart, operaton: operatonStart } = await use().callBoth('POST', '/process-definition/key/differential-user-task/start');

    // then: Operaton fails with a NullPointerException (no DTO), we refuse the media type; the task is still there
    expect([operaton.status, (operaton.body as { type: string }).type]).to.deep.equal([500, 'NullPointerException']);
    expect([operatonStart.status, (operatonStart.body as { type: string }).type]).to.deep.equal([500, 'NullPointerException']);
    expect(ours.status).to.equal(415);
    expect(oursStart.status).to.equal(415);
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.bodylessInstance}`);
  });

  it('should answer a fetchAndLock whose topics is not a list with a 400, in Camunda\'s JSON error format where Operaton sends plain text', async () => {
    // when
    const body = { workerId: 'differential-worker', maxTasks: 1, topics: {} };
    const { ours, operaton } = await use().callBoth('POST', '/external-task/fetchAndLock', body);
    // then: the same status; the body is an intended difference. Operaton answers either Jackson's message as plain
    // text or an InvalidRequestException with an empty message: which of its handlers catches it varies between runs.
    expect(operaton.status).to.equal(400);
    if (operaton.contentType === 'text/plain') expect(operaton.body).to.contain('FetchExternalTaskTopicDto');
    else expect(operaton.body).to.deep.equal({ type: 'InvalidRequestException', message: '', code: null });
    expect(ours.status).to.equal(400);
    expect(ours.body).to.deep.equal({ type: 'InvalidRequestException', message: "Property 'topics' must be an array, got an object.", code: 0 });
  });
});
