/**
 * Message correlation (POST /message): by message name to waiting executions (catch events, boundary events, receive
 * tasks, event-based gateways) or to message start events, narrowed by business key, correlation keys and instance.
 */
import { CamundaError, RestError } from '../core/errors.js';
import { plainValueEquals, toPlainValue, type StoredValue, type VariableValueDto } from '../core/typed-value.js';
import type { Db } from '../persistence/database.js';
import { listStartSubscriptions, listWaitingSubscriptions, tenantChoiceOf, type EventSubscriptionRow, type VariableCandidate } from '../persistence/event-subscription-repository.js';
import { findProcessDefinition } from '../persistence/process-definition-repository.js';
import { listVariables, listVariablesOfInstance, storedValueOf, type VariableRow } from '../persistence/variable-repository.js';
import { activityInstanceOfSubscription, deliverToSubscription, startAtEvent, type Delivery } from './event-delivery.js';
import { runCommand, type CommandScope } from './run-command.js';
import { parsedVariables, type PartitionedVariables, type StartedInstance } from './runtime-service.js';
import type { ServiceContext } from './service-context.js';

export interface CorrelationRequest {
  messageName: string;
  businessKey?: string | null;
  tenantId?: string | null;
  withoutTenantId?: boolean;
  processInstanceId?: string | null;
  correlationKeys?: Record<string, VariableValueDto> | null;
  localCorrelationKeys?: Record<string, VariableValueDto> | null;
  processVariables?: Record<string, VariableValueDto> | null;
  processVariablesLocal?: Record<string, VariableValueDto> | null;
  processVariablesToTriggeredScope?: Record<string, VariableValueDto> | null;
  all?: boolean;
  variablesInResultEnabled?: boolean;
}

/** What one correlation did: continued a waiting execution, or started an instance at a message start event. */
export type CorrelationResult =
  | { resultType: 'Execution'; executionId: string; processInstanceId: string; tenantId: string | null; ended: boolean; variables: Map<string, StoredValue> | null }
  | { resultType: 'ProcessDefinition'; started: StartedInstance; variables: Map<string, StoredValue> | null };

/** Camunda's MismatchingMessageCorrelationException, as its REST layer reports it (a RestException, 400). */
function mismatchRaw(message: string): CamundaError {
  return new RestError(400, `org.camunda.bpm.engine.MismatchingMessageCorrelationException: ${message}`);
}

function mismatch(messageName: string, reason: string): CamundaError {
  return mismatchRaw(`Cannot correlate message '${messageName}': ${reason}`);
}

/**
 * Whether every key's value equals a variable of that name among `rows` (numbers compare by value, as Camunda's
 * variable query does).
 */
function keysMatch(keys: Map<string, StoredValue>, rows: VariableRow[]): boolean {
  for (const [name, expected] of keys) {
    const wanted = toPlainValue(expected);
    if (!rows.some((row) => row.name === name && plainValueEquals(toPlainValue(storedValueOf(row)), wanted))) return false;
  }
  return true;
}

const INTEGRAL_TYPES = ['Short', 'Integer', 'Long'];

/**
 * Correlation keys as SQL candidates: strings, booleans and numbers are stored in a canonical text, so only instances
 * with such a variable are read; other types (dates, JSON, …) are compared on the rows alone.
 */
function variableCandidates(keys: Map<string, StoredValue>): VariableCandidate[] {
  const candidates: VariableCandidate[] = [];
  for (const [name, value] of keys) {
    if (value.text === null) continue;
    if (value.type === 'String' || value.type === 'Boolean') candidates.push({ name, types: [value.type], text: value.text, alsoTypes: [] });
    else if (INTEGRAL_TYPES.includes(value.type)) candidates.push({ name, types: INTEGRAL_TYPES, text: value.text, alsoTypes: ['Double'] });
    else if (value.type === 'Double') candidates.push({ name, types: ['Double'], text: value.text, alsoTypes: INTEGRAL_TYPES });
  }
  return candidates;
}

interface Criteria {
  businessKey: string | null;
  correlationKeys: Map<string, StoredValue>;
  localCorrelationKeys: Map<string, StoredValue>;
}

/** Whether a waiting subscription (of an instance with the business key, if one is given) satisfies the correlation keys. */
async function subscriptionMatches(db: Db, subscription: EventSubscriptionRow, criteria: Criteria): Promise<boolean> {
  const processInstanceId = subscription.process_instance_id!;
  // Correlation keys match any variable of the instance, local ones of its executions included (as Camunda's query).
  if (criteria.correlationKeys.size > 0 && !keysMatch(criteria.correlationKeys, await listVariablesOfInstance(db, processInstanceId))) return false;
  if (criteria.localCorrelationKeys.size > 0) {
    const scope = await activityInstanceOfSubscription(db, subscription);
    if (!scope || !keysMatch(criteria.localCorrelationKeys, await listVariables(db, scope))) return false;
  }
  return true;
}

/** The request's variables and keys as typed values; a value that does not parse is Camunda's 400. */
function partitioned(dtos: Record<string, VariableValueDto> | null | undefined): PartitionedVariables {
  return parsedVariables(dtos, (message) => `Cannot deliver message: ${message}`);
}

/**
 * Correlates a message in one command: every match is locked and re-read, so of two concurrent correlations to one
 * waiting execution one continues it and the other finds nothing to correlate to.
 */
export async function correlateMessage(ctx: ServiceContext, request: CorrelationRequest): Promise<CorrelationResult[]> {
  const name = request.messageName;
  const criteria: Criteria = {
    businessKey: request.businessKey ?? null,
    correlationKeys: partitioned(request.correlationKeys).stored,
    localCorrelationKeys: partitioned(request.localCorrelationKeys).stored,
  };
  const variables = partitioned(request.processVariables);
  const localVariables = partitioned({ ...request.processVariablesLocal, ...request.processVariablesToTriggeredScope });
  const tenant = tenantChoiceOf(request.tenantId, request.withoutTenantId);
  return runCommand(ctx, 'correlate message', async (command) => {
    const db = command.tx;
    const waiting: EventSubscriptionRow[] = [];
    const candidates = await listWaitingSubscriptions(db, {
      eventType: 'message', eventName: name, processInstanceId: request.processInstanceId ?? undefined, businessKey: criteria.businessKey ?? undefined,
      variables: variableCandidates(criteria.correlationKeys), tenant,
    });
    for (const subscription of candidates) {
      if (await subscriptionMatches(db, subscription, criteria)) waiting.push(subscription);
    }
    if (waiting.length > 1 && !request.all) {
      throw mismatchRaw(`ENGINE-13031 Cannot correlate a message with name '${name}' to a single execution. ${waiting.length} executions match the correlation keys: ${correlationSetOf(request)}`);
    }
    // Waiting executions win over message start events; with `all`, each start event starts one instance too.
    const startable = waiting.length > 0 && !request.all ? [] : await listStartSubscriptions(db, { eventType: 'message', eventName: name, tenant });
    if (waiting.length === 0 && startable.length === 0) {
      if (request.all) return [];
      throw mismatch(name, 'No process definition or execution matches the parameters');
    }

    const results: CorrelationResult[] = [];
    for (const subscription of waiting) {
      const result = await deliverToExecution(ctx, command, subscription, { variables, localVariables, withVariables: request.variablesInResultEnabled === true });
      if (result) results.push(result);
    }
    if (results.length === 0 && startable.length === 0 && !request.all) throw mismatch(name, 'No process definition or execution matches the parameters');
    for (const subscription of startable) {
      const definition = (await findProcessDefinition(db, subscription.process_definition_id!))!;
      const started = await startAtEvent(ctx, command, definition, subscription.activity_id, criteria.businessKey, variables, request.variablesInResultEnabled === true);
      results.push({ resultType: 'ProcessDefinition', started, variables: started.variables });
    }
    return results;
  });
}

/** Delivers the message to one waiting execution; null when a concurrent command consumed its subscription first. */
async function deliverToExecution(ctx: ServiceContext, command: CommandScope, found: EventSubscriptionRow, delivery: Delivery): Promise<CorrelationResult | null> {
  const delivered = await deliverToSubscription(ctx, command, found, delivery);
  if (!delivered) return null;
  return {
    resultType: 'Execution',
    executionId: delivered.executionId,
    processInstanceId: found.process_instance_id!,
    tenantId: found.tenant_id,
    ended: delivered.executionEnded,
    variables: delivery.withVariables ? delivered.variables : null,
  };
}

/** Camunda's CorrelationSet as its toString() prints it in mismatch messages. */
function correlationSetOf(request: CorrelationRequest): string {
  const keys = (dtos: Record<string, VariableValueDto> | null | undefined) => {
    if (!dtos) return 'null';
    return `{${Object.entries(dtos).map(([name, dto]) => `${name}=${String(dto?.value)}`).join(', ')}}`;
  };
  return `CorrelationSet [businessKey=${request.businessKey ?? 'null'}, processInstanceId=${request.processInstanceId ?? 'null'}, processDefinitionId=null, correlationKeys=${keys(request.correlationKeys)}, localCorrelationKeys=${keys(request.localCorrelationKeys)}, tenantId=${request.tenantId ?? 'null'}, isTenantIdSet=${request.tenantId !== undefined && request.tenantId !== null || request.withoutTenantId === true}, isExecutionsOnly=false]`;
}

