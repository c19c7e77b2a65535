/** Specification of task attachments: `/task/{id}/attachment`, with content uploaded and downloaded in pieces. */
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { describeOnDatabases } from '../../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';
import { RestClient } from '../../support/rest-client.js';
import { largestStatementPayload } from '../../support/statement-payload.js';

const MAX_UPLOAD_BYTES = 4 * 1024 * 1024;

describeOnDatabases('attachment router', (use) => {
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

  async function storedPieces(attachmentId: string): Promise<number> {
    const [{ count }] = await use().knex('attachment_content').where({ attachment_id: attachmentId }).count({ count: '*' });
    return Number(count);
  }

  it('should store uploaded content larger than a piece and serve the same bytes back', async () => {
    // given
    const { taskId } = await startWithTask();
    const content = randomBytes(2.5 * 1024 * 1024);

    // when
    const created = await rest.upload(`/task/${taskId}/attachment/create`, { 'attachment-name': 'scan.pdf', 'attachment-description': 'The signed form', 'attachment-type': 'application/pdf' }, [
      { field: 'content', content, filename: 'scan.pdf', contentType: 'application/pdf' },
    ]);

    // then
    expect(created.status, created.text).to.equal(200);
    expect(created.body).to.include({ name: 'scan.pdf', description: 'The signed form', type: 'application/pdf', taskId, url: null });
    expect(created.body.links[0].href).to.match(new RegExp(`/task/${taskId}/attachment/${created.body.id}$`));
    expect(await storedPieces(created.body.id), 'stored in 1 MiB pieces').to.equal(3);
    const data = await rest.download(`/task/${taskId}/attachment/${created.body.id}/data`);
    expect(data.status).to.equal(200);
    expect(data.headers['content-type']).to.equal('application/octet-stream');
    expect(data.bytes.equals(content)).to.equal(true);
  });

  it('should write and read content with no database statement carrying more than one piece', async () => {
    const { taskId } = await startWithTask();
    const content = randomBytes(3.5 * 1024 * 1024);
    let downloaded: Buffer = Buffer.alloc(0);

    const payload = await largestStatementPayload(use().knex, async () => {
      const created = await rest.upload(`/task/${taskId}/attachment/create`, {}, [{ field: 'content', content, filename: 'scan.tiff', contentType: 'image/tiff' }]);
      downloaded = (await rest.download(`/task/${taskId}/attachment/${created.body.id}/data`)).bytes;
    });

    expect(downloaded.equals(content)).to.equal(true);
    expect(payload.sent, 'largest binary value sent in one statement').to.be.at.most(1024 * 1024);
    expect(payload.received, 'largest binary value received from one statement').to.be.at.most(1024 * 1024);
  });

  it('should keep a url attachment without content, and answer 404 for its data', async () => {
    const { taskId } = await startWithTask();

    const created = await rest.upload(`/task/${taskId}/attachment/create`, { 'attachment-name': 'Überweisung', url: 'https://example.com/invoice/7' });
    const data = await rest.get(`/task/${taskId}/attachment/${created.body.id}/data`, { undocumentedStatus: 404 });

    expect(created.body, 'a UTF-8 name survives a text part').to.include({ name: 'Überweisung', url: 'https://example.com/invoice/7', type: null, description: null });
    expect(data.status).to.equal(404);
    expect(data.body.message).to.equal(`Attachment content for attachment with id '${created.body.id}' does not exist for task id '${taskId}'.`);
    expect((await rest.get(`/task/${taskId}/attachment`)).body.map((a: any) => a.id)).to.deep.equal([created.body.id]);
  });

  it('should refuse an upload beyond MAX_UPLOAD_BYTES with a 413 and store nothing', async () => {
    const { taskId } = await startWithTask();

    const refused = await rest.upload(`/task/${taskId}/attachment/create`, { 'attachment-name': 'huge' }, [
      { field: 'content', content: Buffer.alloc(MAX_UPLOAD_BYTES + 1), filename: 'huge.bin', contentType: 'application/octet-stream' },
    ], { undocumentedStatus: 413 });

    expect(refused.status).to.equal(413);
    expect(refused.body).to.include({ type: 'InvalidRequestException', message: `The attachment is larger than the limit of ${MAX_UPLOAD_BYTES} bytes (MAX_UPLOAD_BYTES).` });
    expect((await rest.get(`/task/${taskId}/attachment`)).body).to.deep.equal([]);
  });

  it('should refuse an attachment with neither content nor url, and one that is not multipart', async () => {
    const { taskId } = await startWithTask();

    const empty = await rest.upload(`/task/${taskId}/attachment/create`, { 'attachment-name': 'nothing' });
    const json = await rest.post(`/task/${taskId}/attachment/create`, { url: 'https://example.com' }, { undocumentedStatus: 415 });

    expect(empty.status).to.equal(400);
    expect(empty.body.message).to.equal('No content or url to remote content exists to create the task attachment.');
    expect(json.status).to.equal(415);
  });

  it('should delete an attachment with its content, and refuse to delete it twice', async () => {
    const { taskId } = await startWithTask();
    const created = await rest.upload(`/task/${taskId}/attachment/create`, {}, [{ field: 'content', content: 'hello', filename: 'a.txt', contentType: 'text/plain' }]);

    expect((await rest.delete(`/task/${taskId}/attachment/${created.body.id}`)).status).to.equal(204);
    const again = await rest.delete(`/task/${taskId}/attachment/${created.body.id}`);

    expect(again.status).to.equal(404);
    expect(again.body.message).to.equal(`Deletion is not possible. No attachment exists for task id '${taskId}' and attachment id '${created.body.id}'.`);
    expect(await storedPieces(created.body.id)).to.equal(0);
  });

  it('should keep a completed task\'s attachments and take new ones', async () => {
    const { taskId } = await startWithTask();
    await rest.upload(`/task/${taskId}/attachment/create`, { url: 'https://example.com/a' });
    await rest.post(`/task/${taskId}/complete`, {});

    const late = await rest.upload(`/task/${taskId}/attachment/create`, { url: 'https://example.com/b' });

    expect(late.status, late.text).to.equal(200);
    expect((await rest.get(`/task/${taskId}/attachment`)).body).to.have.length(2);
  });

  it('should flag tasks with attachments in queries that ask withCommentAttachmentInfo', async () => {
    const { taskId } = await startWithTask();
    await rest.upload(`/task/${taskId}/attachment/create`, { url: 'https://example.com/flag' });

    expect((await rest.get(`/task/${taskId}?withCommentAttachmentInfo=true`)).body).to.include({ attachment: true, comment: false });
  });
});
