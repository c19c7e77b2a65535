/** Tests for exact JSON: integers beyond 2^53 read as and written from bigint, everything else as JSON.parse/stringify. */
import { expect } from 'chai';
import { parseExactJson, toExactJson } from '../../src/core/exact-json.js';

describe('core/exact-json', () => {
  describe('parseExactJson', () => {
    it('should read an integer beyond 2^53 as a bigint with every digit', () => {
      expect(parseExactJson('{"a":9007199254740993,"b":[-9223372036854775808]}')).to.deep.equal({ a: 9007199254740993n, b: [-9223372036854775808n] });
    });

    it('should read every other number as the plain number JSON.parse gives', () => {
      const text = '{"int":42,"safe":9007199254740991,"negative":-7,"double":2.370,"exponent":1e20,"long-fraction":12345678901234567890.5,"huge":1e400}';
      expect(parseExactJson(text)).to.deep.equal(JSON.parse(text));
    });

    it('should let the last duplicate key win, as JSON.parse does', () => {
      expect(parseExactJson('{"a":1,"a":9007199254740993}')).to.deep.equal({ a: 9007199254740993n });
      expect(parseExactJson('{"a":9007199254740993,"a":1}')).to.deep.equal({ a: 1 });
    });

    it('should throw a SyntaxError on malformed JSON, with or without a big integer', () => {
      expect(() => parseExactJson('{"a":1,}')).to.throw(SyntaxError);
      expect(() => parseExactJson('{"a":9007199254740993,}')).to.throw(SyntaxError);
      expect(() => parseExactJson('')).to.throw(SyntaxError);
    });
  });

  describe('toExactJson', () => {
    it('should write a bigint as its digits, anywhere in the value', () => {
      expect(toExactJson({ v: 9007199254740993n, list: [-9223372036854775808n], s: 'x', d: new Date(0), u: undefined })).to.equal(
        '{"v":9007199254740993,"list":[-9223372036854775808],"s":"x","d":"1970-01-01T00:00:00.000Z"}',
      );
    });

    it('should refuse a circular structure as JSON.stringify does', () => {
      const circular: Record<string, unknown> = { big: 9007199254740993n };
      circular.self = circular;
      expect(() => toExactJson(circular)).to.throw(TypeError, /circular/i);
    });

    it('should write everything else exactly as JSON.stringify', () => {
      const value = { a: 1, b: 'ü\u0000"', c: [null, true, 2.5], d: new Date(0), e: undefined, f: NaN };
      expect(toExactJson(value)).to.equal(JSON.stringify(value));
    });
  });
});
