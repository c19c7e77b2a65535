/** Camunda's DelegationState as the REST API reads it, in a body or a query: either case, else a 400. */
import { InvalidRequestError } from '../core/errors.js';

const DELEGATION_STATES = ['PENDING', 'RESOLVED'] as const;

export type DelegationState = (typeof DELEGATION_STATES)[number];

export function delegationStateOf(value: string | null | undefined): DelegationState | null {
  if (value === null || value === undefined) return null;
  const state = DELEGATION_STATES.find((known) => known === value.toUpperCase());
  if (!state) throw new InvalidRequestError(400, `Valid values for property 'delegationState' are 'PENDING' or 'RESOLVED', but was '${value}'`);
  return state;
}
