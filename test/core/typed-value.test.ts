/** Tests for Camunda typed variables: REST input validation, wire output, plain projection and type retention. */
import { expect } from 'chai';
import { CamundaError, InvalidRequestError, RestError } from '../../src/core/errors.js';
import {
  fromPlainValue,
  isTransient,
  parseVariableDto,
  parseVariableDtos,
  plainValueEquals,
  toPlainValue,
  toWireValue,
  type StoredValue,
  type VariableValueDto,
} from '../../src/core/typed-value.js';

function expectError(fn: () => unknown, errorClass: abstract new (...args: never[]) => CamundaError, type: string, message: string): void {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  expect(thrown, 'expected an error').to.be.instanceOf(errorClass);
  const err = thrown as CamundaError;
  expect(err.status).to.equal(400);
  expect(err.type).to.equal(type);
  expect(err.message).to.equal(message);
}

function roundTrip(dto: VariableValueDto, deserializeValues?: boolean): ReturnType<typeof toWireValue> {
  return toWireValue(parseVariableDto(dto), { deserializeValues });
}

describe('typed-value', () => {
  describe('type names', () => {
    it('should accept capitalized and lower-case-first type names', () => {
      expect(parseVariableDto({ type: 'String', value: 'a' }).type).to.equal('String');
      expect(parseVariableDto({ type: 'string', value: 'a' }).type).to.equal('String');
      expect(parseVariableDto({ type: 'json', value: '{}' }).type).to.equal('Json');
    });

    it('should reject an all-caps type name as Camunda does', () => {
      expectError(() => parseVariableDto({ type: 'STRING', value: 'a' }), RestError, 'RestException', "Unsupported value type 'STRING'");
    });

    it('should reject an unknown type name', () => {
      expectError(() => parseVariableDto({ type: 'Foo', value: 1 }), RestError, 'RestException', "Unsupported value type 'Foo'");
    });

    it('should always output capitalized types and an object valueInfo', () => {
      const wire = roundTrip({ type: 'integer', value: 5, valueInfo: null });
      expect(wire).to.deep.equal({ type: 'Integer', value: 5, valueInfo: {} });
    });
  });

  describe('untyped input', () => {
    it('should infer String, Boolean, Integer, Long, Double and Null', () => {
      expect(parseVariableDto({ value: 'x' })).to.deep.include({ type: 'String', text: 'x' });
      expect(parseVariableDto({ value: true })).to.deep.include({ type: 'Boolean', text: 'true' });
      expect(parseVariableDto({ value: 2147483647 })).to.deep.include({ type: 'Integer', text: '2147483647' });
      expect(parseVariableDto({ value: 2147483648 })).to.deep.include({ type: 'Long', text: '2147483648' });
      expect(parseVariableDto({ value: 1.5 })).to.deep.include({ type: 'Double', text: '1.5' });
      expect(parseVariableDto({ value: null })).to.deep.include({ type: 'Null', text: null });
      expect(parseVariableDto({})).to.deep.include({ type: 'Null', text: null });
    });

    it('should store an untyped object or array as Json', () => {
      expect(parseVariableDto({ value: { a: [1, 2] } })).to.deep.include({ type: 'Json', text: '{"a":[1,2]}' });
      expect(parseVariableDto({ value: [1] })).to.deep.include({ type: 'Json', text: '[1]' });
    });
  });

  describe('primitives', () => {
    it('should re-parse a string value for Integer and Boolean', () => {
      expect(roundTrip({ type: 'Integer', value: '42' }).value).to.equal(42);
      expect(roundTrip({ type: 'Boolean', value: 'true' }).value).to.equal(true);
      expect(roundTrip({ type: 'Boolean', value: 'FALSE' }).value).to.equal(false);
    });

    it('should accept an integral number for Double', () => {
      const v = parseVariableDto({ type: 'Double', value: 5 });
      expect(v).to.deep.include({ type: 'Double', text: '5' });
      expect(toWireValue(v)).to.deep.equal({ type: 'Double', value: 5, valueInfo: {} });
    });

    it('should report a failed conversion with the java type', () => {
      expectError(
        () => parseVariableDto({ type: 'Integer', value: 'abc' }),
        InvalidRequestError,
        'InvalidRequestException',
        "Cannot convert value 'abc' of type 'Integer' to java type java.lang.Integer",
      );
      expectError(
        () => parseVariableDto({ type: 'Boolean', value: 'yes' }),
        InvalidRequestError,
        'InvalidRequestException',
        "Cannot convert value 'yes' of type 'Boolean' to java type java.lang.Boolean",
      );
      expectError(
        () => parseVariableDto({ type: 'Double', value: 'x1' }),
        InvalidRequestError,
        'InvalidRequestException',
        "Cannot convert value 'x1' of type 'Double' to java type java.lang.Double",
      );
    });

    it('should name the type as the request spelled it in conversion errors', () => {
      expectError(
        () => parseVariableDto({ type: 'long', value: 'abc' }),
        InvalidRequestError,
        'InvalidRequestException',
        "Cannot convert value 'abc' of type 'long' to java type java.lang.Long",
      );
    });

    it('should enforce the Short range', () => {
      expect(parseVariableDto({ type: 'Short', value: 32767 }).text).to.equal('32767');
      expect(parseVariableDto({ type: 'Short', value: -32768 }).text).to.equal('-32768');
      expectError(
        () => parseVariableDto({ type: 'Short', value: 32768 }),
        InvalidRequestError,
        'InvalidRequestException',
        "Cannot convert value '32768' of type 'Short' to java type java.lang.Short",
      );
    });

    it('should enforce the Integer range', () => {
      expect(parseVariableDto({ type: 'Integer', value: -2147483648 }).text).to.equal('-2147483648');
      expectError(
        () => parseVariableDto({ type: 'Integer', value: 2147483648 }),
        InvalidRequestError,
        'InvalidRequestException',
        "Cannot convert value '2147483648' of type 'Integer' to java type java.lang.Integer",
      );
    });

    it('should enforce the Long range', () => {
      expect(parseVariableDto({ type: 'Long', value: '9223372036854775807' }).text).to.equal('9223372036854775807');
      expectError(
        () => parseVariableDto({ type: 'Long', value: '9223372036854775808' }),
        InvalidRequestError,
        'InvalidRequestException',
        "Cannot convert value '9223372036854775808' of type 'Long' to java type java.lang.Long",
      );
    });

    it('should reject a non-integral value for an integer type', () => {
      expectError(
        () => parseVariableDto({ type: 'Integer', value: 4.5 }),
        InvalidRequestError,
        'InvalidRequestException',
        "Cannot convert value '4.5' of type 'Integer' to java type java.lang.Integer",
      );
      expectError(
        () => parseVariableDto({ type: 'Long', value: '1.0' }),
        InvalidRequestError,
        'InvalidRequestException',
        "Cannot convert value '1.0' of type 'Long' to java type java.lang.Long",
      );
    });

    it('should keep the exact digits of a Long beyond 2^53 given as a string', () => {
      const v = parseVariableDto({ type: 'Long', value: '9007199254740993' });
      expect(v.text).to.equal('9007199254740993');
      const wire = toWireValue(v);
      expect(wire.value).to.equal(9007199254740993n);
      expect(toPlainValue(v)).to.equal(9007199254740992);
    });

    it('should keep the exact digits of a Long beyond 2^53 that the body parser read as a bigint', () => {
      expect(parseVariableDto({ type: 'Long', value: 9007199254740993n }).text).to.equal('9007199254740993');
      expect(parseVariableDto({ type: 'Long', value: -9223372036854775808n }).text).to.equal('-9223372036854775808');
      expect(parseVariableDto({ value: 9223372036854775807n })).to.deep.include({ type: 'Long', text: '9223372036854775807' });
      expect(parseVariableDto({ type: 'Double', value: 9007199254740993n })).to.deep.include({ type: 'Double', text: '9007199254740992' });
      expect(parseVariableDto({ type: 'String', value: 9007199254740993n }).text).to.equal('9007199254740993');
      expect(parseVariableDto({ type: 'Json', value: { id: 9007199254740993n } }).text).to.equal('{"id":9007199254740993}');
      expectError(
        () => parseVariableDto({ type: 'Long', value: 9223372036854775808n }),
        InvalidRequestError,
        'InvalidRequestException',
        "Cannot convert value '9223372036854775808' of type 'Long' to java type java.lang.Long",
      );
      expectError(
        () => parseVariableDto({ type: 'Integer', value: 9007199254740993n }),
        InvalidRequestError,
        'InvalidRequestException',
        "Cannot convert value '9007199254740993' of type 'Integer' to java type java.lang.Integer",
      );
    });

    it('should output a safe Long as a number', () => {
      expect(roundTrip({ type: 'Long', value: 5 })).to.deep.equal({ type: 'Long', value: 5, valueInfo: {} });
    });

    it('should allow null for every primitive type and keep the type', () => {
      for (const type of ['String', 'Boolean', 'Short', 'Integer', 'Long', 'Double', 'Date', 'Bytes']) {
        const v = parseVariableDto({ type, value: null });
        expect(v.text, type).to.equal(null);
        expect(toWireValue(v), type).to.deep.equal({ type, value: null, valueInfo: {} });
      }
    });

    it('should read an empty string as null for numeric types, as Jackson does', () => {
      expect(parseVariableDto({ type: 'Integer', value: '' })).to.deep.include({ type: 'Integer', text: null });
    });

    it('should store any value for String in its string form', () => {
      expect(parseVariableDto({ type: 'String', value: 5 }).text).to.equal('5');
      expect(parseVariableDto({ type: 'String', value: true }).text).to.equal('true');
      expect(roundTrip({ type: 'String', value: 'hi' })).to.deep.equal({ type: 'String', value: 'hi', valueInfo: {} });
    });

    it('should reject a structured value for a number type', () => {
      expectError(
        () => parseVariableDto({ type: 'Integer', value: { a: 1 } }),
        InvalidRequestError,
        'InvalidRequestException',
        'Cannot convert value \'{"a":1}\' of type \'Integer\' to java type java.lang.Integer',
      );
    });
  });

  describe('Date', () => {
    it('should accept Camunda format and output it in UTC', () => {
      const v = parseVariableDto({ type: 'Date', value: '2024-01-02T04:04:05.678+0100' });
      expect(v.text).to.equal('2024-01-02T03:04:05.678Z');
      expect(toWireValue(v)).to.deep.equal({ type: 'Date', value: '2024-01-02T03:04:05.678+0000', valueInfo: {} });
    });

    it('should accept ISO 8601', () => {
      expect(roundTrip({ type: 'Date', value: '2024-01-02T03:04:05Z' }).value).to.equal('2024-01-02T03:04:05.000+0000');
      expect(roundTrip({ type: 'date', value: '2024-01-02T03:04:05.999+00:00' }).value).to.equal('2024-01-02T03:04:05.999+0000');
    });

    it('should reject an invalid date with java.util.Date', () => {
      expectError(
        () => parseVariableDto({ type: 'Date', value: 'tomorrow' }),
        InvalidRequestError,
        'InvalidRequestException',
        "Cannot convert value 'tomorrow' of type 'Date' to java type java.util.Date",
      );
      expectError(
        () => parseVariableDto({ type: 'Date', value: 1700000000000 }),
        InvalidRequestError,
        'InvalidRequestException',
        "Cannot convert value '1700000000000' of type 'Date' to java type java.util.Date",
      );
    });

    it('should project a Date as a JS Date', () => {
      const plain = toPlainValue(parseVariableDto({ type: 'Date', value: '2024-01-02T03:04:05.678+0000' }));
      expect(plain).to.be.instanceOf(Date);
      expect((plain as Date).toISOString()).to.equal('2024-01-02T03:04:05.678Z');
    });
  });

  describe('Json and Xml', () => {
    it('should store a Json string and output it unchanged', () => {
      const v = parseVariableDto({ type: 'Json', value: '{"tier":"gold"}', valueInfo: {} });
      expect(v).to.deep.include({ type: 'Json', text: '{"tier":"gold"}' });
      expect(toWireValue(v)).to.deep.equal({ type: 'Json', value: '{"tier":"gold"}', valueInfo: {} });
      expect(toWireValue(v, { deserializeValues: true }).value).to.equal('{"tier":"gold"}');
    });

    it('should stringify a structured Json value', () => {
      expect(parseVariableDto({ type: 'Json', value: { a: 1 } }).text).to.equal('{"a":1}');
      expect(parseVariableDto({ type: 'Json', value: [1, 2] }).text).to.equal('[1,2]');
    });

    it('should project Json as parsed JSON so property access works', () => {
      expect(toPlainValue(parseVariableDto({ type: 'Json', value: '{"customer":{"tier":"gold"}}' }))).to.deep.equal({ customer: { tier: 'gold' } });
    });

    it('should keep Xml as a string in and out', () => {
      const v = parseVariableDto({ type: 'Xml', value: '<a/>' });
      expect(toWireValue(v)).to.deep.equal({ type: 'Xml', value: '<a/>', valueInfo: {} });
      expect(toPlainValue(v)).to.equal('<a/>');
    });

    it('should reject a non-string scalar for Xml', () => {
      expectError(
        () => parseVariableDto({ type: 'Xml', value: 5 }),
        InvalidRequestError,
        'InvalidRequestException',
        "Must provide 'null' or String value for value of SerializableValue type 'Xml'.",
      );
    });
  });

  describe('Object', () => {
    const json = { objectTypeName: 'com.example.Customer', serializationDataFormat: 'application/json' };

    it('should keep valueInfo and the serialized value', () => {
      const v = parseVariableDto({ type: 'Object', value: '{"name":"Ada"}', valueInfo: json });
      expect(v).to.deep.include({ type: 'Object', text: '{"name":"Ada"}', valueInfo: json });
    });

    it('should keep every digit of a Long inside a deserialized application/json Object', () => {
      expect(roundTrip({ type: 'Object', value: '{"id":9007199254740993,"n":2}', valueInfo: json }).value).to.deep.equal({ id: 9007199254740993n, n: 2 });
    });

    it('should output the serialized string with deserializeValues=false', () => {
      expect(roundTrip({ type: 'Object', value: '{"name":"Ada"}', valueInfo: json }, false)).to.deep.equal({
        type: 'Object',
        value: '{"name":"Ada"}',
        valueInfo: json,
      });
    });

    it('should output parsed JSON with deserializeValues=true for application/json', () => {
      expect(roundTrip({ type: 'Object', value: '{"name":"Ada"}', valueInfo: json }, true).value).to.deep.equal({ name: 'Ada' });
    });

    it('should output the string with deserializeValues=true for other formats', () => {
      const xml = { objectTypeName: 'com.example.Customer', serializationDataFormat: 'application/xml' };
      expect(roundTrip({ type: 'Object', value: '<c/>', valueInfo: xml }, true).value).to.equal('<c/>');
    });

    it('should reject a non-string Object value', () => {
      expectError(
        () => parseVariableDto({ type: 'Object', value: { name: 'Ada' }, valueInfo: json }),
        InvalidRequestError,
        'InvalidRequestException',
        "Must provide 'null' or String value for value of SerializableValue type 'Object'.",
      );
    });

    it('should project application/json Objects as parsed JSON and others as the string', () => {
      expect(toPlainValue(parseVariableDto({ type: 'Object', value: '[1]', valueInfo: json }))).to.deep.equal([1]);
      const java = { objectTypeName: 'x', serializationDataFormat: 'application/x-java-serialized-object' };
      expect(toPlainValue(parseVariableDto({ type: 'Object', value: 'rO0=', valueInfo: java }))).to.equal('rO0=');
    });
  });

  describe('Bytes', () => {
    it('should decode base64 into bytes and encode it back', () => {
      const v = parseVariableDto({ type: 'Bytes', value: 'AQID' });
      expect(v.bytes).to.deep.equal(Buffer.from([1, 2, 3]));
      expect(toWireValue(v)).to.deep.equal({ type: 'Bytes', value: 'AQID', valueInfo: {} });
      expect(toPlainValue(v)).to.equal(null);
    });

    it('should reject invalid base64 with java type [B', () => {
      expectError(
        () => parseVariableDto({ type: 'Bytes', value: 'not base64!' }),
        InvalidRequestError,
        'InvalidRequestException',
        "Cannot convert value 'not base64!' of type 'Bytes' to java type [B",
      );
    });
  });

  describe('File', () => {
    it('should store content and omit it on output', () => {
      const v = parseVariableDto({
        type: 'File',
        value: Buffer.from('hello').toString('base64'),
        valueInfo: { filename: 'a.txt', mimeType: 'text/plain', encoding: 'UTF-8' },
      });
      expect(v.bytes?.toString()).to.equal('hello');
      expect(toWireValue(v)).to.deep.equal({
        type: 'File',
        value: null,
        valueInfo: { filename: 'a.txt', mimeType: 'text/plain', encoding: 'UTF-8' },
      });
      expect(toPlainValue(v)).to.equal(null);
    });

    it('should accept the lower-case mimetype the JS client sends and store it as mimeType', () => {
      const v = parseVariableDto({ type: 'file', value: 'aGk=', valueInfo: { filename: 'b.bin', mimetype: 'application/pdf' } });
      expect(v.valueInfo).to.deep.equal({ filename: 'b.bin', mimeType: 'application/pdf' });
    });

    it('should output only the filename when mimeType and encoding are unset', () => {
      expect(roundTrip({ type: 'File', value: 'aGk=', valueInfo: { filename: 'c' } }).valueInfo).to.deep.equal({ filename: 'c' });
    });

    it('should require a filename', () => {
      expectError(
        () => parseVariableDto({ type: 'File', value: 'aGk=', valueInfo: {} }),
        InvalidRequestError,
        'InvalidRequestException',
        'Cannot create file without filename! Please set a name into ValueInfo with key filename',
      );
    });
  });

  describe('Null', () => {
    it('should output Null with a null value and empty valueInfo', () => {
      expect(roundTrip({ type: 'Null', value: null })).to.deep.equal({ type: 'Null', value: null, valueInfo: {} });
      expect(roundTrip({ type: 'null' })).to.deep.equal({ type: 'Null', value: null, valueInfo: {} });
    });

    it('should reject a non-null value for Null', () => {
      expectError(
        () => parseVariableDto({ type: 'Null', value: 'x' }),
        InvalidRequestError,
        'InvalidRequestException',
        "Cannot convert value 'x' of type 'Null' to java type javax.lang.model.type.NullType",
      );
    });
  });

  describe('transient', () => {
    it('should detect valueInfo.transient === true only', () => {
      expect(isTransient({ type: 'String', value: 'a', valueInfo: { transient: true } })).to.equal(true);
      expect(isTransient({ type: 'String', value: 'a', valueInfo: { transient: false } })).to.equal(false);
      expect(isTransient({ type: 'String', value: 'a' })).to.equal(false);
    });

    it('should not store the transient flag', () => {
      expect(parseVariableDto({ type: 'String', value: 'a', valueInfo: { transient: true } }).valueInfo).to.deep.equal({});
    });

    it('should reject a non-boolean transient flag', () => {
      expectError(
        () => parseVariableDto({ type: 'String', value: 'a', valueInfo: { transient: 'yes' } }),
        InvalidRequestError,
        'InvalidRequestException',
        "The property 'transient' should have a value of type 'boolean'.",
      );
    });
  });

  describe('parseVariableDtos', () => {
    it('should parse every entry of a map', () => {
      const map = parseVariableDtos({ a: { type: 'String', value: 'x' }, b: { value: 1 } });
      expect([...map.keys()]).to.deep.equal(['a', 'b']);
      expect(map.get('b')?.type).to.equal('Integer');
    });

    it('should return an empty map for an absent map', () => {
      expect(parseVariableDtos(undefined).size).to.equal(0);
      expect(parseVariableDtos(null).size).to.equal(0);
    });
  });

  describe('toPlainValue', () => {
    it('should project numbers, booleans, strings and null', () => {
      expect(toPlainValue(parseVariableDto({ type: 'Short', value: 3 }))).to.equal(3);
      expect(toPlainValue(parseVariableDto({ type: 'Double', value: 2.5 }))).to.equal(2.5);
      expect(toPlainValue(parseVariableDto({ type: 'Boolean', value: false }))).to.equal(false);
      expect(toPlainValue(parseVariableDto({ type: 'String', value: 's' }))).to.equal('s');
      expect(toPlainValue(parseVariableDto({ type: 'Integer', value: null }))).to.equal(null);
      expect(toPlainValue(parseVariableDto({ type: 'Null' }))).to.equal(null);
    });
  });

  describe('fromPlainValue', () => {
    it('should infer types without a previous value', () => {
      expect(fromPlainValue('s')).to.deep.include({ type: 'String', text: 's' });
      expect(fromPlainValue(true)).to.deep.include({ type: 'Boolean', text: 'true' });
      expect(fromPlainValue(7)).to.deep.include({ type: 'Integer', text: '7' });
      expect(fromPlainValue(2 ** 40)).to.deep.include({ type: 'Long', text: '1099511627776' });
      expect(fromPlainValue(0.25)).to.deep.include({ type: 'Double', text: '0.25' });
      expect(fromPlainValue(2 ** 60)).to.deep.include({ type: 'Double' });
      expect(fromPlainValue(new Date('2024-01-02T03:04:05.678Z'))).to.deep.include({ type: 'Date', text: '2024-01-02T03:04:05.678Z' });
      expect(fromPlainValue(null)).to.deep.include({ type: 'Null', text: null });
      expect(fromPlainValue(undefined)).to.deep.include({ type: 'Null', text: null });
      expect(fromPlainValue({ a: [1] })).to.deep.include({ type: 'Json', text: '{"a":[1]}' });
      expect(fromPlainValue([1, 2])).to.deep.include({ type: 'Json', text: '[1,2]' });
    });

    it('should store a document holding a Long beyond 2^53 (from S() on exact JSON) with every digit', () => {
      expect(fromPlainValue({ id: 9007199254740993n })).to.deep.include({ type: 'Json', text: '{"id":9007199254740993}' });
    });

    it('should keep Long, Short and Double when a number still fits', () => {
      expect(fromPlainValue(5, parseVariableDto({ type: 'Long', value: 1 }))).to.deep.include({ type: 'Long', text: '5' });
      expect(fromPlainValue(5, parseVariableDto({ type: 'Short', value: 1 }))).to.deep.include({ type: 'Short', text: '5' });
      expect(fromPlainValue(5, parseVariableDto({ type: 'Double', value: 1.5 }))).to.deep.include({ type: 'Double', text: '5' });
    });

    it('should leave a type the number no longer fits', () => {
      expect(fromPlainValue(40000, parseVariableDto({ type: 'Short', value: 1 }))).to.deep.include({ type: 'Integer', text: '40000' });
      expect(fromPlainValue(1.5, parseVariableDto({ type: 'Long', value: 1 }))).to.deep.include({ type: 'Double', text: '1.5' });
    });

    it('should keep Json for an object', () => {
      expect(fromPlainValue({ b: 2 }, parseVariableDto({ type: 'Json', value: '{"a":1}' }))).to.deep.include({ type: 'Json', text: '{"b":2}' });
    });

    it('should keep an application/json Object with its valueInfo', () => {
      const info = { objectTypeName: 'com.example.C', serializationDataFormat: 'application/json' };
      const v = fromPlainValue({ b: 2 }, parseVariableDto({ type: 'Object', value: '{"a":1}', valueInfo: info }));
      expect(v).to.deep.equal({ type: 'Object', text: '{"b":2}', bytes: null, valueInfo: info });
    });

    it('should return the previous value unchanged when the projection is equal, keeping Long digits', () => {
      const previous = parseVariableDto({ type: 'Long', value: '9007199254740993' });
      expect(fromPlainValue(toPlainValue(previous), previous)).to.equal(previous);
    });

    it('should turn a string into String even when the previous type was Integer', () => {
      expect(fromPlainValue('x', parseVariableDto({ type: 'Integer', value: 1 }))).to.deep.include({ type: 'String', text: 'x' });
    });
  });

  describe('plainValueEquals', () => {
    it('should compare Dates by instant', () => {
      expect(plainValueEquals(new Date(5), new Date(5))).to.equal(true);
      expect(plainValueEquals(new Date(5), new Date(6))).to.equal(false);
      expect(plainValueEquals(new Date(5), 5)).to.equal(false);
    });

    it('should compare nested structures deeply', () => {
      expect(plainValueEquals({ a: [1, { b: new Date(1) }] }, { a: [1, { b: new Date(1) }] })).to.equal(true);
      expect(plainValueEquals({ a: [1, 2] }, { a: [1, 3] })).to.equal(false);
      expect(plainValueEquals({ a: 1 }, { a: 1, b: 2 })).to.equal(false);
      expect(plainValueEquals([1], { 0: 1 })).to.equal(false);
    });

    it('should treat null and undefined as equal and undefined keys as absent', () => {
      expect(plainValueEquals(null, undefined)).to.equal(true);
      expect(plainValueEquals({ a: 1, b: undefined }, { a: 1 })).to.equal(true);
      expect(plainValueEquals({ a: null }, {})).to.equal(false);
      expect(plainValueEquals(0, null)).to.equal(false);
    });
  });

  describe('stored value shape', () => {
    it('should never share valueInfo between the stored and the wire form', () => {
      const v: StoredValue = parseVariableDto({ type: 'File', value: 'aGk=', valueInfo: { filename: 'f' } });
      const wire = toWireValue(v);
      wire.valueInfo.filename = 'changed';
      expect(v.valueInfo.filename).to.equal('f');
    });
  });
});
