/** Specification of QueryReader: Camunda's validation of query parameters before any of them reaches SQL. */
import { expect } from 'chai';
import { CamundaError, InvalidRequestError } from '../../src/core/errors.js';
import { QueryReader } from '../../src/server/query-reader.js';

function refusal(read: () => unknown): InvalidRequestError {
  try {
    read();
  } catch (error) {
    expect(error).to.be.instanceOf(InvalidRequestError);
    return error as InvalidRequestError;
  }
  return expect.fail('the parameter was accepted');
}

describe('query reader', () => {
  describe('integer', () => {
    for (const value of ['9223372036854775808', '1e308', '2147483648', '-2147483649']) {
      it(`should refuse ${value}, beyond Java's int as in Camunda, with Camunda's message`, () => {
        const error = refusal(() => new QueryReader({ version: value }).integer('version'));

        expect(error.status).to.equal(400);
        expect(error.message).to.equal(`Cannot set query parameter 'version' to value '${value}'`);
      });
    }

    it('should accept the bounds of a Java int', () => {
      expect(new QueryReader({ priority: '2147483647' }).integer('priority')).to.equal(2147483647);
      expect(new QueryReader({ priority: '-2147483648' }).integer('priority')).to.equal(-2147483648);
    });

    it('should refuse an out-of-range maxResults or firstResult in a POST query body', () => {
      expect(refusal(() => new QueryReader({ maxResults: 2 ** 63 }).listOptions([])).message).to.equal(`Cannot set query parameter 'maxResults' to value '${2 ** 63}'`);
      expect(refusal(() => new QueryReader({ firstResult: 1e308 }).listOptions([])).message).to.equal("Cannot set query parameter 'firstResult' to value '1e+308'");
    });
  });

  describe('strings', () => {
    it('should refuse a string with a NUL character, naming the parameter and showing the NUL escaped', () => {
      const error = refusal(() => new QueryReader({ businessKey: 'a\u0000b' }).string('businessKey'));

      expect(error.status).to.equal(400);
      expect(error.message).to.equal("Cannot set query parameter 'businessKey' to value 'a\\u0000b': it contains a NUL character (\\u0000)");
    });

    it('should refuse a NUL character in a list, from a query string or a JSON body', () => {
      expect(refusal(() => new QueryReader({ keysIn: 'a,b\u0000' }).list('keysIn')).status).to.equal(400);
      expect(refusal(() => new QueryReader({ keysIn: ['a', 'b\u0000'] }).list('keysIn')).status).to.equal(400);
    });

    it('should refuse a NUL character in a date', () => {
      expect(refusal(() => new QueryReader({ after: '2024-01-01T00:00:00.000+0000\u0000' }).date('after')).status).to.equal(400);
    });
  });

  describe('date conditions', () => {
    it('should read Camunda\'s lt_/gt_ list from a query string and the operator objects of a JSON body alike', () => {
      const fromQuery = new QueryReader({ dueDates: 'gt_2026-03-02T09:00:00.000+0000,lt_2026-03-03T09:00:00.000+0000' }).dateConditions('dueDates');
      const fromBody = new QueryReader({ dueDates: [{ operator: 'gt', value: '2026-03-02T09:00:00.000+0000' }, { operator: 'lt', value: '2026-03-03T09:00:00.000+0000' }] }).dateConditions('dueDates');
      expect(fromQuery).to.deep.equal([{ operator: 'gt', value: new Date('2026-03-02T09:00:00.000Z') }, { operator: 'lt', value: new Date('2026-03-03T09:00:00.000Z') }]);
      expect(fromBody).to.deep.equal(fromQuery);
      const repeated = new QueryReader({ dueDates: ['gt_2026-03-02T09:00:00.000+0000', 'lt_2026-03-03T09:00:00.000+0000'] }).dateConditions('dueDates');
      expect(repeated).to.deep.equal(fromQuery);
    });

    for (const value of [[null, null], ['gt_2026-03-02T09:00:00.000+0000', null], 'eq_2026-03-02T09:00:00.000+0000', 'gt_yesterday', [{ operator: 'gt', value: 7 }], 42]) {
      it(`should refuse ${JSON.stringify(value)} with Camunda's message`, () => {
        expect(refusal(() => new QueryReader({ createTimes: value }).dateConditions('createTimes')).message).to.match(/^Cannot set query parameter 'createTimes' to value/);
      });
    }
  });

  describe('sorting of a POST query body', () => {
    const KEYS = ['taskPriority', 'createTime'];
    const sortingOf = (sorting: unknown[]) => new QueryReader({ sorting }).listOptions(KEYS).sorting;
    const notValid = (sorting: unknown[]): CamundaError => {
      try {
        sortingOf(sorting);
      } catch (error) {
        expect(error).to.be.instanceOf(CamundaError);
        expect((error as CamundaError).type).to.equal('NotValidException');
        expect((error as CamundaError).status).to.equal(400);
        return error as CamundaError;
      }
      return expect.fail('the sorting was accepted');
    };

    it('should order by each known key in turn', () => {
      expect(sortingOf([{ sortBy: 'taskPriority', sortOrder: 'desc' }, { sortBy: 'createTime', sortOrder: 'asc' }])).to.deep.equal([
        { sortBy: 'taskPriority', sortOrder: 'desc' },
        { sortBy: 'createTime', sortOrder: 'asc' },
      ]);
    });

    it('should skip an unknown key without a direction, as Camunda adds no ordering for it', () => {
      expect(sortingOf([{ sortBy: 'nonsense' }, { sortBy: 'createTime', sortOrder: 'desc' }])).to.deep.equal([{ sortBy: 'createTime', sortOrder: 'desc' }]);
    });

    it("should refuse a direction for an unknown key with the engine's NotValidException", () => {
      expect(notValid([{ sortBy: 'nonsense', sortOrder: 'asc' }]).message).to.equal('You should call any of the orderBy methods first before specifying a direction: currentOrderingProperty is null');
      expect(notValid([{ sortBy: 'taskPriority', sortOrder: 'asc' }, { sortBy: 'nonsense', sortOrder: 'asc' }]).message).to.equal(
        'Invalid query: can specify only one direction desc() or asc() for an ordering constraint: direction is not null',
      );
    });

    it('should refuse a known key without a valid direction when the query runs, as Camunda does', () => {
      for (const sortOrder of [undefined, 'sideways']) {
        expect(notValid([{ sortBy: 'taskPriority', sortOrder }]).message, String(sortOrder)).to.equal('Invalid query: call asc() or desc() after using orderByXX(): direction is null');
      }
    });
  });
});
