/** Specification of the error middleware: typed errors keep their message, unexpected ones never reach the client. */
import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import { BadUserRequestError, InvalidRequestError, ProcessEngineError, RestError } from '../../src/core/errors.js';
import { errorMiddleware } from '../../src/server/error-middleware.js';

/** An app whose only route throws `thrown`, and the log lines the middleware wrote. */
function appThrowing(thrown: unknown) {
  const logged: string[] = [];
  const app = express();
  app.get('/boom', () => {
    throw thrown;
  });
  // Each line as the JSON of its level, message and fields, as the process logger writes it.
  const record = (level: string) => (message: string, fields?: object) => logged.push(JSON.stringify({ level, message, ...fields }));
  app.use(errorMiddleware({ info: record('info'), warn: record('warn'), error: record('error') }));
  return { app, logged };
}

/** An error as knex passes on a driver's: the whole SQL statement in the message and PostgreSQL's code. */
function databaseError(code: string): Error {
  return Object.assign(new Error(`insert into "variable" ("name", "text") values ($1, $2) - secret-table-detail (${code})`), { code });
}

describe('error middleware', () => {
  it('should answer an unexpected error with a generic 500 and log its type and stack, not its message, under the id it answers', async () => {
    // given
    const { app, logged } = appThrowing(new Error('select * from "secret_table" where "password" = $1'));

    // when
    const res = await request(app).get('/boom');

    // then
    expect(res.status).to.equal(500);
    expect(res.headers['content-type']).to.equal('application/json');
    expect(Object.keys(res.body)).to.deep.equal(['type', 'message', 'code']);
    expect(res.body.type).to.equal('ProcessEngineException');
    expect(res.body.code).to.equal(0);
    expect(res.text).not.to.contain('secret_table');
    const errorId = /error id ([0-9a-f-]{36})/.exec(res.body.message)?.[1];
    expect(errorId, res.body.message).to.be.a('string');
    expect(logged).to.have.length(1);
    const line = JSON.parse(logged[0]!);
    expect(line).to.include({ level: 'error', errorId });
    expect(line.err.type).to.equal('Error');
    expect(line.err.stack.join('\n')).to.contain('error-middleware.test.ts');
    expect(logged[0]).not.to.contain('secret_table');
  });

  it('should log a typed error of status 500 as a warning with its type, stack and cause, but not its message', async () => {
    // given
    const cause = Object.assign(new Error('value "canary" is not a number'), { code: 'XX000' });
    const { app, logged } = appThrowing(new ProcessEngineError("Cannot coerce 'canary' to a number", { cause }));

    // when
    const res = await request(app).get('/boom');

    // then
    expect(res.status).to.equal(500);
    expect(logged).to.have.length(1);
    const line = JSON.parse(logged[0]!);
    expect(line.level).to.equal('warn');
    expect(line.err).to.include({ type: 'ProcessEngineException', status: 500, code: 0 });
    expect(line.err.stack).to.be.an('array').with.length.above(0);
    expect(line.err.cause).to.include({ type: 'Error', code: 'XX000' });
    expect(logged[0]).not.to.contain('canary');
  });

  it('should not log a 4xx, which the request line records, as an error', async () => {
    const { app, logged } = appThrowing(new InvalidRequestError(404, 'process instance p1 does not exist'));

    const res = await request(app).get('/boom');

    expect(res.status).to.equal(404);
    expect(logged).to.deep.equal([]);
  });

  it('should give every unexpected error its own id', async () => {
    const { app } = appThrowing(new Error('boom'));

    const first = await request(app).get('/boom');
    const second = await request(app).get('/boom');

    expect(first.body.message).not.to.equal(second.body.message);
  });

  it('should not send the text of a thrown non-error either', async () => {
    const { app } = appThrowing('connection string postgres://user:secret@db/engine');

    const res = await request(app).get('/boom');

    expect(res.status).to.equal(500);
    expect(res.text).not.to.contain('secret');
  });

  for (const [error, status] of [
    [new InvalidRequestError(404, 'process instance p1 does not exist'), 404],
    [new RestError(404, 'External task with id t1 does not exist'), 404],
    [new BadUserRequestError('lockTime is not greater than 0'), 400],
    [new ProcessEngineError('Cannot start process instance. Process definition d1 is suspended'), 500],
  ] as const) {
    it(`should keep the type and message of a typed ${error.type} (${status})`, async () => {
      const { app } = appThrowing(error);

      const res = await request(app).get('/boom');

      expect(res.status).to.equal(status);
      expect(res.body).to.deep.equal({ type: error.type, message: error.message, code: 0 });
    });
  }

  for (const code of ['22021', '22P05']) {
    it(`should answer PostgreSQL's refusal of a NUL character (${code}) with a 400 that names it and holds no SQL`, async () => {
      const { app } = appThrowing(databaseError(code));

      const res = await request(app).get('/boom');

      expect(res.status).to.equal(400);
      expect(res.body).to.deep.equal({ type: 'InvalidRequestException', message: 'The request contains a NUL character (\\u0000), which the engine cannot store in text.', code: 0 });
    });
  }

  it("should answer PostgreSQL's numeric overflow (22003) with a 400 that holds no SQL", async () => {
    const { app } = appThrowing(databaseError('22003'));

    const res = await request(app).get('/boom');

    expect(res.status).to.equal(400);
    expect(res.body).to.deep.equal({ type: 'InvalidRequestException', message: 'A number in the request is outside the range the engine can store.', code: 0 });
  });
});
