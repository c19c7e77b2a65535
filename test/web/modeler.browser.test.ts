/** The modeler in Chromium: model a user task, set its candidate group in the properties panel, deploy; see a refused deploy on the element. */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { openDatabase, type Database } from '../../src/persistence/database.js';
import { buildWebAppInto, collectPageErrors, launchChromium, removeDir, screenshot, startWebApp, type WebApp } from './support/browser.js';

const SUITE = 'web/modeler (browser)';

/** Appends shapes after the start event with the bpmn-js modeling API (drag and drop is impractical here); returns their ids. */
async function appendAfterStart(page: Page, processId: string, shapes: { type: string; name: string }[]): Promise<string[]> {
  return page.evaluate(
    ({ processId, shapes }) => {
      const modeler = (window as any).bpmnModeler;
      const registry = modeler.get('elementRegistry');
      const modeling = modeler.get('modeling');
      modeling.updateProperties(modeler.get('canvas').getRootElement(), { id: processId });
      let previous = registry.get('StartEvent_1');
      const ids: string[] = [];
      for (const { type, name } of shapes) {
        const shape = modeler.get('autoPlace').append(previous, modeler.get('elementFactory').createShape({ type }));
        modeling.updateLabel(shape, name);
        ids.push(shape.id);
        previous = shape;
      }
      return ids;
    },
    { processId, shapes },
  );
}

describe(SUITE, function () {
  this.timeout(60_000);
  let browser: Browser | undefined;
  let database: Database | undefined;
  let app: WebApp | undefined;
  let distDir: string | undefined;
  let page: Page;
  let pageErrors: string[];

  before(async function () {
    browser = await launchChromium(this, SUITE);
    distDir = (await buildWebAppInto()).outdir;
    database = await openDatabase({});
    app = await startWebApp(database, distDir);
  });

  after(async function () {
    await browser?.close();
    await app?.close();
    await database?.close();
    removeDir(distDir);
  });

  beforeEach(async function () {
    page = await browser!.newPage({ viewport: { width: 1400, height: 860 } });
    pageErrors = collectPageErrors(page);
  });

  afterEach(async function () {
    await page.close();
    // A refused request shows in Chromium's console as "Failed to load resource"; anything else is a bug.
    expect(pageErrors.filter((e) => !e.includes('Failed to load resource'))).to.deep.equal([]);
  });

  async function openModeler(): Promise<number> {
    const started = Date.now();
    await page.goto(`${app!.url}/#/modeler`);
    await page.locator('.djs-element[data-element-id="StartEvent_1"]').waitFor({ state: 'visible' });
    return Date.now() - started;
  }

  it('should render the canvas and report the time from navigation to a rendered canvas', async function () {
    // when
    const ms = await openModeler();

    // then
    console.log(`      time from navigation to a rendered canvas: ${ms} ms`);
    expect(await page.title()).to.equal('Modeler · Process engine');
    expect(await page.locator('.bio-properties-panel').count()).to.equal(1);
    await screenshot(page, 'modeler-new-diagram');
  });

  it('should deploy a user task whose candidate group was typed into the properties panel', async function () {
    // given
    await openModeler();
    const [taskId] = await appendAfterStart(page, 'web_review', [
      { type: 'bpmn:UserTask', name: 'Review' },
      { type: 'bpmn:EndEvent', name: 'Done' },
    ]);

    // when: the user selects the task and types the candidate group into the labelled field
    await page.locator(`.djs-element[data-element-id="${taskId}"]`).click();
    await page.locator('.bio-properties-panel-group-header', { hasText: 'User assignment' }).click();
    const candidateGroups = page.getByLabel('Candidate groups', { exact: true });
    await candidateGroups.fill('reviewers');
    await candidateGroups.press('Tab');
    await screenshot(page, 'modeler-properties-panel');
    await page.getByRole('button', { name: 'Deploy', exact: true }).click();

    // then
    await page.getByRole('status').filter({ hasText: 'Deployed' }).waitFor();
    const definition = await fetch(`${app!.url}/engine-rest/process-definition/key/web_review/xml`).then((r) => r.json());
    expect(definition.bpmn20Xml).to.match(/camunda:candidateGroups="reviewers"/);
    expect(await page.getByRole('button', { name: 'Start instance' }).isEnabled()).to.equal(true);
    await screenshot(page, 'modeler-deployed');
  });

  it('should show the refused deployment in the page and mark the offending element', async function () {
    // given: a service task without an implementation, which the server refuses
    await openModeler();
    const [taskId] = await appendAfterStart(page, 'web_invalid', [
      { type: 'bpmn:ServiceTask', name: 'Charge card' },
      { type: 'bpmn:EndEvent', name: 'Done' },
    ]);

    // when
    await page.getByRole('button', { name: 'Deploy', exact: true }).click();

    // then
    const problems = page.locator('section.problems');
    await problems.waitFor({ state: 'visible' });
    expect(await problems.textContent()).to.contain(taskId);
    await page.locator(`.djs-element.deploy-error[data-element-id="${taskId}"]`).waitFor();
    expect(await page.getByRole('alert').filter({ hasText: 'Deployment failed' }).count()).to.equal(1);
    await screenshot(page, 'modeler-deploy-error');
  });
});
