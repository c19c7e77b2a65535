/** Specification of binary variable uploads: `POST …/variables/{name}/data` for tasks, instances and executions. */
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { describeOnDatabases } from '../../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';
import { RestClient } from '../../support/rest-client.js';
import { largestStatementPayload } from '../../support/statement-payload.js';

const MAX_UPLOAD_BYTES = 4 * 1024 * 1024;
const PIECE_BYTES = 1024 * 1024;

describeOnDatabases('variable upload router', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    engine = createTestEngine(use(), { maxUploadBytes: MAX_UPLOAD_BYTES });
    rest = new RestClient(engine.app);
    await rest.deployFixture('differential-user-task.bpmn');
  });

  async function startWithTask(): Promise<{ instanceId: string; taskId: string }> {
    const started = await rest.post('/process-definition/key/differential-user-task/start', {});
    const tasks = await rest.get(`/task?processInstanceId=${started.body.id}`);
    return { instanceId: started.body.id, taskId: tasks.body[0].id };
  }

  it('should store an upload as Bytes by default and serve the same bytes', async () => {
    const { instanceId } = await startWithTask();
    const content = randomBytes(1.5 * 1024 * 1024);

    const uploaded = await rest.upload(`/process-instance/${instanceId}/variables/scan/data`, {}, [{ field: 'data', content, filename: 'scan.bin', contentType: 'application/octet-stream' }]);

    expect(uploaded.status, uploaded.text).to.equal(204);
    expect((await rest.get(`/process-instance/${instanceId}/variables/scan?deserializeValue=false`)).body.type).to.equal('Bytes');
    const data = await rest.download(`/process-instance/${instanceId}/variables/scan/data`);
    expect(data.headers['content-type']).to.equal('application/octet-stream');
    expect(data.bytes.equals(content)).to.equal(true);
  });

  it('should write and read content of several pieces with no database statement carrying more than one piece', async () => {
    // given
    const { instanceId, taskId } = await startWithTask();
    const content = randomBytes(3.5 * 1024 * 1024);
    let downloaded: Buffer = Buffer.alloc(0);

    // when
    const payload = await largestStatementPayload(use().knex, async () => {
      const uploaded = await rest.upload(`/task/${taskId}/variables/scan/data`, { valueType: 'File' }, [{ field: 'data', content, filename: 'scan.tiff', contentType: 'image/tiff' }]);
      expect(uploaded.status, uploaded.text).to.equal(204);
      downloaded = (await rest.download(`/process-instance/${instanceId}/variables/scan/data`)).bytes;
    });

    // then
    expect(downloaded.equals(content)).to.equal(true);
    expect(payload.sent, 'largest binary value sent in one statement').to.be.at.most(PIECE_BYTES);
    expect(payload.received, 'largest binary value received from one statement').to.be.at.most(PIECE_BYTES);
    const history = await use().knex('hist_variable_instance').where({ process_instance_id: instanceId, name: 'scan' }).first();
    expect(Buffer.from(history.bytes_value).equals(content), 'history holds the whole content too').to.equal(true);
  });

  it('should store a File with its name and mime type, and serve it with them', async () => {
    const { taskId } = await startWithTask();

    const uploaded = await rest.upload(`/task/${taskId}/localVariables/letter/data`, { valueType: 'File' }, [{ field: 'data', content: 'Grüße', filename: 'letter.txt', contentType: 'text/plain' }]);

    expect(uploaded.status, uploaded.text).to.equal(204);
    expect((await rest.get(`/task/${taskId}/localVariables/letter`)).body).to.deep.equal({ type: 'File', value: null, valueInfo: { filename: 'letter.txt', mimeType: 'text/plain' } });
    const data = await rest.download(`/task/${taskId}/localVariables/letter/data`);
    expect(data.headers['content-type']).to.equal('text/plain');
    expect(data.headers['content-disposition']).to.equal('attachment; filename="letter.txt"');
    expect(data.bytes.toString('utf8')).to.equal('Grüße');
  });

  it('should set a task variable on the instance and an execution\'s local variable', async () => {
    const { instanceId, taskId } = await startWithTask();

    expect((await rest.upload(`/task/${taskId}/variables/shared/data`, {}, [{ field: 'data', content: 'one', filename: 'x', contentType: 'application/octet-stream' }])).status).to.equal(204);
    expect((await rest.upload(`/execution/${instanceId}/localVariables/local/data`, { valueType: 'Bytes' }, [{ field: 'data', content: 'two', filename: 'y', contentType: 'application/octet-stream' }])).status).to.equal(204);

    const variables = (await rest.get(`/process-instance/${instanceId}/variables`)).body;
    expect(Object.keys(variables).sort()).to.deep.equal(['local', 'shared']);
  });

  it('should refuse an upload beyond MAX_UPLOAD_BYTES with a 413 and leave the variable as it was', async () => {
    const { instanceId } = await startWithTask();
    await rest.put(`/process-instance/${instanceId}/variables/scan`, { type: 'String', value: 'kept' });

    const refused = await rest.upload(`/process-instance/${instanceId}/variables/scan/data`, {}, [
      { field: 'data', content: Buffer.alloc(MAX_UPLOAD_BYTES + 1), filename: 'huge.bin', contentType: 'application/octet-stream' },
    ], { undocumentedStatus: 413 });

    expect(refused.status).to.equal(413);
    expect(refused.body.message).to.equal(`The variable is larger than the limit of ${MAX_UPLOAD_BYTES} bytes (MAX_UPLOAD_BYTES).`);
    expect((await rest.get(`/process-instance/${instanceId}/variables/scan`)).body.value).to.equal('kept');
  });

  it('should refuse an upload for an unknown task as Camunda does', async () => {
    const refused = await rest.upload('/task/no-such-task/variables/x/data', {}, [{ field: 'data', content: 'x', filename: 'x', contentType: 'application/octet-stream' }], { undocumentedStatus: 500 });

    expect(refused.status).to.equal(500);
    expect(refused.body).to.include({ type: 'RestException', message: 'Cannot put task variable x: task no-such-task doesn\'t exist: task is null' });
  });
});
