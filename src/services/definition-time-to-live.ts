/** Camunda's PUT …/history-time-to-live of process and decision definitions: the days their history is kept from now on. */
import { BadUserRequestError, CamundaError, InvalidRequestError } from '../core/errors.js';
import { updateDecisionDefinitionTimeToLive } from '../persistence/decision-definition-repository.js';
import { updateProcessDefinitionTimeToLive } from '../persistence/process-definition-repository.js';
import { getDecisionDefinition } from './decision-service.js';
import { getProcessDefinition, type DefinitionReference } from './process-definition-service.js';
import { runCommand } from './run-command.js';
import type { ServiceContext } from './service-context.js';
import { definitionTarget, logUserOperation } from './user-operation-log.js';

/**
 * The body's value as Jackson reads it into an Integer: a number (a fraction truncated) or a numeric string. Null is
 * refused, as Camunda does while it enforces a history time to live (its default).
 */
export function readTimeToLive(value: unknown): number {
  if (value === null || value === undefined) throw new CamundaError(400, 'NotAllowedException', 'Null historyTimeToLive values are not allowed');
  const days = typeof value === 'number' ? Math.trunc(value) : typeof value === 'string' && /^[-+]?\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isSafeInteger(days)) throw new InvalidRequestError(400, `Cannot read historyTimeToLive: ${JSON.stringify(value)} is not an integer`);
  if (days < 0) throw new BadUserRequestError('historyTimeToLive is not greater than or equal to 0');
  return days;
}

/** Sets a process definition's time to live; instances that end later take their removal time from it. */
export async function setProcessDefinitionTimeToLive(ctx: ServiceContext, reference: DefinitionReference, days: number): Promise<void> {
  // Looked up before the transaction: embedded PGlite has the one connection the command holds.
  const definition = await getProcessDefinition(ctx, reference);
  await runCommand(ctx, 'update process definition history time to live', async ({ tx }) => {
    await updateProcessDefinitionTimeToLive(tx, definition.id, days);
    await logUserOperation(ctx, tx, {
      operationType: 'UpdateHistoryTimeToLive', entityType: 'ProcessDefinition', category: 'Operator', target: definitionTarget(definition),
      properties: [{ property: 'historyTimeToLive', orgValue: definition.history_time_to_live, newValue: days }],
    });
  });
}

/** Sets a decision definition's time to live; evaluations recorded later take their removal time from it. */
export async function setDecisionDefinitionTimeToLive(ctx: ServiceContext, reference: DefinitionReference, days: number): Promise<void> {
  const definition = await getDecisionDefinition(ctx, reference);
  await runCommand(ctx, 'update decision definition history time to live', async ({ tx }) => {
    await updateDecisionDefinitionTimeToLive(tx, definition.id, days);
    await logUserOperation(ctx, tx, {
      operationType: 'UpdateHistoryTimeToLive', entityType: 'DecisionDefinition', category: 'Operator', target: {},
      // Camunda's entry names no tenant and has no decision columns: the definition is in two further properties.
      properties: [
        { property: 'historyTimeToLive', orgValue: definition.history_time_to_live, newValue: days },
        { property: 'decisionDefinitionId', orgValue: null, newValue: definition.id },
        { property: 'decisionDefinitionKey', orgValue: null, newValue: definition.key },
      ],
    });
  });
}
