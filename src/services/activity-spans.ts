/** The spans of the activities a command ran, from its recorded transitions: one per activity instance started or ended. */
import type { ActivityTransition } from '../engine/index.js';
import { annotateActiveSpan, ENGINE_ATTRIBUTES, ENGINE_SPANS, instanceAttributes, recordChildSpans } from '../telemetry/engine-spans.js';
import { tracingEnabled } from '../telemetry/trace-context.js';
import type { InstanceIdentity } from './instance-identity.js';

type Transition = 'started' | 'ended' | 'started_and_ended' | 'canceled';

/**
 * Records the command's activity spans (children of its span) and names the instance on the command span. The engine
 * runs activities synchronously within the command, so the spans mark what happened, not how long each took.
 */
export function traceActivities(identity: InstanceIdentity, transitions: readonly ActivityTransition[], activityInstanceIdOf: (executionId: string) => string | undefined): void {
  if (!tracingEnabled()) return;
  const instance = instanceAttributes({ definitionId: identity.definition.id, definitionKey: identity.definition.key, definitionVersion: identity.definition.version, processInstanceId: identity.processInstanceId });
  annotateActiveSpan(instance);
  const byExecution = new Map<string, { transition: ActivityTransition; what: Transition }>();
  for (const transition of transitions) {
    if (transition.kind === 'join') continue;
    const seen = byExecution.get(transition.executionId);
    const what: Transition = transition.kind === 'start' ? 'started' : transition.kind === 'cancel' ? 'canceled' : seen?.what === 'started' ? 'started_and_ended' : 'ended';
    byExecution.set(transition.executionId, { transition, what: seen?.what === 'started' && what === 'canceled' ? 'canceled' : what });
  }
  recordChildSpans([...byExecution].map(([executionId, { transition, what }]) => {
    const activityInstanceId = activityInstanceIdOf(executionId);
    return {
      name: `${ENGINE_SPANS.activity} ${transition.activityType} ${transition.activityId}`,
      attributes: {
        ...instance,
        [ENGINE_ATTRIBUTES.activityId]: transition.activityId,
        [ENGINE_ATTRIBUTES.activityType]: transition.activityType,
        [ENGINE_ATTRIBUTES.activityTransition]: what,
        ...(activityInstanceId === undefined ? {} : { [ENGINE_ATTRIBUTES.activityInstanceId]: activityInstanceId }),
      },
    };
  }));
}
