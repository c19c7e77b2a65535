/** Each process definition stores only its own part of the file: its elements and the processes it sends messages to. */
import { expect } from 'chai';
import { parseBpmn } from '../../src/engine/index.js';
import { fixture } from '../support/rest-client.js';
import { manyProcessesBpmn } from '../support/large-models.js';

interface Cut {
  processes: Array<{ id: string }>;
  activities: Array<{ id: string }>;
  sequenceFlows: Array<{ id: string }>;
  messageFlows: Array<{ id: string }>;
  participants: Array<{ id: string }>;
}

async function cutsOf(name: string, xml: string): Promise<Map<string, Cut>> {
  const parsed = await parseBpmn(name, xml);
  return new Map(parsed.processes.map((process) => [process.key, JSON.parse(process.serializedContext) as Cut]));
}

const ids = (elements: Array<{ id: string }>) => elements.map((element) => element.id);

describe('engine/process-context', () => {
  it('should give each process of a collaboration its elements, nested ones included, and the processes it sends messages to', async () => {
    // given: order sends a message to shipping; audit exchanges no messages
    const cuts = await cutsOf('collaboration.bpmn', fixture('bpmn/process-context-collaboration.bpmn').toString('utf8'));

    // then
    const order = cuts.get('order')!;
    expect(ids(order.processes)).to.deep.equal(['order', 'shipping']);
    expect(ids(order.activities)).to.have.members(['Event_OrderPlaced', 'Activity_Packing', 'Event_PackingStarted', 'Event_Packed', 'Event_SendShipping', 'Event_ShippingRequested', 'Event_Shipped']);
    expect(ids(order.sequenceFlows)).to.have.members(['Flow_Order_1', 'Flow_Order_2', 'Flow_Packing_1', 'Flow_Shipping_1']);
    expect(ids(order.messageFlows)).to.deep.equal(['MessageFlow_Ship']);
    expect(ids(order.participants)).to.deep.equal(['Participant_Order', 'Participant_Shipping']);
    expect(ids(cuts.get('shipping')!.processes)).to.deep.equal(['order', 'shipping']);

    const audit = cuts.get('audit')!;
    expect(ids(audit.processes)).to.deep.equal(['audit']);
    expect(ids(audit.activities)).to.deep.equal(['Event_AuditStarted', 'Event_Audited']);
    expect(ids(audit.sequenceFlows)).to.deep.equal(['Flow_Audit_1']);
    expect(audit.messageFlows).to.deep.equal([]);
    expect(ids(audit.participants)).to.deep.equal(['Participant_Audit']);
  });

  it('should store a file of many processes in about the size of the file, not once per process', async () => {
    // given
    const xml = manyProcessesBpmn(200);

    // when
    const parsed = await parseBpmn('many.bpmn', xml);

    // then: every process carries only its own three elements
    const stored = parsed.processes.reduce((total, process) => total + process.serializedContext.length, 0);
    expect(parsed.processes).to.have.length(200);
    expect(ids(JSON.parse(parsed.processes[7].serializedContext).activities as Array<{ id: string }>)).to.deep.equal(['p7_start', 'p7_end']);
    expect(stored).to.be.below(2 * parsed.serializedContext.length);
  });
});
