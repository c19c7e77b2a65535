/** The time zone policy between JS Dates and FEEL temporal values (UTC), and typeRef checks. */
import { expect } from 'chai';
import { FeelDateTime, parseDate, parseDateTime, parseTime, duration } from 'feelin';
import { compileFeelExpression } from '../../src/dmn/feel-compiler.js';
import { coerceToTypeRef, fromFeelValue, toFeelValue } from '../../src/dmn/feel-values.js';

describe('dmn/feel-values', () => {
  it('should turn a Date into a FEEL date and time in UTC', () => {
    const value = toFeelValue(new Date('2024-06-01T22:30:00+02:00')) as FeelDateTime;
    expect(value).to.be.instanceOf(FeelDateTime);
    expect(value.toString()).to.equal('2024-06-01T20:30:00Z');
    expect(compileFeelExpression('d.hour').evaluate({ d: value })).to.equal(20);
  });

  it('should convert nested Dates in lists and contexts', () => {
    const value = toFeelValue({ list: [new Date(0)] }) as { list: FeelDateTime[] };
    expect(value.list[0].toString()).to.equal('1970-01-01T00:00:00Z');
  });

  it('should turn zoned, offset and local date and times into the Date of their instant (local read as UTC)', () => {
    expect(fromFeelValue(parseDateTime('2024-01-15T10:00:00@Europe/Berlin'))).to.deep.equal(new Date('2024-01-15T09:00:00Z'));
    expect(fromFeelValue(parseDateTime('2024-01-15T10:00:00+05:00'))).to.deep.equal(new Date('2024-01-15T05:00:00Z'));
    expect(fromFeelValue(parseDateTime('2024-01-15T10:00:00'))).to.deep.equal(new Date('2024-01-15T10:00:00Z'));
  });

  it('should turn a date into midnight UTC, and times and durations into ISO strings', () => {
    expect(fromFeelValue(parseDate('2024-02-29'))).to.deep.equal(new Date('2024-02-29T00:00:00Z'));
    expect(fromFeelValue(parseTime('10:15:00'))).to.equal('10:15:00');
    expect(fromFeelValue(duration('P1DT2H'))).to.equal('P1DT2H');
  });

  it('should round-trip a Date through FEEL unchanged', () => {
    const date = new Date('2023-10-29T01:30:00.250Z');
    expect(fromFeelValue(toFeelValue(date))).to.deep.equal(date);
  });

  it('should check FEEL typeRefs strictly and convert Camunda typeRefs as Camunda does', () => {
    expect(coerceToTypeRef('5', 'number', true).ok).to.equal(false);
    expect(coerceToTypeRef('5', 'integer', true)).to.deep.equal({ ok: true, value: 5 });
    expect(coerceToTypeRef(5, 'string', true)).to.deep.equal({ ok: true, value: '5' });
    expect(coerceToTypeRef('true', 'boolean', true)).to.deep.equal({ ok: true, value: true });
    expect(coerceToTypeRef(null, 'number', false)).to.deep.equal({ ok: true, value: null });
    expect(coerceToTypeRef(parseDate('2024-01-01'), 'dateTime', false).ok).to.equal(false);
  });
});
