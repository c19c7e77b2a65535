/** The command runner: what an instance waits for after each command, its history transitions, and BPMN errors. */
import { expect } from 'chai';
import { DefinitionCache, parseBpmn, runProcessCommand, VariableScopes, type EngineState, type InstanceScope, type RunResult } from '../../src/engine/index.js';
import { fixture } from '../support/rest-client.js';

const cache = new DefinitionCache();

async function modelOf(name: string, key: string) {
  const parsed = await parseBpmn(name, fixture(`bpmn/${name}`).toString());
  return { definitionId: `${key}:1`, processKey: key, serializedContext: parsed.serializedContext };
}

function scope(variables: Record<string, unknown> = { priority: 5 }): InstanceScope {
  return {
    processInstanceId: 'pi-1',
    processDefinitionId: 'payment:1',
    businessKey: null,
    clock: { now: () => new Date('2026-01-01T00:00:00Z') },
    variables: new VariableScopes({ ...variables }),
    scripts: { javascript: false },
  };
}

describe('engine/process-runner', () => {
  let model: Awaited<ReturnType<typeof modelOf>>;
  let started: RunResult;

  before(async () => {
    model = await modelOf('payment.bpmn', 'payment');
  });

  beforeEach(async () => {
    started = await runProcessCommand(cache, model, null, scope(), { kind: 'start' });
  });

  it('should wait at the external task after start, without history for the armed error boundary', () => {
    expect(started.ended).to.equal(false);
    expect(started.waits.map((w) => [w.kind, w.activityId])).to.deep.equal([['externalTask', 'ChargeCard']]);
    expect(started.transitions.map((t) => `${t.kind}:${t.activityId}`)).to.deep.equal(['start:StartEvent_1', 'end:StartEvent_1', 'start:ChargeCard']);
  });

  it('should wait at the message end event with camunda:type="external" after the task completes', async () => {
    const [charge] = started.waits;
    const next = await runProcessCommand(cache, model, started.state as EngineState, scope(), { kind: 'signal', activityId: 'ChargeCard', executionId: charge.executionId });
    expect(next.waits.map((w) => [w.kind, w.activityId, w.bpmnType])).to.deep.equal([['externalTask', 'PaymentNotified', 'bpmn:EndEvent']]);
    const notify = next.waits[0];
    const done = await runProcessCommand(cache, model, next.state as EngineState, scope(), { kind: 'signal', activityId: 'PaymentNotified', executionId: notify.executionId });
    expect(done.ended).to.equal(true);
    expect(done.transitions.find((t) => t.activityId === 'PaymentNotified')?.activityType).to.equal('messageEndEvent');
  });

  it('should route a caught BPMN error to the boundary event and set its code and message variables', async () => {
    const [charge] = started.waits;
    const errorScope = scope();
    const result = await runProcessCommand(cache, model, started.state as EngineState, errorScope, {
      kind: 'bpmnError', activityId: 'ChargeCard', executionId: charge.executionId, errorCode: 'CARD_DECLINED', errorMessage: 'insufficient funds', endIfUncaught: true,
    });
    expect(result.uncaughtBpmnError).to.equal(null);
    expect(result.ended).to.equal(true);
    expect(errorScope.variables.changes.map((c) => [c.scope, c.name, c.value])).to.deep.equal([[null, 'declineCode', 'CARD_DECLINED'], [null, 'declineReason', 'insufficient funds']]);
    expect(result.transitions.map((t) => `${t.kind}:${t.activityId}:${t.activityType}`)).to.include.members([
      'cancel:ChargeCard:serviceTask',
      'start:CardDeclined:boundaryError',
      'end:CardDeclined:boundaryError',
      'end:PaymentDeclined:noneEndEvent',
    ]);
  });

  it('should end the execution of an uncaught BPMN error when asked to, and report it', async () => {
    const [charge] = started.waits;
    const result = await runProcessCommand(cache, model, started.state as EngineState, scope(), {
      kind: 'bpmnError', activityId: 'ChargeCard', executionId: charge.executionId, errorCode: 'OTHER', errorMessage: null, endIfUncaught: true,
    });
    expect(result.uncaughtBpmnError).to.deep.equal({ activityId: 'ChargeCard', errorCode: 'OTHER', errorMessage: null });
    expect(result.waits).to.deep.equal([]);
    expect(result.ended).to.equal(true);
  });

  it('should leave the activity waiting on an uncaught BPMN error otherwise', async () => {
    const [charge] = started.waits;
    const result = await runProcessCommand(cache, model, started.state as EngineState, scope(), {
      kind: 'bpmnError', activityId: 'ChargeCard', executionId: charge.executionId, errorCode: 'OTHER', errorMessage: null, endIfUncaught: false,
    });
    expect(result.uncaughtBpmnError?.errorCode).to.equal('OTHER');
    expect(result.waits.map((w) => w.executionId)).to.deep.equal([charge.executionId]);
  });

  it('should re-announce the same waits when only resumed', async () => {
    const resumed = await runProcessCommand(cache, model, started.state as EngineState, scope(), { kind: 'resume' });
    expect(resumed.waits.map((w) => w.executionId)).to.deep.equal(started.waits.map((w) => w.executionId));
    expect(resumed.transitions).to.deep.equal([]);
  });
});
