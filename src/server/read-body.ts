/** Checks a JSON request body against its declared schema before a handler reads it: wrong shapes get a 400 naming the property. */
import type { Request } from 'express';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { InvalidRequestError } from '../core/errors.js';

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
const ajv = new Ajv({ allErrors: false, strict: true });
const validators = new WeakMap<BodySchema<unknown>, ValidateFunction>();

function validatorOf(schema: BodySchema<unknown>): ValidateFunction {
  let validate = validators.get(schema);
  if (!validate) {
    validate = ajv.compile(schema.schema);
    validators.set(schema, validate);
  }
  return validate;
}

/** The body as `T`; a body JSON `null` reads as `{}`, like an empty one. Throws 400 InvalidRequestException otherwise. */
export function readBody<T>(req: Request, schema: BodySchema<T>): T {
  const body: unknown = req.body ?? {};
  const validate = validatorOf(schema);
  if (!validate(body)) throw new InvalidRequestError(400, describe(validate.errors?.[0], body));
  return body as T;
}

function propertyPath(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment), '');
}

function valueAt(body: unknown, instancePath: string): unknown {
  let value = body;
  for (const segment of instancePath.split('/').slice(1)) {
    value = (value as Record<string, unknown>)[segment.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return value;
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

function describe(error: ErrorObject | undefined, body: unknown): string {
  if (!error) return 'The request body is invalid.';
  const path = propertyPath(error.instancePath);
  const requirement = error.keyword === 'type' ? `must be ${expected(error.params.type)}` : (error.message ?? 'is invalid');
  const got = `, got ${kindOf(valueAt(body, error.instancePath))}`;
  return path ? `Property '${path}' ${requirement}${error.keyword === 'type' ? got : ''}.` : `The request body ${requirement}${error.keyword === 'type' ? got : ''}.`;
}
