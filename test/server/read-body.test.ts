/** Specification of readBody: a body is its schema's shape, or a 400 InvalidRequestException naming the property. */
import { expect } from 'chai';
import type { Request } from 'express';
import { InvalidRequestError, UnsupportedMediaTypeError } from '../../src/core/errors.js';
import { bodySchema, readBody } from '../../src/server/read-body.js';

const order = bodySchema<{ lines?: Array<{ sku?: string }>; notes?: Record<string, { text?: string }>; quantity?: number; weight?: number }>({
  type: 'object',
  properties: {
    quantity: { javaNumber: 'integer' },
    weight: { javaNumber: 'number' },
    lines: { type: 'array', nullable: true, items: { type: 'object', properties: { sku: { type: 'string', nullable: true } } } },
    notes: { type: 'object', nullable: true, additionalProperties: { type: 'object', properties: { text: { type: 'string' } } } },
  },
});

function requestWith(body: unknown, contentType = 'application/json'): Request {
  return { body, headers: { 'content-type': contentType } } as unknown as Request;
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

  it('should take a Long beyond 2^53 (a bigint) and null for a Java number, leaving range and sign to the services', () => {
    const body = { quantity: 9007199254740993n, weight: -0.5 };

    expect(readBody(requestWith(body), order)).to.equal(body);
    expect(readBody(requestWith({ quantity: null, weight: null }), order)).to.deep.equal({ quantity: null, weight: null });
  });

  it('should read an absent or null JSON body as an empty object', () => {
    expect(readBody(requestWith(undefined), order)).to.deep.equal({});
    expect(readBody(requestWith(null), order)).to.deep.equal({});
  });

  it('should refuse a request without Content-Type with 415, even without a body (a no-cors fetch from another site)', () => {
    expect(() => readBody(requestWith(undefined, ''), order)).to.throw(UnsupportedMediaTypeError);
  });

  it('should refuse a request of another media type with 415, even with an empty body', () => {
    expect(() => readBody(requestWith({}, 'text/plain'), order)).to.throw(UnsupportedMediaTypeError);
    expect(() => readBody(requestWith({}, 'application/x-www-form-urlencoded'), order)).to.throw(UnsupportedMediaTypeError);
  });

  it('should name the property, with its list index and map key, and what was sent instead', () => {
    const cases: Array<[unknown, string]> = [
      [{ lines: {} }, "Property 'lines' must be an array, got an object."],
      [{ lines: [{ sku: 7 }] }, "Property 'lines[0].sku' must be a string, got a number."],
      [{ notes: { 'a/b~c': { text: true } } }, "Property 'notes.a/b~c.text' must be a string, got a boolean."],
      [{ notes: { first: [] } }, "Property 'notes.first' must be an object, got an array."],
      [{ quantity: 1.5 }, "Property 'quantity' must be an integer, got a number."],
      [{ quantity: '3' }, "Property 'quantity' must be an integer, got a string."],
      [{ weight: [] }, "Property 'weight' must be a number, got an array."],
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
