/** Tests for the worker's variable conversion: Camunda's typed wire form to plain values and back, and the names it fetches. */
import { expect } from 'chai';
import { z } from 'zod';
import { requestedVariableNames, toPlainVariables, toWireVariables, VariableConversionError } from '../../src/worker/task-variables.js';

describe('worker/task-variables', () => {
  describe('toPlainVariables', () => {
    it('should read every Camunda type as the plain value a handler expects', () => {
      // given: one variable of each type, as fetchAndLock answers them (deserializeValues false)
      const wire = {
        name: { type: 'String', value: 'Ada', valueInfo: {} },
        count: { type: 'Integer', value: 42, valueInfo: {} },
        big: { type: 'Long', value: 2 ** 40, valueInfo: {} },
        small: { type: 'Short', value: 7, valueInfo: {} },
        ratio: { type: 'Double', value: 3.25, valueInfo: {} },
        approved: { type: 'Boolean', value: true, valueInfo: {} },
        bornAt: { type: 'Date', value: '2024-05-06T07:08:09.010+0000', valueInfo: {} },
        profile: { type: 'Json', value: '{"plan":"premium","tags":["a"]}', valueInfo: {} },
        order: { type: 'Object', value: '{"id":7}', valueInfo: { objectTypeName: 'java.util.HashMap', serializationDataFormat: 'application/json' } },
        nothing: { type: 'Null', value: null, valueInfo: {} },
        blob: { type: 'Bytes', value: Buffer.from('hi').toString('base64'), valueInfo: {} },
        report: { type: 'File', value: null, valueInfo: { filename: 'report.csv' } },
      };

      // when
      const plain = toPlainVariables(wire);

      // then
      expect(plain).to.deep.equal({
        name: 'Ada',
        count: 42,
        big: 2 ** 40,
        small: 7,
        ratio: 3.25,
        approved: true,
        bornAt: new Date('2024-05-06T07:08:09.010Z'),
        profile: { plan: 'premium', tags: ['a'] },
        order: { id: 7 },
        nothing: null,
        blob: Buffer.from('hi'),
        report: null,
      });
    });

    it('should read absent variables as none', () => {
      expect(toPlainVariables(undefined)).to.deep.equal({});
      expect(toPlainVariables(null)).to.deep.equal({});
    });

    it('should name the variable it cannot read, without quoting its value', () => {
      // given: a type the engine never sends
      const unknownType = { secret: { type: 'Mystery', value: 'patient 123', valueInfo: {} } };
      // and: a value core's message would quote
      const badInteger = { age: { type: 'Integer', value: 'patient 123', valueInfo: {} } };

      // when / then
      expect(() => toPlainVariables(badInteger))
        .to.throw(VariableConversionError, "Variable 'age' cannot be read as type Integer")
        .with.property('message')
        .that.does.not.include('patient 123');
      expect(() => toPlainVariables(unknownType))
        .to.throw(VariableConversionError, "Variable 'secret' cannot be read as type Mystery")
        .with.property('message')
        .that.does.not.include('patient 123');
    });
  });

  describe('toWireVariables', () => {
    it('should type plain values as core stores them', () => {
      // when
      const wire = toWireVariables({
        name: 'Ada',
        count: 42,
        big: 2 ** 40,
        ratio: 0.5,
        approved: false,
        at: new Date('2024-05-06T07:08:09.010Z'),
        profile: { plan: 'basic' },
        list: [1, 2],
        nothing: null,
        blob: Buffer.from('hi'),
      });

      // then
      expect(wire).to.deep.equal({
        name: { type: 'String', value: 'Ada', valueInfo: {} },
        count: { type: 'Integer', value: 42, valueInfo: {} },
        big: { type: 'Long', value: 2 ** 40, valueInfo: {} },
        ratio: { type: 'Double', value: 0.5, valueInfo: {} },
        approved: { type: 'Boolean', value: false, valueInfo: {} },
        at: { type: 'Date', value: '2024-05-06T07:08:09.010+0000', valueInfo: {} },
        profile: { type: 'Json', value: '{"plan":"basic"}', valueInfo: {} },
        list: { type: 'Json', value: '[1,2]', valueInfo: {} },
        nothing: { type: 'Null', value: null, valueInfo: {} },
        blob: { type: 'Bytes', value: Buffer.from('hi').toString('base64'), valueInfo: {} },
      });
    });

    it('should leave out a property holding undefined', () => {
      expect(toWireVariables({ kept: 1, dropped: undefined })).to.have.keys('kept');
    });

    it('should round-trip plain values through the wire form', () => {
      // given
      const plain = { a: 'x', b: 5, c: 1.5, d: true, e: new Date('2020-01-01T00:00:00.000Z'), f: { g: [1, { h: null }] }, i: null };

      // when / then
      expect(toPlainVariables(toWireVariables(plain))).to.deep.equal(plain);
    });

    it('should name the variable it cannot write, without quoting its value', () => {
      // given
      const circular: Record<string, unknown> = {};
      circular.self = circular;

      // when / then
      expect(() => toWireVariables({ loop: circular })).to.throw(VariableConversionError, "Variable 'loop' cannot be written: it holds an object JSON cannot represent (circular?)");
      expect(() => toWireVariables({ huge: 2n ** 70n }))
        .to.throw(VariableConversionError, "Variable 'huge' cannot be written: it holds a bigint beyond the Long range")
        .with.property('message')
        .that.does.not.include(String(2n ** 70n));
      expect(() => toWireVariables({ fn: () => 1 })).to.throw(VariableConversionError, "Variable 'fn' cannot be written: it holds a function");
    });
  });

  describe('requestedVariableNames', () => {
    it("should fetch only a closed object schema's keys", () => {
      expect(requestedVariableNames(z.object({ memberId: z.string(), plan: z.string().optional() }))).to.deep.equal(['memberId', 'plan']);
      expect(requestedVariableNames(z.strictObject({ memberId: z.string() }))).to.deep.equal(['memberId']);
    });

    it('should fetch every variable without a schema, for a loose object and for other schemas', () => {
      expect(requestedVariableNames(undefined)).to.equal(null);
      expect(requestedVariableNames(z.looseObject({ memberId: z.string() }))).to.equal(null);
      expect(requestedVariableNames(z.object({ a: z.string() }).catchall(z.number()))).to.equal(null);
      expect(requestedVariableNames(z.record(z.string(), z.unknown()))).to.equal(null);
    });
  });
});
