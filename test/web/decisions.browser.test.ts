/** The decisions page in Chromium: dmn-js draws the DRD and the decision table; deploy and evaluate, or say the server cannot. */
import { expect } from 'chai';
import { screenshot, useWebApp } from './support/browser.js';

const SUITE = 'web/decisions (browser)';

describe(SUITE, function () {
  this.timeout(60_000);
  const web = useWebApp(SUITE);

  it('should draw a new decision and open its decision table', async function () {
    // given
    await web.page.goto(`${web.app.url}/#/decisions`);
    await web.page.locator('.dmn-drd-container .djs-element.djs-shape').first().waitFor({ state: 'visible' });
    expect(await web.page.title()).to.equal('Decisions · Process engine');
    await screenshot(web.page, 'decisions-drd');

    // when
    await web.page.getByRole('tab', { name: /^Table:/ }).click();

    // then
    await web.page.locator('.tjs-table').waitFor({ state: 'visible' });
    expect(await web.page.getByRole('tab', { name: /^Table:/ }).getAttribute('aria-selected')).to.equal('true');
    await screenshot(web.page, 'decisions-table');
  });

  it('should deploy the decision and evaluate it, showing the matched rule', async function () {
    // given
    await web.page.goto(`${web.app.url}/#/decisions`);
    await web.page.locator('.dmn-drd-container .djs-element.djs-shape').first().waitFor({ state: 'visible' });

    // when
    await web.page.getByRole('button', { name: 'Deploy', exact: true }).click();
    await web.page.getByRole('status').filter({ hasText: 'Deployed' }).waitFor();
    const form = web.page.getByRole('form', { name: 'Evaluate a deployed decision' });
    await form.getByLabel('Value of variable 1').waitFor();
    await form.getByLabel('Value of variable 1').fill('anything');
    await form.getByRole('button', { name: 'Evaluate' }).click();

    // then
    const result = web.page.getByRole('table', { name: 'Evaluation result' });
    await result.waitFor();
    expect(await result.textContent()).to.contain('default');
    await screenshot(web.page, 'decisions-evaluated');
  });
});
