/** Specification of forms: generated forms (camunda:formData) of start events and user tasks, and deployed forms. */
import { expect } from 'chai';
import { describeOnDatabases } from '../../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';
import { fixture, RestClient } from '../../support/rest-client.js';

const FORMS = '/process-definition/key/differential-forms';

function withFormField(field: string): string {
  return fixture('bpmn/differential-forms.bpmn').toString('utf8')
    .replaceAll('differential-forms', 'form-router-refused')
    .replace('<camunda:formField id="deliveryDate" label="Delivery date" type="date" />', field);
}

describeOnDatabases('form router', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    engine = createTestEngine(use());
    rest = new RestClient(engine.app);
    const files = ['bpmn/differential-forms.bpmn', 'bpmn/differential-form-keys.bpmn', 'forms/differential-form-keys-start.html', 'forms/differential-form-keys-review.form'];
    const deployed = await rest.deploy(files.map((name) => ({ name: name.split('/').pop()!, content: fixture(name) })), { 'deployment-name': 'forms' });
    expect(deployed.status, deployed.text).to.equal(200);
  });

  async function startWithTask(variables: Record<string, unknown>): Promise<{ instanceId: string; taskId: string }> {
    const started = await rest.post(`${FORMS}/submit-form`, { variables });
    expect(started.status, started.text).to.equal(200);
    const tasks = await rest.get(`/task?processInstanceId=${started.body.id}`);
    return { instanceId: started.body.id, taskId: tasks.body[0].id };
  }

  describe('deployment', () => {
    it('should refuse a form field of an unknown type, as Camunda does', async () => {
      const res = await rest.deploy([{ name: 'refused.bpmn', content: withFormField('<camunda:formField id="deliveryDate" type="money" />') }]);

      expect(res.status).to.equal(400);
      expect(res.body.type).to.equal('ParseException');
      expect(res.body.message).to.contain("unknown type 'money'");
    });

    it('should refuse a constraint that names no validator, as Camunda does', async () => {
      const field = '<camunda:formField id="deliveryDate" type="date"><camunda:validation><camunda:constraint name="pattern" config="x" /></camunda:validation></camunda:formField>';
      const res = await rest.deploy([{ name: 'refused.bpmn', content: withFormField(field) }]);

      expect(res.status).to.equal(400);
      expect(res.body.message).to.contain("Cannot find validator implementation for name 'pattern'.");
    });
  });

  describe('start forms', () => {
    it('should answer the declared fields with their defaults converted to the field types', async () => {
      const res = await rest.get(`${FORMS}/form-variables`);

      expect(res.body).to.deep.equal({
        customer: { type: 'String', value: null, valueInfo: {} },
        amount: { type: 'Long', value: 100, valueInfo: {} },
        express: { type: 'Boolean', value: false, valueInfo: {} },
      });
    });

    it('should start nothing when a required field is missing', async () => {
      const before = await rest.get('/process-instance/count');

      const res = await rest.post(`${FORMS}/submit-form`, { variables: { amount: { value: 5, type: 'Integer' } } });

      expect(res.status).to.equal(500);
      expect(res.body.message).to.match(/^Cannot instantiate process definition differential-forms:.*: Invalid value submitted for form field 'customer': validation of required failed\.$/);
      expect((await rest.get('/process-instance/count')).body).to.deep.equal(before.body);
    });

    it('should store submitted fields converted to their types and unsubmitted ones with their defaults', async () => {
      const { instanceId } = await startWithTask({ customer: { value: 'Ada' }, amount: { value: '12', type: 'String' } });

      const variables = await rest.get(`/process-instance/${instanceId}/variables`);

      expect(variables.body).to.deep.equal({
        customer: { type: 'String', value: 'Ada', valueInfo: {} },
        amount: { type: 'Long', value: 12, valueInfo: {} },
        express: { type: 'Boolean', value: false, valueInfo: {} },
      });
    });
  });

  describe('tenants', () => {
    it('should answer the start form of a tenant\'s definition by key and tenant id', async () => {
      const deployed = await rest.deploy([{ name: 'tenant-forms.bpmn', content: fixture('bpmn/differential-forms.bpmn') }], { 'deployment-name': 'tenant-forms', 'tenant-id': 'acme' });
      expect(deployed.status, deployed.text).to.equal(200);

      const variables = await rest.get(`${FORMS}/tenant-id/acme/form-variables?variableNames=amount`);
      const form = await rest.get(`${FORMS}/tenant-id/acme/startForm`);
      const started = await rest.post(`${FORMS}/tenant-id/acme/submit-form`, { variables: { customer: { value: 'Ada' } } });

      expect(variables.body).to.deep.equal({ amount: { type: 'Long', value: 100, valueInfo: {} } });
      expect(form.body.key).to.match(/^embedded:engine:\/\/engine\/:engine\/process-definition\/differential-forms:.+\/rendered-form$/);
      expect(started.status, started.text).to.equal(200);
      expect(started.body.tenantId).to.equal('acme');
    });
  });

  describe('task forms', () => {
    it('should answer a date field as text in its pattern and an unset one as empty text', async () => {
      const { taskId, instanceId } = await startWithTask({ customer: { value: 'Ada' } });
      const before = await rest.get(`/task/${taskId}/form-variables?variableNames=deliveryDate`);
      await rest.put(`/process-instance/${instanceId}/variables/deliveryDate`, { value: '2026-12-24T00:00:00.000+0000', type: 'Date' });

      const after = await rest.get(`/task/${taskId}/form-variables?variableNames=deliveryDate`);

      expect(before.body).to.deep.equal({ deliveryDate: { type: 'String', value: '', valueInfo: {} } });
      expect(after.body).to.deep.equal({ deliveryDate: { type: 'String', value: '24/12/2026', valueInfo: {} } });
    });

    it('should keep the task and its variables when a submitted value exceeds max', async () => {
      const { taskId, instanceId } = await startWithTask({ customer: { value: 'Ada' } });

      const res = await rest.post(`/task/${taskId}/submit-form`, { variables: { approved: { value: true }, amount: { value: 5000, type: 'Long' }, note: { value: 'x' } } });

      expect(res.status).to.equal(500);
      expect(res.body).to.deep.equal({ type: 'RestException', message: `Cannot submit task form ${taskId}: Invalid value submitted for form field 'amount': validation of max(1000) failed.`, code: 0 });
      expect((await rest.get(`/task/${taskId}`)).status).to.equal(200);
      expect((await rest.get(`/process-instance/${instanceId}/variables`)).body).to.not.have.property('note');
    });

    it('should complete the task storing a date field as a Date and an enum field as its entry', async () => {
      const { taskId } = await startWithTask({ customer: { value: 'Ada' } });

      const res = await rest.post(`/task/${taskId}/submit-form`, {
        variables: { approved: { value: 'true' }, priority: { value: 'high' }, deliveryDate: { value: '24/12/2026' } },
        withVariablesInReturn: true,
      });

      expect(res.status, res.text).to.equal(200);
      expect(res.body.deliveryDate).to.deep.equal({ type: 'Date', value: '2026-12-24T00:00:00.000+0000', valueInfo: {} });
      expect(res.body.priority).to.deep.equal({ type: 'String', value: 'high', valueInfo: {} });
      expect(res.body.approved).to.deep.equal({ type: 'Boolean', value: true, valueInfo: {} });
      expect(res.body.comment).to.deep.equal({ type: 'String', value: 'none', valueInfo: {} });
    });

    it('should render the generated form as XHTML, a select for an enum and disabled for readonly', async () => {
      const { taskId } = await startWithTask({ customer: { value: 'Ada' } });

      const form = await rest.get(`/task/${taskId}/form`);
      const html = await rest.download(`/task/${taskId}/rendered-form`);

      expect(form.body).to.deep.equal({ key: `embedded:engine://engine/:engine/task/${taskId}/rendered-form`, camundaFormRef: null, contextPath: null });
      expect(html.headers['content-type']).to.equal('application/xhtml+xml');
      const text = html.bytes.toString('utf8');
      expect(text).to.match(/^<form name="generatedForm" role="form">\n/);
      expect(text).to.contain('<input class="form-control" name="customer" cam-variable-type="String" cam-variable-name="customer" disabled type="text" />');
      expect(text).to.contain('<select class="form-control" name="priority" cam-variable-type="String" cam-variable-name="priority">');
    });
  });

  describe('deployed forms', () => {
    it('should answer a deployed embedded start form as XHTML and a Camunda Form as JSON', async () => {
      const start = await rest.download('/process-definition/key/differential-form-keys/deployed-start-form');
      const started = await rest.post('/process-definition/key/differential-form-keys/submit-form', {});
      const task = (await rest.get(`/task?processInstanceId=${started.body.id}`)).body[0];
      const review = await rest.download(`/task/${task.id}/deployed-form`);

      expect(start.headers['content-type']).to.equal('application/xhtml+xml');
      expect(start.bytes.equals(fixture('forms/differential-form-keys-start.html'))).to.equal(true);
      expect(review.headers['content-type']).to.equal('application/json');
      expect(JSON.parse(review.bytes.toString('utf8')).id).to.equal('differential-form-keys-review');
    });

    it('should answer 404 for a rendered form of a task without generated form', async () => {
      const started = await rest.post('/process-definition/key/differential-form-keys/submit-form', {});
      const task = (await rest.get(`/task?processInstanceId=${started.body.id}`)).body[0];

      const res = await rest.get(`/task/${task.id}/rendered-form`, { undocumentedStatus: 404 });

      expect(res.status).to.equal(404);
      expect(res.body.message).to.equal(`No matching rendered form for task with the id ${task.id} found.`);
    });
  });
});
