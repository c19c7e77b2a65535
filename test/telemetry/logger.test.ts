/** The process logger: JSON lines that keep their fields, with the request id and trace id of the context they are written in. */
import { expect } from 'chai';
import { withLogContext } from '../../src/telemetry/log-context.js';
import { withTraceparent } from '../../src/telemetry/trace-context.js';
import { errorFields } from '../../src/telemetry/error-fields.js';
import { capturedLog } from '../support/captured-log.js';

describe('telemetry/logger', () => {
  it('should write one JSON line per entry with its level name, time, message and fields', () => {
    const log = capturedLog();

    log.logger.warn('Job failed', { command: 'execute job', processInstanceId: 'pi-1' });

    const [line] = log.lines();
    expect(line).to.include({ level: 'warn', msg: 'Job failed', command: 'execute job', processInstanceId: 'pi-1' });
    expect(Number.isNaN(Date.parse(line!.time))).to.equal(false);
  });

  it('should add the request id and the trace id of the context the line is written in', () => {
    const log = capturedLog();
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

    withTraceparent(traceparent, () => withLogContext({ requestId: 'req-1' }, () => log.logger.info('inside')));
    log.logger.info('outside');

    const [inside, outside] = log.lines();
    expect(inside).to.include({ requestId: 'req-1', traceId: '0af7651916cd43dd8448eb211c80319c' });
    expect(outside).to.not.have.any.keys('requestId', 'traceId');
  });

  it('should leave out lines below its level', () => {
    const log = capturedLog('info');

    log.logger.debug('probe');
    log.logger.info('kept');

    expect(log.lines().map((line) => line.msg)).to.deep.equal(['kept']);
  });
});

describe('telemetry/error-fields', () => {
  it('should describe an error by type, code, status, stack frames and cause, never by its message', () => {
    const cause = Object.assign(new SyntaxError('Unexpected token \'c\', "canary" is not valid JSON'), { code: 'E_JSON' });
    const error = Object.assign(new Error('value canary', { cause }), { status: 500 });

    const fields = errorFields(error) as Record<string, any>;

    expect(fields).to.include({ type: 'Error', status: 500 });
    expect(fields.stack[0]).to.match(/^at /);
    expect(fields.cause).to.include({ type: 'SyntaxError', code: 'E_JSON' });
    expect(JSON.stringify(fields)).not.to.contain('canary');
  });

  it('should name only the kind of a thrown non-error', () => {
    expect(errorFields('canary')).to.deep.equal({ type: 'string' });
  });
});
