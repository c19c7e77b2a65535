/** Differential: generated forms (camunda:formData) and deployed forms of start events and user tasks. */
import { describeAgainstOperaton } from './engine-pair.js';

const FORMS = '/process-definition/key/differential-forms';
const FORM_KEYS = '/process-definition/key/differential-form-keys';

describeAgainstOperaton('forms', (use) => {
  before(async () => {
    await use().ensureDeployed('bpmn/differential-forms.bpmn', 'bpmn/differential-form-keys.bpmn', 'forms/differential-form-keys-start.html', 'forms/differential-form-keys-review.form');
    await use().expectSame('GET', FORMS, undefined, { remember: { definition: (answer) => answer.body.id } });
  });

  describe('start forms', () => {
    it('should answer the start form\'s fields with their defaults as form variables, as Operaton does', async () => {
      await use().expectSame('GET', `${FORMS}/form-variables`);
      await use().expectSame('GET', (ids) => `/process-definition/${ids.definition}/form-variables?variableNames=amount,express`);
    });

    it('should answer the generated start form\'s key and its HTML, as Operaton does', async () => {
      await use().expectSame('GET', (ids) => `/process-definition/${ids.definition}/startForm`);
      await use().expectSame('GET', `${FORMS}/rendered-form`);
    });

    it('should refuse the deployed start form of a process without a form key, as Operaton does', async () => {
      await use().expectSame('GET', `${FORMS}/deployed-start-form`);
    });

    it('should refuse a start form without its required field, as Operaton does', async () => {
      await use().expectSame('POST', `${FORMS}/submit-form`, { variables: {} });
    });

    it('should refuse a start form whose field is longer than its maxlength, as Operaton does', async () => {
      await use().expectSame('POST', `${FORMS}/submit-form`, { variables: { customer: { value: 'Ada Lovelace-Byron', type: 'String' } } });
    });

    it('should refuse text that is no number for a long field, as Operaton does', async () => {
      await use().expectSame('POST', `${FORMS}/submit-form`, { variables: { customer: { value: 'Ada' }, amount: { value: 'abc', type: 'String' } } });
    });

    it('should start an instance from a submitted start form, storing its fields converted and defaulted, as Operaton does', async () => {
      await use().expectSame('POST', `${FORMS}/submit-form`, {
        businessKey: 'FORM-1',
        variables: { customer: { value: 'Ada' }, amount: { value: '12', type: 'String' }, extra: { value: 1, type: 'Integer' } },
      }, { remember: { instance: (answer) => answer.body.id } });
      await use().expectSame('GET', (ids) => `/process-instance/${ids.instance}/variables`);
    });
  });

  describe('task forms', () => {
    before(async () => {
      await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.instance}`, undefined, { remember: { task: (answer) => answer.body[0].id } });
    });

    it('should answer the task\'s form variables: its fields, typed, then the other variables, as Operaton does', async () => {
      await use().expectSame('GET', (ids) => `/task/${ids.task}/form-variables`);
      await use().expectSame('GET', (ids) => `/task/${ids.task}/form-variables?variableNames=priority,deliveryDate,extra`);
    });

    it('should answer the generated task form\'s key and its HTML, as Operaton does', async () => {
      await use().expectSame('GET', (ids) => `/task/${ids.task}/form`);
      await use().expectSame('GET', (ids) => `/task/${ids.task}/rendered-form`);
      await use().expectSame('GET', (ids) => `/task/${ids.task}/deployed-form`);
    });

    const refusals: Array<[string, Record<string, unknown>]> = [
      ['a value for a readonly field', { approved: { value: true }, customer: { value: 'Bob' } }],
      ['a number above max', { approved: { value: true }, amount: { value: 5000, type: 'Long' } }],
      ['text for a field with min', { approved: { value: true }, amount: { value: '12', type: 'String' } }],
      ['text shorter than minlength', { approved: { value: true }, comment: { value: 'x' } }],
      ['a number for a field with minlength', { approved: { value: true }, comment: { value: 5, type: 'Integer' } }],
      ['a value that is no enum entry', { approved: { value: true }, priority: { value: 'urgent' } }],
      ['text that is no date in the field\'s pattern', { approved: { value: true }, deliveryDate: { value: 'not a date' } }],
      ['no value for a required field', { amount: { value: 5 } }],
    ];
    for (const [what, variables] of refusals) {
      it(`should refuse ${what}, as Operaton does`, async () => {
        await use().expectSame('POST', (ids) => `/task/${ids.task}/submit-form`, { variables });
      });
    }

    it('should keep the task and its variables after refused forms, as Operaton does', async () => {
      await use().expectSame('GET', (ids) => `/task/${ids.task}/form-variables`);
    });

    it('should complete the task with its fields converted to their types, as Operaton does', async () => {
      await use().expectSame('POST', (ids) => `/task/${ids.task}/submit-form`, {
        variables: { approved: { value: 'true' }, amount: { value: 7, type: 'Integer' }, priority: { value: 'high' }, deliveryDate: { value: '24/12/2026' }, note: { value: 'hi' } },
        withVariablesInReturn: true,
      });
      await use().expectSame('GET', (ids) => `/process-instance/${ids.instance}`);
    });
  });

  describe('deployed forms', () => {
    it('should answer an embedded start form deployed with the process, as Operaton does', async () => {
      await use().expectSame('GET', `${FORM_KEYS}/startForm`);
      await use().expectSame('GET', `${FORM_KEYS}/deployed-start-form`);
      await use().expectSame('GET', `${FORM_KEYS}/rendered-form`);
      await use().expectSame('GET', `${FORM_KEYS}/form-variables`);
    });

    it('should answer a Camunda Form deployed with the process as the task\'s form, as Operaton does', async () => {
      await use().expectSame('POST', `${FORM_KEYS}/submit-form`, { variables: { a: { value: 1 } } }, { remember: { keyed: (answer) => answer.body.id } });
      await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.keyed}`, undefined, { remember: { keyedTask: (answer) => answer.body[0].id } });
      await use().expectSame('GET', (ids) => `/task/${ids.keyedTask}/form`);
      await use().expectSame('GET', (ids) => `/task/${ids.keyedTask}/deployed-form`);
      await use().expectSame('GET', (ids) => `/task/${ids.keyedTask}/rendered-form`);
      await use().expectSame('GET', (ids) => `/task/${ids.keyedTask}/form-variables`);
    });
  });
});

describeAgainstOperaton('form expressions and custom validators', (use) => {
  const KEY = '/process-definition/key/differential-form-expressions';

  before(async () => {
    await use().ensureDeployed('bpmn/differential-form-expressions.bpmn');
    await use().expectSame('POST', `${KEY}/submit-form`, { variables: { customer: { value: 'Ada' } } }, { remember: { instance: (answer) => answer.body.id } });
    await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.instance}`, undefined, { remember: { task: (answer) => answer.body[0].id } });
  });

  it('should evaluate a default value expression and show the date in the field\'s own pattern, as Operaton does', async () => {
    await use().expectSame('GET', (ids) => `/task/${ids.task}/form-variables?variableNames=deliveryDate,checked`);
  });

  it('should evaluate a label expression in the generated form, as Operaton does', async () => {
    await use().expectSame('GET', (ids) => `/task/${ids.task}/rendered-form`);
  });

  it('should refuse a form whose custom validator class cannot be loaded, as Operaton does', async () => {
    await use().expectSame('POST', (ids) => `/task/${ids.task}/submit-form`, { variables: { approved: { value: true }, checked: { value: 'A-1' } } });
  });
});

describeAgainstOperaton('forms of unknown tasks and definitions', (use) => {
  for (const path of ['startForm', 'rendered-form', 'deployed-start-form', 'form-variables']) {
    it(`should answer GET ${path} of an unknown definition id and key as Operaton does`, async () => {
      await use().expectSame('GET', `/process-definition/unknown-definition/${path}`);
      await use().expectSame('GET', `/process-definition/key/unknown-key/${path}`);
    });
  }

  it('should refuse submitting the start form of an unknown definition as Operaton does', async () => {
    await use().expectSame('POST', '/process-definition/unknown-definition/submit-form', { variables: {} });
  });

  it('should answer the forms of an unknown task as Operaton does', async () => {
    await use().expectSame('GET', '/task/unknown-task/form');
    await use().expectSame('GET', '/task/unknown-task/rendered-form');
    await use().expectSame('GET', '/task/unknown-task/form-variables');
    await use().expectSame('POST', '/task/unknown-task/submit-form', { variables: {} });
  });
});
