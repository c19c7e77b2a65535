/** Specifies the method and property allow-list expressions may reach on values. */
import { expect } from 'chai';
import { getValueProperty, invokeValueMethod } from '../../src/expressions/juel-methods.js';

describe('juel-methods', () => {
  describe('strings', () => {
    it('should offer the allow-listed String methods', () => {
      expect(invokeValueMethod('Hello', 'length', [])).to.equal(5);
      expect(invokeValueMethod('Hello', 'toUpperCase', [])).to.equal('HELLO');
      expect(invokeValueMethod('Hello', 'toLowerCase', [])).to.equal('hello');
      expect(invokeValueMethod('Hello', 'startsWith', ['He'])).to.equal(true);
      expect(invokeValueMethod('Hello', 'endsWith', ['lo'])).to.equal(true);
      expect(invokeValueMethod('Hello', 'contains', ['ell'])).to.equal(true);
      expect(invokeValueMethod('Hello', 'equalsIgnoreCase', ['hELLO'])).to.equal(true);
      expect(invokeValueMethod('', 'isEmpty', [])).to.equal(true);
      expect(invokeValueMethod('  x \n', 'trim', [])).to.equal('x');
      expect(invokeValueMethod('Hello', 'indexOf', ['l'])).to.equal(2);
    });

    it('should compare with equals without coercing the argument, as Java does', () => {
      expect(invokeValueMethod('1', 'equals', ['1'])).to.equal(true);
      expect(invokeValueMethod('1', 'equals', [1])).to.equal(false);
    });

    it('should check substring bounds like Java', () => {
      expect(invokeValueMethod('Hello', 'substring', [1, 3])).to.equal('el');
      expect(invokeValueMethod('Hello', 'substring', [3])).to.equal('lo');
      expect(() => invokeValueMethod('Hello', 'substring', [2, 9])).to.throw(/out of range/);
    });

    it('should replace literally and split and match by regex', () => {
      expect(invokeValueMethod('a.b.c', 'replace', ['.', '$'])).to.equal('a$b$c');
      expect(invokeValueMethod('a1b22c,,', 'split', ['\\d+|,'])).to.deep.equal(['a', 'b', 'c']);
      expect(invokeValueMethod('abc', 'split', [','])).to.deep.equal(['abc']);
      expect(invokeValueMethod('a,b,c', 'split', [',', 2])).to.deep.equal(['a', 'b,c']);
      expect(invokeValueMethod('AB-12', 'matches', ['[A-Z]+-\\d+'])).to.equal(true);
      expect(invokeValueMethod('xAB-12', 'matches', ['[A-Z]+-\\d+'])).to.equal(false);
    });
  });

  describe('numbers, booleans and dates', () => {
    it('should convert numbers like the Java wrappers', () => {
      expect(invokeValueMethod(3.9, 'intValue', [])).to.equal(3);
      expect(invokeValueMethod(-3.9, 'longValue', [])).to.equal(-3);
      expect(invokeValueMethod(3, 'doubleValue', [])).to.equal(3);
      expect(invokeValueMethod(true, 'booleanValue', [])).to.equal(true);
    });

    it('should expose getTime() on dates and as the bean property time', () => {
      const date = new Date(1234);
      expect(invokeValueMethod(date, 'getTime', [])).to.equal(1234);
      expect(getValueProperty(date, 'time')).to.equal(1234);
    });
  });

  describe('collections', () => {
    it('should offer List methods on arrays', () => {
      const list = ['a', 'b'];
      expect(invokeValueMethod(list, 'size', [])).to.equal(2);
      expect(invokeValueMethod(list, 'isEmpty', [])).to.equal(false);
      expect(invokeValueMethod(list, 'contains', ['b'])).to.equal(true);
      expect(invokeValueMethod(list, 'get', [1])).to.equal('b');
      expect(() => invokeValueMethod(list, 'get', [2])).to.throw(/out of bounds/);
    });

    it('should offer Map methods on plain objects, own keys only', () => {
      const map = { a: 1 };
      expect(invokeValueMethod(map, 'size', [])).to.equal(1);
      expect(invokeValueMethod(map, 'containsKey', ['a'])).to.equal(true);
      expect(invokeValueMethod(map, 'containsKey', ['toString'])).to.equal(false);
      expect(invokeValueMethod(map, 'get', ['a'])).to.equal(1);
      expect(invokeValueMethod(map, 'get', ['b'])).to.equal(null);
    });

    it('should index arrays and yield null outside their bounds', () => {
      expect(getValueProperty(['x', 'y'], 1)).to.equal('y');
      expect(getValueProperty(['x', 'y'], '0')).to.equal('x');
      expect(getValueProperty(['x'], 5)).to.equal(null);
    });

    it('should read missing map keys as null but never inherited members', () => {
      expect(getValueProperty({ a: 1 }, 'b')).to.equal(null);
      expect(getValueProperty({ a: 1 }, 'toString')).to.equal(null);
      expect(getValueProperty(new Map([['k', 2]]), 'k')).to.equal(2);
    });
  });

  describe('the allow-list', () => {
    it('should refuse methods that are not listed, naming them', () => {
      expect(() => invokeValueMethod('abc', 'at', [0])).to.throw(/Method 'at' with 1 argument\(s\) not found or not allowed on type java.lang.String/);
      expect(() => invokeValueMethod([], 'push', [1])).to.throw(/Method 'push'/);
      expect(() => invokeValueMethod({ f: () => 1 }, 'f', [])).to.throw(/Method 'f'/);
    });

    it('should refuse listed methods called with the wrong number of arguments', () => {
      expect(() => invokeValueMethod('abc', 'length', [1])).to.throw(/Method 'length'/);
    });

    it('should refuse constructor and prototype access on every kind of value', () => {
      for (const base of ['s', 1, true, new Date(0), [], {}]) {
        expect(() => getValueProperty(base, 'constructor')).to.throw(/'constructor' is not accessible/);
        expect(() => getValueProperty(base, '__proto__')).to.throw(/'__proto__' is not accessible/);
        expect(() => invokeValueMethod(base, 'constructor', [])).to.throw(/Method 'constructor'/);
      }
    });

    it('should refuse function-valued properties of plain objects', () => {
      expect(() => getValueProperty({ f: () => 1 }, 'f')).to.throw(/is a function/);
    });
  });
});
