/**
 * Differential: `/variable-instance` across scopes, and the smaller resources: schema log, telemetry, password policy,
 * user unlock, identity OPTIONS and deleting task-worker metrics.
 */
import { expect } from 'chai';
import { describeAgainstOperaton, type Ids } from './engine-pair.js';

const SCAN = { value: Buffer.from('%PDF-1.4').toString('base64'), type: 'File', valueInfo: { filename: 'scan.pdf', mimeType: 'application/pdf' } };

describeAgainstOperaton('variable instances and smaller resources', (use) => {
  before(async () => {
    await use().ensureDeployed('bpmn/differential-filters.bpmn');
  });

  it('should start an instance with variables and give one task a local variable, as Operaton does', async () => {
    await use().expectSame('POST', '/process-definition/key/differential-filters/start', {
      variables: { amount: { value: 10, type: 'Integer' }, note: { value: 'Hello', type: 'String' }, approved: { value: false, type: 'Boolean' }, scan: SCAN },
    }, { remember: { variableInstance: (answer) => answer.body.id } });
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.variableInstance}&name=Review%20claim`, undefined, { remember: { variableTask: (answer) => answer.body[0].id } });
    await use().expectSame('PUT', (ids) => `/task/${ids.variableTask}/localVariables/comment`, { value: 'looks fine', type: 'String' });
  });

  it('should list and count the instance\'s variables of every scope as Operaton does', async () => {
    await use().expectSame('GET', (ids) => `/variable-instance?processInstanceIdIn=${ids.variableInstance}&sortBy=variableName&sortOrder=asc`, undefined, {
      remember: { amountVariable: (answer) => answer.body[0].id, noteVariable: (answer) => answer.body[3].id, scanVariable: (answer) => answer.body[4].id },
    });
    await use().expectSame('GET', (ids) => `/variable-instance/count?processInstanceIdIn=${ids.variableInstance}`);
    await use().expectSame('GET', (ids) => `/variable-instance?taskIdIn=${ids.variableTask}`);
    await use().expectSame('GET', (ids) => `/variable-instance?variableScopeIdIn=${ids.variableTask}&deserializeValues=false`);
    await use().expectSame('GET', (ids) => `/variable-instance?processInstanceIdIn=${ids.variableInstance}&executionIdIn=${ids.variableInstance}&sortBy=variableName&sortOrder=desc`);
    await use().expectSame('GET', (ids) => `/variable-instance?activityInstanceIdIn=${ids.variableInstance}&sortBy=variableName&sortOrder=asc&firstResult=1&maxResults=2`);
    await use().expectSame('GET', (ids) => `/variable-instance?processInstanceIdIn=${ids.variableInstance}&variableNameLike=%25o%25&sortBy=variableName&sortOrder=asc`);
    await use().expectSame('POST', '/variable-instance?maxResults=2', (ids: Ids) => ({ processInstanceIdIn: [ids.variableInstance], sorting: [{ sortBy: 'variableName', sortOrder: 'desc' }] }));
  });

  it('should compare variable values as Operaton does: query-string values are strings, JSON values keep their type', async () => {
    await use().expectSame('GET', (ids) => `/variable-instance?processInstanceIdIn=${ids.variableInstance}&variableValues=note_eq_Hello`);
    await use().expectSame('GET', (ids) => `/variable-instance?processInstanceIdIn=${ids.variableInstance}&variableValues=note_like_He%25`);
    await use().expectSame('GET', (ids) => `/variable-instance?processInstanceIdIn=${ids.variableInstance}&variableValues=amount_eq_10`);
    await use().expectSame('POST', '/variable-instance/count', (ids: Ids) => ({ processInstanceIdIn: [ids.variableInstance], variableValues: [{ name: 'amount', operator: 'gteq', value: 10 }] }));
    await use().expectSame('POST', '/variable-instance/count', (ids: Ids) => ({ processInstanceIdIn: [ids.variableInstance], variableValues: [{ name: 'approved', operator: 'eq', value: false }] }));
    await use().expectSame('GET', (ids) => `/variable-instance?processInstanceIdIn=${ids.variableInstance}&variableValues=amount_between_1`);
    await use().expectSame('GET', '/variable-instance?sortBy=name&sortOrder=asc');
  });

  it('should answer one variable instance and its binary content as Operaton does', async () => {
    await use().expectSame('GET', (ids) => `/variable-instance/${ids.amountVariable}`);
    await use().expectSame('GET', (ids) => `/variable-instance/${ids.scanVariable}`);
    await use().expectSame('GET', (ids) => `/variable-instance/${ids.scanVariable}/data`);
    await use().expectSame('GET', (ids) => `/variable-instance/${ids.noteVariable}/data`);
    await use().expectSame('GET', '/variable-instance/unknown-variable');
    await use().expectSame('GET', '/variable-instance/unknown-variable/data');
    await use().expectSame('DELETE', (ids) => `/process-instance/${ids.variableInstance}`);
    await use().expectSame('GET', (ids) => `/variable-instance/count?processInstanceIdIn=${ids.variableInstance}`);
  });

  it('should answer the schema log queries that do not depend on the schema\'s history as Operaton does', async () => {
    await use().expectSame('GET', '/schema/log?version=no-such-version');
    await use().expectSame('POST', '/schema/log', { version: 'no-such-version' });
    await use().expectSame('GET', '/schema/log?sortBy=version&sortOrder=asc');
  });

  it('should keep telemetry off as Operaton does, and answer its data in the same shape', async () => {
    await use().expectSame('GET', '/telemetry/configuration');
    await use().expectSame('POST', '/telemetry/configuration', { enableTelemetry: true });
    await use().expectSame('GET', '/telemetry/configuration');
    // The data names each engine's own product, database and runtime: the shape is compared, the values cannot be.
    const { ours, operaton } = await use().callBoth('GET', '/telemetry/data');
    expect([ours.status, Object.keys(ours.body).sort(), Object.keys(ours.body.product).sort()]).to.deep.equal([operaton.status, Object.keys(operaton.body).sort(), Object.keys(operaton.body.product).sort()]);
    expect(Object.keys(ours.body.product.internals.metrics).sort()).to.deep.equal(Object.keys(operaton.body.product.internals.metrics).sort());
  });

  it('should answer the password policy with 404 when none is configured, as Operaton does', async () => {
    // Operaton's 404 has no entity, so its servlet container sends an HTML page; ours is Camunda's JSON error.
    for (const method of ['GET', 'POST'] as const) {
      const body = method === 'POST' ? { password: 'secret' } : undefined;
      const { ours, operaton } = await use().callBoth(method, '/identity/password-policy', body);
      expect(ours.status, `${method} /identity/password-policy`).to.equal(operaton.status);
    }
  });

  it('should unlock users, describe the identity resources (OPTIONS) and delete task-worker metrics as Operaton does', async () => {
    await use().expectSame('POST', '/user/nobody/unlock');
    for (const path of ['/user', '/user/someone', '/group', '/group/some-group', '/group/some-group/members']) await use().expectSame('OPTIONS', path);
    await use().expectSame('DELETE', '/metrics/task-worker?date=2020-01-01T00:00:00.000%2B0000');
    await use().expectSame('DELETE', '/metrics/task-worker?date=yesterday');
    await use().expectSame('DELETE', '/metrics/task-worker');
  });
});
