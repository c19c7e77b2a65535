/** Hostile and malformed input: schemathesis generates requests for every operation we implement from Camunda's OpenAPI. */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { OPENAPI_FILE } from '../support/openapi.js';
import { implementedSchema, runSchemathesis, SCHEMATHESIS_VERSION, seedAndConfigure, schemathesisCommand, writeSchema } from '../support/schemathesis.js';
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

  it('should answer generated requests within Camunda\'s schema, with no 5xx Camunda does not answer and no SQL or stack trace', async () => {
    const files = { schema: writeSchema(workDir!, implementedSchema(openapi).schema), config: await seedAndConfigure(server!.restUrl, workDir!) };
    const run = await runSchemathesis(command, files, server!.restUrl, workDir!);
    expect(run.code, `schemathesis found problems:\n${run.output}`).to.equal(0);
    expect(run.output).to.match(/Tested: \d{3}/);
  });
});
