/** Specifies Camunda's JUEL built-ins: now(), the Joda-like dateTime() and Spin-like S(). */
import { expect } from 'chai';
import { JodaDateTime, JUEL_BUILTINS } from '../../src/expressions/juel-builtins.js';
import { SpinJsonNode } from '../../src/expressions/spin-json-node.js';
import { FIXED_NOW, fixedClock } from './context-fixture.js';

function at(iso: string): JodaDateTime {
  return JodaDateTime.fromDate(new Date(iso));
}

describe('juel-builtins', () => {
  describe('now()', () => {
    it('should return a fresh Date from the injected clock', () => {
      const value = JUEL_BUILTINS.get('now')!.call([], fixedClock);
      expect(value).to.be.instanceOf(Date);
      expect((value as Date).getTime()).to.equal(FIXED_NOW.getTime());
    });
  });

  describe('dateTime()', () => {
    it('should wrap the clock instant and print it as ISO in UTC', () => {
      const value = JUEL_BUILTINS.get('dateTime')!.call([], fixedClock) as JodaDateTime;
      expect(value.toString()).to.equal('2024-01-31T10:15:30.000Z');
      expect(value.getMillis()).to.equal(FIXED_NOW.getTime());
    });

    it('should clamp month arithmetic to the end of shorter months', () => {
      expect(at('2024-01-31T10:00:00Z').plusMonths(1).toString()).to.equal('2024-02-29T10:00:00.000Z');
      expect(at('2023-01-31T10:00:00Z').plusMonths(1).toString()).to.equal('2023-02-28T10:00:00.000Z');
      expect(at('2024-03-31T00:00:00Z').minusMonths(1).toString()).to.equal('2024-02-29T00:00:00.000Z');
      expect(at('2024-01-31T00:00:00Z').plusMonths(13).toString()).to.equal('2025-02-28T00:00:00.000Z');
    });

    it('should clamp Feb 29 when adding years', () => {
      expect(at('2024-02-29T12:00:00Z').plusYears(1).toString()).to.equal('2025-02-28T12:00:00.000Z');
      expect(at('2024-02-29T12:00:00Z').minusYears(4).toString()).to.equal('2020-02-29T12:00:00.000Z');
    });

    it('should add and subtract fixed-length units', () => {
      const start = at('2024-01-31T10:00:00Z');
      expect(start.plusWeeks(1).toString()).to.equal('2024-02-07T10:00:00.000Z');
      expect(start.plusDays(1).plusHours(2).plusMinutes(3).plusSeconds(4).plusMillis(5).toString()).to.equal('2024-02-01T12:03:04.005Z');
      expect(start.minusWeeks(1).minusDays(1).minusHours(1).minusMinutes(1).minusSeconds(1).minusMillis(1).toString()).to.equal(
        '2024-01-23T08:58:58.999Z',
      );
    });

    it('should stay immutable and convert to a JS Date', () => {
      const start = at('2024-01-31T10:00:00Z');
      start.plusDays(3);
      expect(start.toDate()).to.deep.equal(new Date('2024-01-31T10:00:00Z'));
    });

    it('should expose calendar fields and comparisons', () => {
      const value = at('2024-02-04T09:08:07Z');
      expect([value.getYear(), value.getMonthOfYear(), value.getDayOfMonth(), value.getDayOfWeek()]).to.deep.equal([2024, 2, 4, 7]);
      expect(value.withTimeAtStartOfDay().toString()).to.equal('2024-02-04T00:00:00.000Z');
      expect(value.isBefore(value.plusMillis(1))).to.equal(true);
      expect(value.isAfter(new Date('2024-01-01T00:00:00Z'))).to.equal(true);
    });
  });

  describe('S()', () => {
    const payload = '{"code":"A-1","amount":12.5,"ok":true,"none":null,"items":[{"id":1},{"id":2}]}';

    it('should navigate properties and read typed values', () => {
      const node = SpinJsonNode.of(payload);
      expect(node.prop('code').stringValue()).to.equal('A-1');
      expect(node.prop('amount').numberValue()).to.equal(12.5);
      expect(node.prop('ok').boolValue()).to.equal(true);
      expect(node.prop('none').isNull()).to.equal(true);
    });

    it('should fail like Spin on a missing property or a wrong value type', () => {
      const node = SpinJsonNode.of(payload);
      expect(() => node.prop('missing')).to.throw("Unable to find 'missing'");
      expect(() => node.prop('code').numberValue()).to.throw("Expected 'Number', got 'STRING'");
      expect(node.hasProp('missing')).to.equal(false);
      expect(node.hasProp('code')).to.equal(true);
    });

    it('should report node kinds', () => {
      const node = SpinJsonNode.of(payload);
      expect(node.isObject()).to.equal(true);
      expect(node.prop('items').isArray()).to.equal(true);
      expect(node.prop('code').isString()).to.equal(true);
      expect(node.prop('amount').isNumber()).to.equal(true);
      expect(node.prop('ok').isBoolean()).to.equal(true);
    });

    it('should list elements as nodes and print JSON text', () => {
      const items = SpinJsonNode.of(payload).prop('items').elements();
      expect(items.map((item) => item.prop('id').numberValue())).to.deep.equal([1, 2]);
      expect(items[0].toString()).to.equal('{"id":1}');
      expect(items[1].value()).to.deep.equal({ id: 2 });
    });

    it('should wrap plain values and pass nodes through unchanged', () => {
      const node = SpinJsonNode.of({ a: [1, 2] });
      expect(node.prop('a').elements()).to.have.length(2);
      expect(SpinJsonNode.of(node)).to.equal(node);
      expect(SpinJsonNode.of({ b: 1, a: 2 }).equals(SpinJsonNode.of('{"a":2,"b":1}'))).to.equal(true);
    });

    it('should reject invalid JSON text', () => {
      expect(() => SpinJsonNode.of('{oops')).to.throw(/Unable to parse input into json node/);
    });
  });
});
