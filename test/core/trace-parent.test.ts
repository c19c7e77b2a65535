/** Tests for W3C traceparent parsing and child spans. */
import { expect } from 'chai';
import { childTraceParent, formatTraceParent, parseTraceParent } from '../../src/core/trace-parent.js';

const HEADER = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('core/trace-parent', () => {
  describe('parseTraceParent', () => {
    it('should read the four fields of a version-00 header', () => {
      expect(parseTraceParent(HEADER)).to.deep.equal({ version: '00', traceId: '4bf92f3577b34da6a3ce929d0e0e4736', parentId: '00f067aa0ba902b7', flags: '01' });
    });

    it('should accept a later version with more fields', () => {
      expect(parseTraceParent('01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-extra')).to.include({ version: '01', flags: '00' });
    });

    it('should refuse malformed and forbidden headers', () => {
      for (const header of [
        undefined,
        null,
        '',
        'garbage',
        '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7', // no flags
        '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01', // upper case
        '00-00000000000000000000000000000000-00f067aa0ba902b7-01', // zero trace id
        '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01', // zero parent id
        'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', // version ff
        `${HEADER}-extra`, // version 00 ends at the flags
      ]) {
        expect(parseTraceParent(header), String(header)).to.equal(null);
      }
    });

    it('should format what it parsed back into the header', () => {
      expect(formatTraceParent(parseTraceParent(HEADER)!)).to.equal(HEADER);
    });
  });

  describe('childTraceParent', () => {
    it('should keep the trace id and flags and make a new span id', () => {
      // when
      const child = parseTraceParent(childTraceParent(HEADER));
      const sibling = parseTraceParent(childTraceParent(parseTraceParent(HEADER)));

      // then
      expect(child).to.include({ version: '00', traceId: '4bf92f3577b34da6a3ce929d0e0e4736', flags: '01' });
      expect(child!.parentId).to.match(/^[0-9a-f]{16}$/).and.not.equal('00f067aa0ba902b7');
      expect(sibling!.parentId).not.to.equal(child!.parentId);
    });

    it('should write version 00 for a parent of a later version', () => {
      expect(childTraceParent('01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-extra')).to.match(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-00$/);
    });

    it('should make none without a valid parent', () => {
      expect(childTraceParent(null)).to.equal(null);
      expect(childTraceParent(undefined)).to.equal(null);
      expect(childTraceParent('nonsense')).to.equal(null);
    });
  });
});
