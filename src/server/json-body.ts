/** Reads JSON request bodies without rounding Longs: an integer beyond 2^53 arrives as a bigint with all its digits. */
import express, { type RequestHandler } from 'express';
import { InvalidRequestError } from '../core/errors.js';
import { parseExactJson } from '../core/exact-json.js';

export function jsonBody(limit: number): RequestHandler[] {
  // Camunda ignores the content type of JSON bodies (unlock arrives with none at all).
  const readText = express.text({ type: (req) => !String(req.headers['content-type'] ?? '').startsWith('multipart/'), limit });
  const parse: RequestHandler = (req, _res, next) => {
    if (typeof req.body !== 'string') return next();
    // An empty body reads as {}, as express.json has it.
    if (req.body.length === 0) {
      req.body = {};
      return next();
    }
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
