/** Typed errors: each carries its HTTP status and the Camunda exception type the REST API reports. */

export interface ErrorDetails {
  [key: string]: unknown;
}

/** Base of every error the REST layer turns into Camunda's `{type, message, code}` body. */
export class CamundaError extends Error {
  readonly status: number;
  readonly type: string;
  /** Camunda's error code: 0 by default, 1 for optimistic locking (the OpenAPI declares it a number). */
  readonly code: number;
  readonly details?: ErrorDetails;
  /** Further top-level fields of the body, as some of Camunda's exception DTOs have (AuthorizationExceptionDto). */
  readonly fields?: ErrorDetails;

  constructor(status: number, type: string, message: string, options: { code?: number; details?: ErrorDetails; fields?: ErrorDetails; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = type;
    this.status = status;
    this.type = type;
    this.code = options.code ?? 0;
    this.details = options.details;
    this.fields = options.fields;
  }
}

/** Thrown when a request is malformed or names something that does not exist (Camunda's InvalidRequestException). */
export class InvalidRequestError extends CamundaError {
  constructor(status: number, message: string, options: { cause?: unknown } = {}) {
    super(status, 'InvalidRequestException', message, options);
  }
}

/** Thrown where Camunda's REST layer raises a RestException with its own status. */
export class RestError extends CamundaError {
  constructor(status: number, message: string, options: { cause?: unknown } = {}) {
    super(status, 'RestException', message, options);
  }
}

/** Thrown when a JSON endpoint receives a body of another media type (JAX-RS's 415 NotSupportedException). */
export class UnsupportedMediaTypeError extends CamundaError {
  constructor() {
    super(415, 'NotSupportedException', 'HTTP 415 Unsupported Media Type');
  }
}

/** Thrown when a request accepts none of the media types a resource writes (JAX-RS's 406 NotAcceptableException). */
export class NotAcceptableError extends CamundaError {
  constructor() {
    super(406, 'NotAcceptableException', 'HTTP 406 Not Acceptable');
  }
}

/** Thrown when the engine refuses a request the user could correct (400 BadUserRequestException). */
export class BadUserRequestError extends CamundaError {
  constructor(message: string) {
    super(400, 'BadUserRequestException', message);
  }
}

/** Thrown when a deployed resource cannot be parsed; `details` lists the problems per resource. */
export class ParseError extends CamundaError {
  constructor(message: string, details: ErrorDetails) {
    super(400, 'ParseException', message, { details });
  }
}

/** Thrown when the authenticated user lacks a permission (403 AuthorizationException, with Camunda's message and fields). */
export class AuthorizationError extends CamundaError {
  constructor(userId: string, permissionName: string, resourceName: string, resourceId: string | null) {
    const resource = resourceId === null ? `'${resourceName}'` : `'${resourceId}' of type '${resourceName}'`;
    super(403, 'AuthorizationException', `The user with id '${userId}' does not have '${permissionName}' permission on resource ${resource}.`, {
      fields: { userId, missingAuthorizations: [{ permissionName, resourceName, resourceId }] },
    });
  }
}

/** Thrown when the engine cannot carry out a command (500 ProcessEngineException). */
export class ProcessEngineError extends CamundaError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(500, 'ProcessEngineException', message, options);
  }
}

/** Thrown when the engine's own records contradict each other: a defect of the engine, never of the request. */
export class InconsistentStateError extends ProcessEngineError {}

/** Thrown when a required value is missing (500 NullValueException, as Camunda). */
export class NullValueError extends CamundaError {
  constructor(message: string) {
    super(500, 'NullValueException', message);
  }
}

/** Thrown when a task is claimed by someone else already. */
export class TaskAlreadyClaimedError extends CamundaError {
  constructor(taskId: string) {
    super(500, 'TaskAlreadyClaimedException', `Task '${taskId}' is already claimed by someone else.`);
  }
}

/** Thrown when a command saw a state another command changed first. */
export class OptimisticLockingError extends CamundaError {
  constructor(message: string) {
    super(500, 'OptimisticLockingException', message, { code: 1 });
  }
}

/** Normalizes anything thrown into an Error, keeping the original as `cause`. */
export function coerceError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  return new Error(typeof thrown === 'string' ? thrown : JSON.stringify(thrown), { cause: thrown });
}
