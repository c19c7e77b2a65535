/** Specifies EL 2.2 coercion and operator semantics on plain values. */
import { expect } from 'chai';
import {
  coerceToBoolean,
  coerceToNumber,
  coerceToString,
  elArithmetic,
  elCompare,
  elEquals,
  isEmptyValue,
  javaDateString,
} from '../../src/expressions/juel-coercions.js';

describe('juel-coercions', () => {
  describe('equality', () => {
    it('should compare numerically when either side is a number', () => {
      expect(elEquals(1, '1')).to.equal(true);
      expect(elEquals('1.0', 1)).to.equal(true);
      expect(elEquals(2, '3')).to.equal(false);
    });

    it('should fail when a number meets a non-numeric string', () => {
      expect(() => elEquals(1, 'abc')).to.throw(/Cannot coerce 'abc'/);
    });

    it('should compare as booleans when either side is a boolean', () => {
      expect(elEquals(true, 'true')).to.equal(true);
      expect(elEquals(false, 'no')).to.equal(true);
    });

    it('should treat null as equal only to null', () => {
      expect(elEquals(null, null)).to.equal(true);
      expect(elEquals(undefined, null)).to.equal(true);
      expect(elEquals(null, 0)).to.equal(false);
      expect(elEquals('', null)).to.equal(false);
    });

    it('should compare dates by instant', () => {
      expect(elEquals(new Date(5), new Date(5))).to.equal(true);
    });
  });

  describe('ordering', () => {
    it('should order numbers numerically and strings lexicographically', () => {
      expect(elCompare('<', '9', 10)).to.equal(true);
      expect(elCompare('<', '9', '10')).to.equal(false);
      expect(elCompare('>=', 'b', 'a')).to.equal(true);
    });

    it('should never order null, except equal nulls under <= and >=', () => {
      expect(elCompare('<', null, 1)).to.equal(false);
      expect(elCompare('>', 1, null)).to.equal(false);
      expect(elCompare('<=', null, null)).to.equal(true);
    });

    it('should order dates and refuse unrelated objects', () => {
      expect(elCompare('<', new Date(1), new Date(2))).to.equal(true);
      expect(() => elCompare('<', {}, {})).to.throw(/Cannot compare/);
    });
  });

  describe('arithmetic', () => {
    it('should coerce null to 0 and numeric strings to numbers', () => {
      expect(elArithmetic('+', null, null)).to.equal(0);
      expect(elArithmetic('+', null, 5)).to.equal(5);
      expect(elArithmetic('*', '4', 2.5)).to.equal(10);
    });

    it('should always divide as doubles', () => {
      expect(elArithmetic('/', 7, 2)).to.equal(3.5);
      expect(elArithmetic('/', 1, 0)).to.equal(Infinity);
    });

    it('should fail on a non-numeric string or boolean operand', () => {
      expect(() => elArithmetic('+', 'a', 1)).to.throw(/Cannot coerce 'a'/);
      expect(() => elArithmetic('+', true, 1)).to.throw(/Cannot coerce 'true'/);
    });

    it('should take the remainder and fail on integer modulo by zero', () => {
      expect(elArithmetic('%', 7, 3)).to.equal(1);
      expect(() => elArithmetic('%', 7, 0)).to.throw('/ by zero');
    });
  });

  describe('scalar coercions', () => {
    it('should coerce to boolean the way Boolean.valueOf does', () => {
      expect(coerceToBoolean('TRUE')).to.equal(true);
      expect(coerceToBoolean('yes')).to.equal(false);
      expect(coerceToBoolean(null)).to.equal(false);
      expect(() => coerceToBoolean(1)).to.throw(/to a boolean/);
    });

    it('should coerce the empty string to 0 but reject padded numbers', () => {
      expect(coerceToNumber('')).to.equal(0);
      expect(() => coerceToNumber(' 1')).to.throw(/Cannot coerce/);
    });

    it('should print values the way Java does', () => {
      expect(coerceToString(null)).to.equal('');
      expect(coerceToString(2.5)).to.equal('2.5');
      expect(coerceToString([1, 'a', null])).to.equal('[1, a, ]');
      expect(coerceToString({ a: 1, b: [true] })).to.equal('{a=1, b=[true]}');
      expect(javaDateString(new Date('2020-01-01T10:00:00Z'))).to.equal('Wed Jan 01 10:00:00 UTC 2020');
    });

    it('should treat null, empty strings, collections and objects as empty', () => {
      for (const value of [null, undefined, '', [], {}, new Map()]) expect(isEmptyValue(value)).to.equal(true);
      for (const value of [0, false, ' ', [0], { a: null }]) expect(isEmptyValue(value)).to.equal(false);
    });
  });
});
