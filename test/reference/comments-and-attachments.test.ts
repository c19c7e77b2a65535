/** Differential: comments of tasks and instances, task attachments (url and uploaded content) and binary variable uploads. */
import { RawBody } from './engine-client.js';
import { describeAgainstOperaton, type Ids } from './engine-pair.js';

const BOUNDARY = 'differential-boundary';

/** A multipart/form-data body as a browser sends it; a part with a file name carries its content type. */
function multipart(parts: Array<{ name: string; value: string; filename?: string; contentType?: string }>): RawBody {
  const text = parts.map((part) => [
    `--${BOUNDARY}`,
    `Content-Disposition: form-data; name="${part.name}"${part.filename ? `; filename="${part.filename}"` : ''}`,
    ...(part.contentType ? [`Content-Type: ${part.contentType}`] : []),
    '',
    part.value,
  ].join('\r\n')).join('\r\n');
  return new RawBody(`${text}\r\n--${BOUNDARY}--\r\n`, `multipart/form-data; boundary=${BOUNDARY}`);
}

describeAgainstOperaton('comments and attachments', (use) => {
  before(async () => {
    await use().ensureDeployed('bpmn/differential-user-task.bpmn');
    await use().expectSame('POST', '/process-definition/key/differential-user-task/start', { businessKey: 'COMMENTS-1' }, { remember: { commented: (answer) => answer.body.id } });
    await use().expectSame('GET', (ids: Ids) => `/task?processInstanceId=${ids.commented}`, undefined, { remember: { commentedTask: (answer) => answer.body[0].id } });
  });

  describe('task comments', () => {
    it('should flag a task without comments or attachments (withCommentAttachmentInfo) as Operaton does', async () => {
      await use().expectSame('GET', (ids: Ids) => `/task/${ids.commentedTask}?withCommentAttachmentInfo=true`);
    });

    it('should create a comment on the task and on the instance it names, with a self link, as Operaton does', async () => {
      await use().expectSame('POST', (ids: Ids) => `/task/${ids.commentedTask}/comment/create`, (ids: Ids) => ({ message: 'Checked the invoice', processInstanceId: ids.commented }), { remember: { comment: (answer) => answer.body.id } });
      await use().expectSame('POST', (ids: Ids) => `/task/${ids.commentedTask}/comment/create`, { message: 'Second look' }, { remember: { taskOnlyComment: (answer) => answer.body.id } });
    });

    it('should list and get the task\'s comments, and mark the task updated, as Operaton does', async () => {
      await use().expectSame('GET', (ids: Ids) => `/task/${ids.commentedTask}/comment`, undefined, { unordered: true });
      await use().expectSame('GET', (ids: Ids) => `/history/task?taskId=${ids.commentedTask}`);
      await use().expectSame('GET', (ids: Ids) => `/task/${ids.commentedTask}/comment/${ids.comment}`);
    });

    it('should list only the comments that name the instance under the instance, as Operaton does', async () => {
      await use().expectSame('GET', (ids: Ids) => `/process-instance/${ids.commented}/comment`);
    });

    it('should update a task comment and refuse one the task does not have, as Operaton does', async () => {
      await use().expectSame('PUT', (ids: Ids) => `/task/${ids.commentedTask}/comment`, (ids: Ids) => ({ id: ids.comment, message: 'Checked the invoice twice' }));
      await use().expectSame('GET', (ids: Ids) => `/task/${ids.commentedTask}/comment/${ids.comment}`);
      await use().expectSame('PUT', (ids: Ids) => `/task/${ids.commentedTask}/comment`, { id: 'no-such-comment', message: 'x' });
      await use().expectSame('PUT', (ids: Ids) => `/task/${ids.commentedTask}/comment`, (ids: Ids) => ({ id: ids.comment }));
    });

    it('should refuse a comment without a message, on an unknown task, and answer unknown comments, as Operaton does', async () => {
      await use().expectSame('POST', (ids: Ids) => `/task/${ids.commentedTask}/comment/create`, {});
      await use().expectSame('POST', '/task/no-such-task/comment/create', { message: 'x' });
      await use().expectSame('GET', '/task/no-such-task/comment');
      await use().expectSame('GET', (ids: Ids) => `/task/${ids.commentedTask}/comment/no-such-comment`);
    });

    it('should delete one task comment, and an unknown one without complaint, as Operaton does', async () => {
      await use().expectSame('DELETE', (ids: Ids) => `/task/${ids.commentedTask}/comment/${ids.taskOnlyComment}`);
      await use().expectSame('DELETE', (ids: Ids) => `/task/${ids.commentedTask}/comment/no-such-comment`);
      await use().expectSame('GET', (ids: Ids) => `/task/${ids.commentedTask}/comment`);
    });
  });

  describe('process instance comments', () => {
    it('should update and delete an instance\'s comments as Operaton does', async () => {
      await use().expectSame('PUT', (ids: Ids) => `/process-instance/${ids.commented}/comment`, (ids: Ids) => ({ id: ids.comment, message: 'Seen by the operator' }));
      await use().expectSame('GET', (ids: Ids) => `/process-instance/${ids.commented}/comment`);
      await use().expectSame('PUT', (ids: Ids) => `/process-instance/${ids.commented}/comment`, { id: 'no-such-comment', message: 'x' });
      await use().expectSame('GET', '/process-instance/no-such-instance/comment');
      await use().expectSame('DELETE', '/process-instance/no-such-instance/comment');
    });
  });

  describe('task attachments', () => {
    it('should create a url attachment and one with uploaded content, as Operaton does', async () => {
      await use().expectSame('POST', (ids: Ids) => `/task/${ids.commentedTask}/attachment/create`, multipart([
        { name: 'attachment-name', value: 'Invoice link' },
        { name: 'attachment-description', value: 'Where the invoice lives' },
        { name: 'attachment-type', value: 'link' },
        { name: 'url', value: 'https://example.com/invoice/7' },
      ]), { remember: { urlAttachment: (answer) => answer.body.id } });
      await use().expectSame('POST', (ids: Ids) => `/task/${ids.commentedTask}/attachment/create`, multipart([
        { name: 'attachment-name', value: 'invoice.txt' },
        { name: 'attachment-type', value: 'text/plain' },
        { name: 'content', value: 'Invoice 7: 42.00 EUR', filename: 'invoice.txt', contentType: 'text/plain' },
      ]), { remember: { contentAttachment: (answer) => answer.body.id } });
    });

    it('should list, get and download the attachments as Operaton does', async () => {
      await use().expectSame('GET', (ids: Ids) => `/task/${ids.commentedTask}/attachment`, undefined, { unordered: true });
      await use().expectSame('GET', (ids: Ids) => `/task/${ids.commentedTask}/attachment/${ids.urlAttachment}`);
      await use().expectSame('GET', (ids: Ids) => `/task/${ids.commentedTask}/attachment/${ids.contentAttachment}/data`);
      await use().expectSame('GET', (ids: Ids) => `/task/${ids.commentedTask}/attachment/${ids.urlAttachment}/data`);
      await use().expectSame('GET', (ids: Ids) => `/task/${ids.commentedTask}/attachment/no-such-attachment`);
    });

    it('should flag the task as commented and attached in task queries (withCommentAttachmentInfo) as Operaton does', async () => {
      await use().expectSame('GET', (ids: Ids) => `/task?processInstanceId=${ids.commented}&withCommentAttachmentInfo=true`);
      await use().expectSame('POST', '/task', (ids: Ids) => ({ processInstanceId: ids.commented, withCommentAttachmentInfo: true }));
      await use().expectSame('GET', (ids: Ids) => `/task/${ids.commentedTask}?withCommentAttachmentInfo=true`);
    });

    it('should refuse an attachment without content or url, and one for an unknown task, as Operaton does', async () => {
      await use().expectSame('POST', (ids: Ids) => `/task/${ids.commentedTask}/attachment/create`, multipart([{ name: 'attachment-name', value: 'empty' }]));
      await use().expectSame('POST', '/task/no-such-task/attachment/create', multipart([{ name: 'url', value: 'https://example.com' }]));
      await use().expectSame('GET', '/task/no-such-task/attachment');
    });

    it('should delete an attachment, and refuse an unknown one, as Operaton does', async () => {
      await use().expectSame('DELETE', (ids: Ids) => `/task/${ids.commentedTask}/attachment/${ids.urlAttachment}`);
      await use().expectSame('DELETE', (ids: Ids) => `/task/${ids.commentedTask}/attachment/${ids.urlAttachment}`);
      await use().expectSame('GET', (ids: Ids) => `/task/${ids.commentedTask}/attachment`);
    });
  });

  describe('binary variable uploads', () => {
    it('should store uploaded Bytes and File variables and serve their content as Operaton does', async () => {
      await use().expectSame('POST', (ids: Ids) => `/task/${ids.commentedTask}/variables/scan/data`, multipart([
        { name: 'data', value: 'raw bytes', filename: 'blob', contentType: 'application/octet-stream' },
      ]));
      await use().expectSame('POST', (ids: Ids) => `/task/${ids.commentedTask}/localVariables/note/data`, multipart([
        { name: 'data', value: 'a note', filename: 'note.txt', contentType: 'text/plain' },
        { name: 'valueType', value: 'File' },
      ]));
      await use().expectSame('POST', (ids: Ids) => `/process-instance/${ids.commented}/variables/report/data`, multipart([
        { name: 'data', value: '{"total":42}', filename: 'report.json', contentType: 'application/json' },
        { name: 'valueType', value: 'File' },
      ]));
      await use().expectSame('POST', (ids: Ids) => `/execution/${ids.commented}/localVariables/raw/data`, multipart([
        { name: 'data', value: 'more bytes', filename: 'raw.bin', contentType: 'application/octet-stream' },
        { name: 'valueType', value: 'Bytes' },
      ]));
      await use().expectSame('GET', (ids: Ids) => `/process-instance/${ids.commented}/variables`);
      await use().expectSame('GET', (ids: Ids) => `/task/${ids.commentedTask}/localVariables/note/data`);
      await use().expectSame('GET', (ids: Ids) => `/process-instance/${ids.commented}/variables/report/data`);
      await use().expectSame('GET', (ids: Ids) => `/process-instance/${ids.commented}/variables/scan/data`);
    });

    it('should refuse an upload for an unknown task or instance as Operaton does', async () => {
      await use().expectSame('POST', '/task/no-such-task/variables/x/data', multipart([{ name: 'data', value: 'x', filename: 'x', contentType: 'application/octet-stream' }]));
      await use().expectSame('POST', '/process-instance/no-such-instance/variables/x/data', multipart([{ name: 'data', value: 'x', filename: 'x', contentType: 'application/octet-stream' }]));
    });
  });

  describe('after the task completed', () => {
    it('should keep the comments and attachments of a completed task, now with removal times, as Operaton does', async () => {
      await use().expectSame('POST', (ids: Ids) => `/task/${ids.commentedTask}/complete`, {});
      await use().expectSame('GET', (ids: Ids) => `/task/${ids.commentedTask}/comment`);
      await use().expectSame('GET', (ids: Ids) => `/task/${ids.commentedTask}/attachment`);
      await use().expectSame('GET', (ids: Ids) => `/task/${ids.commentedTask}/attachment/${ids.contentAttachment}/data`);
      await use().expectSame('GET', (ids: Ids) => `/process-instance/${ids.commented}/comment`);
    });

    it('should still take comments on a completed task, but not changes, as Operaton does', async () => {
      await use().expectSame('POST', (ids: Ids) => `/task/${ids.commentedTask}/comment/create`, { message: 'After the fact' });
      await use().expectSame('PUT', (ids: Ids) => `/task/${ids.commentedTask}/comment`, (ids: Ids) => ({ id: ids.comment, message: 'x' }));
      await use().expectSame('DELETE', (ids: Ids) => `/task/${ids.commentedTask}/comment`);
      await use().expectSame('DELETE', (ids: Ids) => `/process-instance/${ids.commented}/comment/${ids.comment}`);
    });
  });
});
