/** The strict OpenAPI response check itself, on small hand-made bodies. */
import { expect } from 'chai';
import { expectValidResponse, OPENAPI_FILE } from './openapi.js';
import { requireShared } from './shared-files.js';

function failureOf(fn: () => void): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the validation to fail');
}

const definition = {
  id: 'invoice:1:abc', key: 'invoice', category: 'http://bpmn.io/schema/bpmn', description: null, name: 'Invoice',
  version: 1, resource: 'invoice.bpmn', deploymentId: 'd1', diagram: null, suspended: false, tenantId: null,
  versionTag: null, historyTimeToLive: null, startableInTasklist: true,
};

describe('expectValidResponse', function () {
  before(function () {
    requireShared(this, OPENAPI_FILE);
  });

  it('should accept a body that matches the schema exactly', () => {
    expectValidResponse('GET', '/engine-rest/engine', 200, [{ name: 'default' }]);
  });

  it('should reject an undeclared property', () => {
    const message = failureOf(() => expectValidResponse('GET', '/engine-rest/engine', 200, [{ name: 'default', extra: 1 }]));
    expect(message).to.contain('getProcessEngineNames').and.to.contain('/0').and.to.contain('extra');
  });

  it('should reject a missing property even though the spec does not mark it required', () => {
    const message = failureOf(() => expectValidResponse('GET', '/engine-rest/engine', 200, [{}]));
    expect(message).to.contain("must have required property 'name'");
  });

  it('should accept null where the property is nullable and reject it where not', () => {
    expectValidResponse('GET', '/engine-rest/engine', 200, [{ name: null }]);
    const message = failureOf(() => expectValidResponse('GET', '/engine-rest/process-definition/count', 200, { count: null }));
    expect(message).to.contain('/count');
  });

  it('should prefer literal path segments over parameters', () => {
    // /process-definition/key/{key} and /process-definition/{id} both return ProcessDefinitionDto, so the
    // operation named in the error shows which template matched.
    const message = failureOf(() => expectValidResponse('GET', '/engine-rest/process-definition/key/invoice', 200, { ...definition, x: 1 }));
    expect(message).to.contain('getProcessDefinitionByKey');
    expectValidResponse('GET', '/engine-rest/process-definition/invoice:1:abc?foo=bar', 200, definition);
  });

  it('should validate properties merged from allOf strictly', () => {
    const exception = { type: 'AuthorizationException', message: 'no', code: 0, userId: 'u', missingAuthorizations: [] };
    expectValidResponse('DELETE', '/engine-rest/process-definition/key/invoice', 403, exception);
    const missing = failureOf(() =>
      expectValidResponse('DELETE', '/engine-rest/process-definition/key/invoice', 403, { type: 'X', message: 'no', code: 0 }),
    );
    expect(missing).to.contain('userId');
  });

  it('should require an empty body for 204', () => {
    expectValidResponse('POST', '/engine-rest/task/abc/claim', 204, undefined);
    expectValidResponse('POST', '/engine-rest/task/abc/claim', 204, {});
    expect(failureOf(() => expectValidResponse('POST', '/engine-rest/task/abc/claim', 204, { id: 'x' }))).to.contain('no body');
  });

  it('should fail for an unknown path, method or undocumented status', () => {
    expect(failureOf(() => expectValidResponse('GET', '/engine-rest/no-such-thing', 200, {}))).to.contain('no operation');
    expect(failureOf(() => expectValidResponse('PATCH', '/engine-rest/engine', 200, []))).to.contain('no PATCH');
    expect(failureOf(() => expectValidResponse('GET', '/engine-rest/engine', 418, {}))).to.contain('not documented');
  });

  it('should accept Camunda dates and reject RFC 3339 ones', () => {
    const path = '/engine-rest/history/cleanup/configuration';
    const config = (start: string) => ({ batchWindowStartTime: start, batchWindowEndTime: null, enabled: true });
    expectValidResponse('GET', path, 200, config('2024-01-02T03:04:05.678+0000'));
    const message = failureOf(() => expectValidResponse('GET', path, 200, config('2024-01-02T03:04:05.678Z')));
    expect(message).to.contain('/batchWindowStartTime: must match format "date-time"');
  });

  it('should serve a named engine path like the default engine', () => {
    expectValidResponse('GET', '/engine-rest/engine/default/process-definition/count', 200, { count: 3 });
  });
});
