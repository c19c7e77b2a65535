/** Tests for Camunda's REST date format: UTC output, Camunda and ISO 8601 input. */
import { expect } from 'chai';
import { formatCamundaDate, parseCamundaDate } from '../../src/core/camunda-date.js';
import { InvalidRequestError } from '../../src/core/errors.js';

describe('camunda-date', () => {
  describe('formatCamundaDate', () => {
    it('should format in UTC with millis and +0000', () => {
      expect(formatCamundaDate(new Date('2024-01-02T03:04:05.678Z'))).to.equal('2024-01-02T03:04:05.678+0000');
    });

    it('should pad zero milliseconds and single-digit fields', () => {
      expect(formatCamundaDate(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 0)))).to.equal('2024-01-02T03:04:05.000+0000');
      expect(formatCamundaDate(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 7)))).to.equal('2024-01-02T03:04:05.007+0000');
    });

    it('should throw for an invalid Date', () => {
      expect(() => formatCamundaDate(new Date(Number.NaN))).to.throw(RangeError);
    });
  });

  describe('parseCamundaDate', () => {
    it('should parse Camunda format with +0000', () => {
      expect(parseCamundaDate('2024-01-02T03:04:05.678+0000').toISOString()).to.equal('2024-01-02T03:04:05.678Z');
    });

    it('should apply a +hhmm and -hhmm offset', () => {
      expect(parseCamundaDate('2024-01-02T03:04:05.678+0130').toISOString()).to.equal('2024-01-02T01:34:05.678Z');
      expect(parseCamundaDate('2024-01-01T23:00:00.999-0200').toISOString()).to.equal('2024-01-02T01:00:00.999Z');
    });

    it('should parse ISO 8601 with Z, +hh:mm and without millis', () => {
      expect(parseCamundaDate('2024-01-02T03:04:05.678Z').toISOString()).to.equal('2024-01-02T03:04:05.678Z');
      expect(parseCamundaDate('2024-01-02T03:04:05+01:00').toISOString()).to.equal('2024-01-02T02:04:05.000Z');
      expect(parseCamundaDate('2024-01-02T03:04:05Z').toISOString()).to.equal('2024-01-02T03:04:05.000Z');
    });

    it('should read fraction digits as a decimal fraction truncated to millis', () => {
      expect(parseCamundaDate('2024-01-02T03:04:05.5Z').getUTCMilliseconds()).to.equal(500);
      expect(parseCamundaDate('2024-01-02T03:04:05.123456Z').getUTCMilliseconds()).to.equal(123);
      expect(parseCamundaDate('2024-01-02T03:04:05.999+0000').getUTCMilliseconds()).to.equal(999);
    });

    it('should treat a missing offset as UTC', () => {
      expect(parseCamundaDate('2024-01-02T03:04:05.678').toISOString()).to.equal('2024-01-02T03:04:05.678Z');
    });

    it('should round-trip with formatCamundaDate', () => {
      const s = '1999-12-31T23:59:59.999+0000';
      expect(formatCamundaDate(parseCamundaDate(s))).to.equal(s);
    });

    it('should reject malformed and out-of-range dates', () => {
      for (const bad of ['2024-01-02', 'abc', '2024-13-01T00:00:00Z', '2023-02-29T00:00:00Z', '2024-01-02T24:00:00Z', '2024-01-02T03:04:05+2500', '']) {
        expect(() => parseCamundaDate(bad), bad).to.throw(InvalidRequestError);
      }
    });

    it('should accept 29 February in a leap year', () => {
      expect(parseCamundaDate('2024-02-29T00:00:00.000+0000').toISOString()).to.equal('2024-02-29T00:00:00.000Z');
    });
  });
});
