/** Reads JSON request bodies without rounding Longs (an integer beyond 2^53 arrives as a bigint) and refuses other media types. */
import type { IncomingMessage } from 'node:http';
import express, { type RequestHandler } from 'express';
import { InvalidRequestError, UnsupportedMediaTypeError } from '../core/errors.js';
import { parseExactJson } from '../core/exact-json.js';

/** The request's media type without parameters, in lower case; '' without a Content-Type. */
export function mediaTypeOf(req: IncomingMessage): string {
  return String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

export function jsonBody(limit: number): RequestHandler[] {
  // Every body but a multipart one is read, so that a body of another type can be refused rather than ignored.
  const readText = express.text({ type: (req) => !mediaTypeOf(req).startsWith('multipart/'), limit });
  const parse: RequestHandler = (req, _res, next) => {
    if (typeof req.body !== 'string') return next();
    // No body at all (unlock, unclaim: no Content-Type either) reads as {}, as express.json has it.
    if (req.body.length === 0) {
      req.body = {};
      return next();
    }
    // As Camunda's JAX-RS resources (@Consumes JSON): a form another site posts (text/plain, urlencoded) starts nothing.
    // An empty body of another type reaches the route: body-less ones (unlock) take it, readBody refuses it.
    if (mediaTypeOf(req) !== 'application/json') return next(new UnsupportedMediaTypeError());
    try {
      req.body = parseExactJson(req.body);
    } catch (err) {
      // Camunda answers malformed JSON with an empty message.
      return next(new InvalidRequestError(400, '', { cause: err }));
    }
    next();
  };
  return [readText, parse];
}
