/** Specification of resolveExternalWork: the topic, priority and extension properties of an external task. */
import { expect } from 'chai';
import { resolveExternalWork } from '../../src/engine/external-work.js';
import type { ExpressionContext } from '../../src/expressions/index.js';

const CONTEXT: ExpressionContext = { resolve: () => ({ found: false }), clock: { now: () => new Date(0) } };

describe('engine/external-work', () => {
  it('should keep a camunda:property named __proto__ as a property like any other', () => {
    // given: a service task as bpmn-moddle reads <camunda:properties> with a property named __proto__
    const behaviour = {
      type: 'external',
      topic: 'charge-card',
      extensionElements: { values: [{ $type: 'camunda:Properties', values: [{ name: '__proto__', value: 'kept' }, { name: 'team', value: 'payments' }] }] },
    };

    // when
    const work = resolveExternalWork('ChargeCard', behaviour, CONTEXT);

    // then
    expect(Object.keys(work.extensionProperties)).to.deep.equal(['__proto__', 'team']);
    expect(Object.getOwnPropertyDescriptor(work.extensionProperties, '__proto__')?.value).to.equal('kept');
    expect(Object.getPrototypeOf(work.extensionProperties)).to.equal(Object.prototype);
  });
});
