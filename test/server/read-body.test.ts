/** Specification of readBody: a body is its schema's shape, or a 400 InvalidRequestException naming the property. */
import { expect } from 'chai';
import type { Request } from 'express';
import { InvalidRequestError } from '../../src/core/errors.js';
import { bodySchema, readBody } from '../../src/server/read-body.js';

const order = bodySchema<{ lines?: Array<{ sku?: string }>; notes?: Record<string, { text?: string }> }>({
  type: 'object',
  properties: {
    lines: { type: 'array', nullable: true, items: { type: 'object', properties: { sku: { type: 'string', nullable: true } } } },
    notes: { type: 'object', nullable: true, additionalProperties: { type: 'object', properties: { text: { type: 'string' } } } },
  },
});

function requestWith(body: unknown): Request {
  return { body } as Request;
}

function refusal(body: unknown): InvalidRequestError {
  try {
    readBody(requestWith(body), order);
  } catch (err) {
    if (err instanceof InvalidRequestError) return err;
    throw err;
  }
  throw new Error(`${JSON.stringify(body)} was accepted`);
}

describe('server/read-body', () => {
  it('should hand the body through as it is, unknown properties and nulls included', () => {
    const body = { lines: [{ sku: 'a', extra: 1 }], notes: null, unknown: { x: 1 } };

    expect(readBody(requestWith(body), order)).to.equal(body);
  });

  it('should read an absent or null body as an empty object', () => {
    expect(readBody(requestWith(undefined), order)).to.deep.equal({});
    expect(readBody(requestWith(null), order)).to.deep.equal({});
  });

  it('should name the property, with its list index and map key, and what was sent instead', () => {
    const cases: Array<[unknown, string]> = [
      [{ lines: {} }, "Property 'lines' must be an array, got an object."],
      [{ lines: [{ sku: 7 }] }, "Property 'lines[0].sku' must be a string, got a number."],
      [{ notes: { 'a/b~c': { text: true } } }, "Property 'notes.a/b~c.text' must be a string, got a boolean."],
      [{ notes: { first: [] } }, "Property 'notes.first' must be an object, got an array."],
      ['text', 'The request body must be an object, got a string.'],
    ];
    for (const [body, message] of cases) {
      const error = refusal(body);
      expect(error.status, message).to.equal(400);
      expect(error.type).to.equal('InvalidRequestException');
      expect(error.message).to.equal(message);
    }
  });
});
