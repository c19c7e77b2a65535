/** Hostile and malformed input: schemathesis generates requests for every operation we implement from Camunda's OpenAPI. */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { OPENAPI_FILE } from '../support/openapi.js';
import { implementedSchema, judgeResponses, runSchemathesis, SCHEMATHESIS_VERSION, seedAndConfigure, schemathesisCommand, writeSchema } from '../support/schemathesis.js';
import { requireShared } from '../support/shared-files.js';
import { skipOrFail } from '../support/skip-report.js';

const SUITE = 'REST API under schemathesis';

describe(SUITE, function () {
  this.timeout(300_000);
  let command: string;
  let openapi: string;
  let workDir: string | undefined;
  let server: ServerProcess | undefined;

  before(async function () {
    openapi = requireShared(this, OPENAPI_FILE);
    command = schemathesisCommand() ?? skipOrFail(this, SUITE, `schemathesis ${SCHEMATHESIS_VERSION} is not installed: run scripts/install-schemathesis.sh (needs python3 with venv)`);
    workDir = mkdtempSync(path.join(tmpdir(), 'engine-schemathesis-'));
    server = await startServerProcess({ DATA_DIR: 'memory' });
  });

  after(async () => {
    if (server) {
      server.child.kill('SIGTERM');
      await server.exited();
    }
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('should find Camunda\'s description for every operation our routers implement', () => {
    const { operations, missing } = implementedSchema(openapi);
    expect(missing, 'implemented operations that Camunda\'s OpenAPI does not describe').to.deep.equal([]);
    expect(operations).to.be.greaterThan(100);
  });

  it('should judge Camunda\'s own 5xx acceptable, and any other 5xx, SQL or a stack trace a finding', () => {
    const json = 'application/json';
    const verdicts = judgeResponses(command, [
      { status: 500, contentType: json, body: '{"type":"NullValueException","message":"workerId is null","code":0}' },
      { status: 500, contentType: json, body: '{"type":"ProcessEngineException","message":"An unexpected error occurred; the server log has its details under error id 1.","code":0}' },
      { status: 502, contentType: 'text/html', body: '<h1>Bad Gateway</h1>' },
      { status: 400, contentType: json, body: '{"type":"InvalidRequestException","message":"select id, name from act_ru_task where id = 1","code":0}' },
      { status: 400, contentType: json, body: '{"type":"InvalidRequestException","message":"invalid input syntax for type integer: \\"x\\"","code":0}' },
      { status: 400, contentType: json, body: '{"type":"InvalidRequestException","message":"TypeError: x\\n    at readBody (src/server/read-body.ts:12:5)","code":0}' },
      { status: 200, contentType: json, body: '[{"id":"1","name":"Please update the asset list"}]' },
      { status: 200, contentType: 'application/xml', body: '<definitions>select * from customers</definitions>' },
    ]);
    expect(verdicts).to.deep.equal([null, 'camunda_server_error', 'camunda_server_error', 'no_internals_leaked', 'no_internals_leaked', 'no_internals_leaked', null, null]);
  });

  it('should answer generated requests within Camunda\'s schema, with no 5xx Camunda does not answer and no SQL or stack trace', async () => {
    const files = { schema: writeSchema(workDir!, implementedSchema(openapi).schema), config: await seedAndConfigure(server!.restUrl, workDir!) };
    const run = await runSchemathesis(command, files, server!.restUrl, workDir!);
    expect(run.code, `schemathesis found problems:\n${run.output}`).to.equal(0);
    expect(run.output).to.match(/Tested: \d{3}/);
  });
});
