/** The modeler in Chromium: model a user task, set its candidate group in the properties panel, deploy; see a refused deploy on the element. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { screenshot, useWebApp } from './support/browser.js';
import { appendAfterStart } from './support/modeler-actions.js';

const SUITE = 'web/modeler (browser)';
const INVOICE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'processes', 'invoice-approval.bpmn');

const USER_TASK_XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="d" targetNamespace="t">
  <bpmn:process id="web_start" name="Web start" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    <bpmn:userTask id="work" name="Work" />
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="dia"><bpmndi:BPMNPlane id="plane" bpmnElement="web_start">
    <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="100" y="100" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="work_di" bpmnElement="work"><dc:Bounds x="200" y="78" width="100" height="80" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="end_di" bpmnElement="end"><dc:Bounds x="360" y="100" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1"><di:waypoint x="136" y="118" /><di:waypoint x="200" y="118" /></bpmndi:BPMNEdge>
    <bpmndi:BPMNEdge id="f2_di" bpmnElement="f2"><di:waypoint x="300" y="118" /><di:waypoint x="360" y="118" /></bpmndi:BPMNEdge>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`;

/** Deploys one BPMN file over REST (as another tool would) and returns the new definition's id. */
async function deployOverRest(baseUrl: string, name: string, xml: string): Promise<string> {
  const form = new FormData();
  form.append('deployment-name', name);
  form.append(`${name}.bpmn`, new Blob([xml], { type: 'application/xml' }), `${name}.bpmn`);
  const response = await fetch(`${baseUrl}/engine-rest/deployment/create`, { method: 'POST', body: form });
  const body = await response.json();
  return Object.keys(body.deployedProcessDefinitions)[0];
}

describe(SUITE, function () {
  this.timeout(60_000);
  const web = useWebApp(SUITE);

  async function openModeler(): Promise<number> {
    const started = Date.now();
    await web.page.goto(`${web.app.url}/#/modeler`);
    await web.page.locator('.djs-element[data-element-id="StartEvent_1"]').waitFor({ state: 'visible' });
    return Date.now() - started;
  }

  it('should render the canvas and report the time from navigation to a rendered canvas', async function () {
    // when
    const ms = await openModeler();

    // then
    console.log(`      time from navigation to a rendered canvas: ${ms} ms`);
    expect(await web.page.title()).to.equal('Modeler · Process engine');
    expect(await web.page.locator('.bio-properties-panel').count()).to.equal(1);
    await screenshot(web.page, 'modeler-new-diagram');
  });

  it('should deploy a user task whose candidate group was typed into the properties panel', async function () {
    // given
    await openModeler();
    const [taskId] = await appendAfterStart(web.page, 'web_review', [
      { type: 'bpmn:UserTask', name: 'Review' },
      { type: 'bpmn:EndEvent', name: 'Done' },
    ]);

    // when: the user selects the task and types the candidate group into the labelled field
    await web.page.locator(`.djs-element[data-element-id="${taskId}"]`).click();
    await web.page.locator('.bio-properties-panel-group-header', { hasText: 'User assignment' }).click();
    const candidateGroups = web.page.getByLabel('Candidate groups', { exact: true });
    await candidateGroups.fill('reviewers');
    await candidateGroups.press('Tab');
    await screenshot(web.page, 'modeler-properties-panel');
    await web.page.getByRole('button', { name: 'Deploy', exact: true }).click();

    // then
    await web.page.getByRole('status').filter({ hasText: 'Deployed' }).waitFor();
    const definition = await fetch(`${web.app.url}/engine-rest/process-definition/key/web_review/xml`).then((r) => r.json());
    expect(definition.bpmn20Xml).to.match(/camunda:candidateGroups="reviewers"/);
    expect(await web.page.getByRole('toolbar').getByRole('button', { name: 'Start instance' }).isEnabled()).to.equal(true);
    expect(await web.page.getByRole('status').getByRole('button', { name: 'Start instance' }).count()).to.equal(1);
    await screenshot(web.page, 'modeler-deployed');
  });

  it('should show the refused deployment in the page and mark the offending element', async function () {
    // given: a service task without an implementation, which the server refuses
    await openModeler();
    const [taskId] = await appendAfterStart(web.page, 'web_invalid', [
      { type: 'bpmn:ServiceTask', name: 'Charge card' },
      { type: 'bpmn:EndEvent', name: 'Done' },
    ]);

    // when
    await web.page.getByRole('button', { name: 'Deploy', exact: true }).click();

    // then
    const problems = web.page.locator('section.problems');
    await problems.waitFor({ state: 'visible' });
    expect(await problems.textContent()).to.contain(taskId);
    await web.page.locator(`.djs-element.deploy-error[data-element-id="${taskId}"]`).waitFor();
    expect(await web.page.getByRole('alert').filter({ hasText: 'Deployment failed' }).count()).to.equal(1);
    await screenshot(web.page, 'modeler-deploy-error');
  });

  it('should open a deployed definition and start an instance with a business key and typed variables', async function () {
    // given
    const definitionId = await deployOverRest(web.app.url, 'web_start', USER_TASK_XML);
    await web.page.goto(`${web.app.url}/#/modeler?definition=${encodeURIComponent(definitionId)}`);
    await web.page.locator('.djs-element[data-element-id="work"]').waitFor({ state: 'visible' });

    // when
    await web.page.getByRole('toolbar').getByRole('button', { name: 'Start instance' }).click();
    const dialog = web.page.getByRole('dialog');
    await dialog.getByLabel('Business key').fill('order-7');
    await dialog.getByRole('button', { name: 'Add variable' }).click();
    await dialog.getByLabel('Name of variable 1').fill('amount');
    await dialog.getByLabel('Type of variable 1').selectOption('Integer');
    await dialog.getByLabel('Value of variable 1').fill('42');
    await screenshot(web.page, 'modeler-start-instance');
    await dialog.getByRole('button', { name: 'Start', exact: true }).click();

    // then
    await web.page.waitForURL(/#\/instances\/[^/]+$/);
    const instanceId = decodeURIComponent(new URL(web.page.url()).hash.split('/')[2]);
    const instance = await fetch(`${web.app.url}/engine-rest/process-instance/${instanceId}`).then((r) => r.json());
    expect(instance.businessKey).to.equal('order-7');
    const variables = await fetch(`${web.app.url}/engine-rest/process-instance/${instanceId}/variables`).then((r) => r.json());
    expect(variables.amount).to.deep.include({ type: 'Integer', value: 42 });
  });

  it('should refuse a variable value that does not fit its type, in the form', async function () {
    // given
    const definitionId = await deployOverRest(web.app.url, 'web_start', USER_TASK_XML);
    await web.page.goto(`${web.app.url}/#/modeler?definition=${encodeURIComponent(definitionId)}`);
    await web.page.getByRole('toolbar').getByRole('button', { name: 'Start instance' }).click();
    const dialog = web.page.getByRole('dialog');

    // when
    await dialog.getByRole('button', { name: 'Add variable' }).click();
    await dialog.getByLabel('Name of variable 1').fill('amount');
    await dialog.getByLabel('Type of variable 1').selectOption('Integer');
    await dialog.getByLabel('Value of variable 1').fill('many');
    await dialog.getByRole('button', { name: 'Start', exact: true }).click();

    // then
    expect(await dialog.getByRole('alert').textContent()).to.contain("'many' is not a whole number");
    expect(new URL(web.page.url()).hash).to.match(/^#\/modeler/);
  });

  it('should open a .bpmn file chosen in the file picker', async function () {
    // given
    await web.page.goto(`${web.app.url}/#/modeler`);
    await web.page.locator('.djs-element[data-element-id="StartEvent_1"]').waitFor({ state: 'visible' });

    // when
    const chooser = web.page.waitForEvent('filechooser');
    await web.page.getByRole('button', { name: 'Open file…' }).click();
    await (await chooser).setFiles(INVOICE);

    // then
    await web.page.locator('.toolbar .status', { hasText: 'invoice-approval.bpmn' }).waitFor();
    expect(await web.page.locator('.djs-element.djs-shape').count()).to.be.above(3);
    await screenshot(web.page, 'modeler-opened-file');
  });

  it('should ask before deploying a diagram with lint errors, and deploy nothing when the user cancels', async function () {
    // given: a new diagram has a start event and no end event (bpmnlint: end-event-required)
    await web.page.goto(`${web.app.url}/#/modeler`);
    await web.page.locator('.djs-element[data-element-id="StartEvent_1"]').waitFor({ state: 'visible' });
    const before = await fetch(`${web.app.url}/engine-rest/deployment/count`).then((r) => r.json());

    // when
    await web.page.getByRole('button', { name: 'Deploy', exact: true }).click();
    const dialog = web.page.getByRole('dialog', { name: 'Deploy with lint errors?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).to.contain('end event');
    await screenshot(web.page, 'modeler-lint-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // then
    await dialog.waitFor({ state: 'detached' });
    await web.page.locator('.bjsl-overlay').first().waitFor();
    const after = await fetch(`${web.app.url}/engine-rest/deployment/count`).then((r) => r.json());
    expect(after.count).to.equal(before.count);
  });

  it('should open a .bpmn file dropped on the canvas', async function () {
    // given
    await web.page.goto(`${web.app.url}/#/modeler`);
    await web.page.locator('.djs-element[data-element-id="StartEvent_1"]').waitFor({ state: 'visible' });

    // when: a drop event carrying the file, as the browser fires it for a file dragged from the desktop
    const xml = readFileSync(INVOICE, 'utf8');
    await web.page.evaluate((text) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], 'dropped.bpmn', { type: 'application/xml' }));
      const editor = document.querySelector('.editor')!;
      editor.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      editor.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, xml);

    // then
    await web.page.locator('.toolbar .status', { hasText: 'dropped.bpmn' }).waitFor();
    await web.page.locator('.djs-element[data-element-id="ApproveInvoice"]').waitFor();
  });
});
