/** Specification of QueryReader: Camunda's validation of query parameters before any of them reaches SQL. */
import { expect } from 'chai';
import { CamundaError, InvalidRequestError } from '../../src/core/errors.js';
import { QueryReader, requestQuery } from '../../src/server/query-reader.js';

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

  describe('sorting', () => {
    const KEYS = ['id', 'name'];
    function notValid(sorting: unknown[]): string {
      try {
        new QueryReader({ sorting }).listOptions(KEYS);
      } catch (error) {
        expect(error).to.be.instanceOf(CamundaError);
        expect((error as CamundaError).type).to.equal('NotValidException');
        expect((error as CamundaError).status).to.equal(400);
        return (error as CamundaError).message;
      }
      return expect.fail('the sorting was accepted');
    }

    it('should sort by the body\'s sorting list, passing over an entry with neither a known property nor a direction, as Camunda\'s query does', () => {
      const sorting = [{ sortBy: 'name', sortOrder: 'desc' }, { sortBy: 'colour' }, { sortBy: 'id', sortOrder: 'asc' }];
      expect(new QueryReader({ sorting }).listOptions(KEYS).sorting).to.deep.equal([{ sortBy: 'name', sortOrder: 'desc' }, { sortBy: 'id', sortOrder: 'asc' }]);
    });

    it('should fail a direction without a known property, a second direction, and a property without one with Camunda\'s NotValidException', () => {
      expect(notValid([{ sortBy: 'colour', sortOrder: 'asc' }])).to.equal('You should call any of the orderBy methods first before specifying a direction: currentOrderingProperty is null');
      expect(notValid([{ sortBy: 'id', sortOrder: 'asc' }, { sortBy: 'colour', sortOrder: 'desc' }])).to.equal('Invalid query: can specify only one direction desc() or asc() for an ordering constraint: direction is not null');
      expect(notValid([{ sortBy: 'id', sortOrder: 'up' }])).to.equal('Invalid query: call asc() or desc() after using orderByXX(): direction is null');
      expect(notValid([{ sortBy: 'id' }])).to.equal('Invalid query: call asc() or desc() after using orderByXX(): direction is null');
    });

    it('should check a sortBy value before asking for its sortOrder, as Camunda sets them one by one', () => {
      expect(refusal(() => new QueryReader({ sortBy: 'colour' }).sortingOptions(KEYS)).message).to.equal("Cannot set query parameter 'sortBy' to value 'colour'");
      expect(refusal(() => new QueryReader({ sortBy: 'name' }).sortingOptions(KEYS)).message).to.equal('Only a single sorting parameter specified. sortBy and sortOrder required');
    });

    it('should leave the query string\'s sortBy and sortOrder out of a POST query, whose body alone sorts it', () => {
      const post = requestQuery({ method: 'POST', query: { sortBy: 'colour', sortOrder: 'asc', maxResults: '1' }, body: { name: 'x' } });
      expect(post.listOptions(KEYS)).to.deep.equal({ firstResult: undefined, maxResults: 1, sorting: [] });
      const get = requestQuery({ method: 'GET', query: { sortBy: 'name', sortOrder: 'asc' } });
      expect(get.listOptions(KEYS).sorting).to.deep.equal([{ sortBy: 'name', sortOrder: 'asc' }]);
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
});
