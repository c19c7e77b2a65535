/** Form field values as Camunda's form types convert them, and date patterns as Java's SimpleDateFormat reads them. */
import { expect } from 'chai';
import type { FormFieldDeclaration } from '../../src/engine/form-data.js';
import { formatFormDate, parseFormDate } from '../../src/engine/form-date-pattern.js';
import { fieldFormValue, FormValueError, submittedFormVariables } from '../../src/engine/form-fields.js';

function field(overrides: Partial<FormFieldDeclaration>): FormFieldDeclaration {
  return { id: 'f', label: null, type: 'string', datePattern: 'dd/MM/yyyy', values: [], defaultValue: null, properties: {}, constraints: [], businessKey: false, ...overrides };
}

const noVariables = () => undefined;
const noExpressions = (text: string) => { throw new Error(`unexpected expression ${text}`); };

describe('engine/form-fields', () => {
  it('should read and write a date in its field\'s pattern, in UTC', () => {
    const date = parseFormDate('05.03.26 14:07', 'dd.MM.yy HH:mm');

    expect(date?.toISOString()).to.equal('2026-03-05T14:07:00.000Z');
    expect(formatFormDate(date!, "yyyy-MM-dd'T'HH")).to.equal('2026-03-05T14');
    expect(parseFormDate('March 5', 'dd/MM/yyyy')).to.equal(undefined);
  });

  it('should show an Integer variable of a long field as a Long, and a boolean default as a Boolean', () => {
    expect(fieldFormValue(field({ type: 'long' }), { type: 'Integer', value: 5 })).to.deep.equal({ type: 'Long', value: 5 });
    expect(fieldFormValue(field({ type: 'boolean', defaultValue: 'TRUE' }), undefined)).to.deep.equal({ type: 'Boolean', value: true });
  });

  it('should refuse to show a variable its field cannot convert, with Camunda\'s "failed to convert"', () => {
    const show = () => fieldFormValue(field({ id: 'when', type: 'date' }), { type: 'String', value: 'soon' });

    expect(show).to.throw(FormValueError, "failed to convert 'when'");
  });

  it('should take the variable the scope already has for a required field that is not submitted', () => {
    const required = field({ id: 'name', constraints: [{ name: 'required', config: null }] });

    const stored = submittedFormVariables([required], new Map(), () => ({ type: 'String', value: 'Ada' }), noExpressions);

    expect([...stored]).to.deep.equal([]);
  });

  it('should pass a business key field and other submitted variables unchanged', () => {
    const key = field({ id: 'orderNo', type: 'long', businessKey: true });

    const stored = submittedFormVariables([key], new Map([['orderNo', { type: 'String', value: 'A-1' }], ['x', { type: 'Integer', value: 1 }]]), noVariables, noExpressions);

    expect(Object.fromEntries(stored)).to.deep.equal({ orderNo: { type: 'String', value: 'A-1' }, x: { type: 'Integer', value: 1 } });
  });

  it('should validate before converting, field by field in declaration order', () => {
    const fields = [field({ id: 'a', type: 'long' }), field({ id: 'b', constraints: [{ name: 'required', config: null }] })];

    const submit = () => submittedFormVariables(fields, new Map([['a', { type: 'String', value: 'x' }]]), noVariables, noExpressions);

    expect(submit).to.throw(FormValueError, 'For input string: "x"');
  });
});
