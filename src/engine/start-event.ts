/**
 * Start events that run only when the command starts there. bpmn-elements starts every start event of a process; one
 * that is not chosen leaves without taking its flows, so no discard travels on into an activity another start event
 * also leads to (a task with two inbound flows would otherwise be discarded with it).
 */
import { StartEventBehaviour } from 'bpmn-elements/events';

interface ExecuteMessage {
  content: Record<string, unknown>;
}

interface StartActivity {
  id: string;
  parent?: { type?: string };
  broker: { publish(exchange: string, routingKey: string, content: unknown): void };
  environment: { settings: { startEventIds?: readonly string[] } };
}

const Stock = StartEventBehaviour as unknown as new (activity: StartActivity) => { execute(message: ExecuteMessage): unknown };

/** The setting naming the start events a start command runs; absent, every start event runs (bpmn-elements' default). */
export const START_EVENT_IDS_SETTING = 'startEventIds';

export class ChosenStartEventBehaviour extends Stock {
  constructor(private readonly startActivity: StartActivity) {
    super(startActivity);
  }

  execute(executeMessage: ExecuteMessage): unknown {
    const chosen = this.startActivity.environment.settings[START_EVENT_IDS_SETTING];
    // Only the process's own start events are chosen among; a sub-process always starts at its start event.
    if (chosen && this.startActivity.parent?.type === 'bpmn:Process' && !chosen.includes(this.startActivity.id)) {
      return this.startActivity.broker.publish('execution', 'execute.discard', { ...executeMessage.content, ignoreOutbound: true });
    }
    return super.execute(executeMessage);
  }
}
