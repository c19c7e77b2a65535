/** Checks a JSON request body against its declared schema before a handler reads it: wrong shapes get a 400 naming the property. */
import type { Request } from 'express';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { InvalidRequestError, UnsupportedMediaTypeError } from '../core/errors.js';
import { mediaTypeOf } from './json-body.js';

/** A JSON schema that promises the shape `T` to whoever reads a body it accepts. */
export interface BodySchema<T> {
  readonly schema: Record<string, unknown>;
  /** Never set: carries `T` for the compiler only. */
  readonly shape?: T;
}

export function bodySchema<T>(schema: Record<string, unknown>): BodySchema<T> {
  return { schema };
}

// Unknown properties stay allowed and nothing is coerced: Camunda ignores the former, and a businessKey of [1,2] is no string.
const ajv = new Ajv({ allErrors: false, strict: true, verbose: true });
// A Java int or Long property: a JSON number, a bigint beyond 2^53 included (json-body reads those exactly), or null.
// Its range and sign are the services' to check, with Camunda's messages.
ajv.addKeyword({
  keyword: 'javaNumber',
  schemaType: 'string',
  errors: false,
  validate: (kind: 'integer' | 'number', data: unknown) =>
    data === null || typeof data === 'bigint' || (typeof data === 'number' && (kind === 'number' || Number.isInteger(data))),
});
const validators = new WeakMap<BodySchema<unknown>, ValidateFunction>();

function validatorOf(schema: BodySchema<unknown>): ValidateFunction {
  let validate = validators.get(schema);
  if (!validate) {
    validate = ajv.compile(schema.schema);
    validators.set(schema, validate);
  }
  return validate;
}

/**
 * The body as `T`; a body JSON `null` reads as `{}`, like an empty one. Throws 400 InvalidRequestException for another
 * shape, and 415 for any Content-Type but JSON, a missing one included, even with an empty body: an empty form another
 * site posts, or a body-less `fetch` in no-cors mode, changes nothing (Camunda fails those with a 500 NullPointerException).
 */
export function readBody<T>(req: Request, schema: BodySchema<T>): T {
  if (mediaTypeOf(req) !== 'application/json') throw new UnsupportedMediaTypeError();
  const body: unknown = req.body ?? {};
  const validate = validatorOf(schema);
  if (!validate(body)) throw new InvalidRequestError(400, describe(validate.errors?.[0]));
  return body as T;
}

function propertyPath(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment), '');
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'bigint') return 'a number';
  return `a ${typeof value}`;
}

function expected(type: unknown): string {
  const name = String(type);
  return `${/^[aeiou]/.test(name) ? 'an' : 'a'} ${name}`;
}

/** What was wrong, with the value sent (`verbose` makes Ajv hand it over as `error.data`). */
function describe(error: ErrorObject | undefined): string {
  if (!error) return 'The request body is invalid.';
  const path = propertyPath(error.instancePath);
  const type = error.keyword === 'type' ? error.params.type : error.keyword === 'javaNumber' ? error.schema : undefined;
  const requirement = type === undefined ? (error.message ?? 'is invalid') : `must be ${expected(type)}, got ${kindOf(error.data)}`;
  return path ? `Property '${path}' ${requirement}.` : `The request body ${requirement}.`;
}
