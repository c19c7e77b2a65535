/** Specification: commands never read the content of Bytes and File variables, which the engine cannot see anyway. */
import { expect } from 'chai';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';
import { RestClient } from '../support/rest-client.js';

const FIVE_MB = 5 * 1024 * 1024;

describeOnDatabases('binary variables in commands', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    await rest.deployFixture('single-user-task.bpmn');
    await rest.deployFixture('parallel-join.bpmn');
  });

  /** Bytes of binary column values the database sent back while `run` ran. */
  async function binaryBytesRead(run: () => Promise<unknown>): Promise<number> {
    let bytes = 0;
    const onResponse = (response: unknown) => {
      const rows = (response as { rows?: unknown[] } | unknown[] | undefined);
      const list = Array.isArray(rows) ? rows : Array.isArray((rows as { rows?: unknown[] })?.rows) ? (rows as { rows: unknown[] }).rows : [];
      for (const row of list) for (const value of Object.values((row ?? {}) as Record<string, unknown>)) if (value instanceof Uint8Array) bytes += value.byteLength;
    };
    use().knex.on('query-response', onResponse);
    try {
      await run();
    } finally {
      use().knex.off('query-response', onResponse);
    }
    return bytes;
  }

  it('should complete a task without reading the instance\'s 5 MB file variable, which stays intact', async () => {
    // given: three parallel tasks, and a scanned document on the instance
    const content = Buffer.alloc(FIVE_MB, 7);
    const started = await rest.post('/process-definition/key/parallel-join/start', {
      variables: { scan: { type: 'File', value: content.toString('base64'), valueInfo: { filename: 'scan.pdf', mimeType: 'application/pdf' } } },
    });
    const [task] = (await rest.get(`/task?processInstanceId=${started.body.id}&taskDefinitionKey=Task_A`)).body;

    // when
    const read = await binaryBytesRead(() => rest.post(`/task/${task.id}/complete`, { variables: { reviewed: { value: true, type: 'Boolean' } } }));

    // then
    expect(read).to.equal(0);
    const download = await rest.download(`/process-instance/${started.body.id}/variables/scan/data`);
    expect(download.status).to.equal(200);
    expect(download.bytes.equals(content)).to.equal(true);
  });

  it('should still answer withVariablesInReturn with the content of Bytes variables', async () => {
    // given
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const started = await rest.post('/process-definition/key/single-user-task/start', { variables: { someBytes: { type: 'Bytes', value: bytes.toString('base64') } }, withVariablesInReturn: true });
    const [task] = (await rest.get(`/task?processInstanceId=${started.body.id}`)).body;

    // when
    const completed = await rest.post(`/task/${task.id}/complete`, { withVariablesInReturn: true });

    // then
    expect(started.body.variables.someBytes).to.deep.include({ type: 'Bytes', value: bytes.toString('base64') });
    expect(completed.body.someBytes).to.deep.include({ type: 'Bytes', value: bytes.toString('base64') });
  });
});
